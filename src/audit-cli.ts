/**
 * `npm run audit`: exports the audit log as CSV or JSON Lines, or verifies its sealed chain.
 * A composition root of its own, like src/main.ts: the bot's loadConfig wants all of the bot's
 * settings, this tool needs only the store (ELEVATE_STORE: SQLite, or Azure Tables, where an
 * `azuretables:https://…` store signs in with DefaultAzureCredential) and, to verify, the audit keys
 * (ELEVATE_AUDIT_KEYS, parsed by src/config.ts; without it the development key derived from
 * AAD_APP_CLIENT_SECRET, as the bot does on loopback).
 */
import { optionsOrUsage } from './cli/command-line.js';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { HmacAuditKeys } from './adapters/crypto/hmac-audit-keys.js';
import { sha256Hex } from './adapters/store/audit-hash.js';
import { AzureTablesStore } from './adapters/store/azure-tables-store.js';
import { openStore } from './adapters/store/open-store.js';
import { SqliteElevationStore } from './adapters/store/sqlite-elevation-store.js';
import { csvHeader, toCsvRow, toJsonLine } from './cli/audit-formats.js';
import { AUDIT_USAGE, parseAuditArgs, type AuditCliOptions } from './cli/audit-options.js';
import { verificationAuditKeys, type AuditKeyConfig } from './config.js';
import type { AuditAnchor } from './domain/audit.js';
import { AuditLogCorruptError, type AuditLog } from './ports/audit-log.js';
import { verifyAuditLog } from './use-cases/audit-integrity.js';

export interface AuditCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now(): Date;
}

/** Runs the tool; resolves to the exit code: 0 done / intact, 1 chain broken, 2 bad usage or failure. */
export async function runAuditCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: AuditCliIo): Promise<number> {
  const options = optionsOrUsage('audit', AUDIT_USAGE, io.stderr, () => parseAuditArgs(argv, env, io.now()));
  if (!options) return 2;
  if (options.mode === 'help') {
    io.stdout.write(AUDIT_USAGE);
    return 0;
  }
  let store: SqliteElevationStore | AzureTablesStore | undefined;
  try {
    store = await openAuditStore(options.store);
    if (options.mode === 'verify') {
      const keys = verificationAuditKeys(env);
      if (keys.developmentKey) io.stderr.write('audit: ELEVATE_AUDIT_KEYS is not set; verifying with the development key derived from AAD_APP_CLIENT_SECRET\n');
      return await verify(store.auditLog(), keys.keys, options.anchor, io);
    }
    await exportLog(store.auditLog(), options, io);
    return 0;
  } catch (error) {
    if (error instanceof AuditLogCorruptError && options.mode === 'verify') {
      io.stdout.write(`broken at entry #${error.seq}: ${error.reason}\n`);
      return 1;
    }
    // Store and file-system messages name paths and SQLite codes, never the spec's credentials;
    // a ConfigError names the variable, never the key.
    io.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await store?.close();
  }
}

async function verify(log: AuditLog, keys: AuditKeyConfig[], anchor: AuditAnchor | undefined, io: AuditCliIo): Promise<number> {
  const verdict = await verifyAuditLog({ audit: log, keys: new HmacAuditKeys(keys), sha256: sha256Hex }, anchor ? { anchor } : {});
  if (!verdict.ok) {
    io.stdout.write(`broken at entry #${verdict.seq}: ${verdict.reason}\n`);
    return 1;
  }
  const unkeyed = verdict.unkeyed > 0 ? `, the first ${verdict.unkeyed} written before audit keys and sealed by #${verdict.unkeyed + 1}` : '';
  const anchored = anchor ? `, anchor #${anchor.seq} matches` : '';
  const hint = verdict.last ? ` (record --anchor ${verdict.last.seq}:${verdict.last.hash} to detect later truncation)` : '';
  io.stdout.write(`chain intact: ${verdict.count} ${verdict.count === 1 ? 'entry' : 'entries'}${unkeyed}${anchored}${hint}\n`);
  return 0;
}

async function exportLog(log: AuditLog, options: Extract<AuditCliOptions, { mode: 'export' }>, io: AuditCliIo): Promise<void> {
  const entries = await log.list({
    ...(options.since ? { since: options.since } : {}),
    ...(options.user === undefined ? {} : { aadObjectId: options.user }),
  });
  const text = options.format === 'csv' ? csvHeader() + entries.map(toCsvRow).join('') : entries.map(toJsonLine).join('');
  if (options.out === undefined) {
    io.stdout.write(text);
    return;
  }
  // Names and justifications: readable by the owner only.
  await writeFile(options.out, text, { encoding: 'utf8', mode: 0o600 });
  io.stderr.write(`audit: wrote ${entries.length} entries to ${options.out}\n`);
}

/**
 * Opens an existing store, SQLite or Azure Tables; never creates an empty one, which would
 * "verify" as intact (Azure Tables: the tables must exist, none is created).
 */
async function openAuditStore(spec: string): Promise<SqliteElevationStore | AzureTablesStore> {
  const trimmed = spec.trim();
  const path = /^sqlite:/i.test(trimmed) ? trimmed.slice('sqlite:'.length).trim() : /^[a-z][a-z0-9+.-]+:/i.test(trimmed) ? undefined : trimmed;
  if (path !== undefined && path !== '' && path !== ':memory:' && !existsSync(path)) throw new Error(`no Elevate store at ${path}`);
  const store = await openStore(spec, { existingOnly: true });
  if (store instanceof SqliteElevationStore || store instanceof AzureTablesStore) return store;
  await store.close();
  throw new Error('this store has no audit log.');
}

if (require.main === module) {
  // eslint-disable-next-line no-restricted-properties -- this tool's composition root; it reads ELEVATE_STORE only.
  const env = process.env;
  runAuditCli(process.argv.slice(2), env, { stdout: process.stdout, stderr: process.stderr, now: () => new Date() }).then(
    (code) => {
      // exitCode, not exit(): a large export to a pipe must be flushed first.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
