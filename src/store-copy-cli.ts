/**
 * `npm run store:copy`: copies an Elevate store (SQLite) into Azure Tables / Cosmos DB for Table.
 * A composition root of its own, like src/audit-cli.ts: from the environment it reads only the
 * audit keys that verify the copied chain (ELEVATE_AUDIT_KEYS, parsed by src/config.ts; without
 * it the development key derived from AAD_APP_CLIENT_SECRET, as `npm run audit -- --verify`
 * does), besides what @azure/identity reads itself for an `azuretables:https://…` target.
 */
import { optionsOrUsage } from './cli/command-line.js';
import { existsSync } from 'node:fs';
import { HmacAuditKeys } from './adapters/crypto/hmac-audit-keys.js';
import { describeAzureTablesLocation, parseAzureTablesLocation } from './adapters/store/azure-tables-connection.js';
import { AzureTablesStore } from './adapters/store/azure-tables-store.js';
import { openStore } from './adapters/store/open-store.js';
import { AuditCopyMismatchError, COPIED, copyStore, countStore, type CopyCounts, type CopySource } from './cli/store-copy.js';
import { parseStoreCopyArgs, STORE_COPY_USAGE } from './cli/store-copy-options.js';
import { AuditImportMismatchError } from './adapters/store/azure-tables-audit-log.js';
import { verificationAuditKeys } from './config.js';
import type { ElevationStore } from './ports/elevation-store.js';

export interface StoreCopyIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const LABELS: Record<keyof CopyCounts, string> = {
  elevations: 'elevations',
  documents: 'documents',
  claims: 'claims',
  timers: 'timers',
  auditEntries: 'audit entries',
};

/** Runs the tool; resolves to the exit code: 0 copied and verified, 1 an audit chain does not verify or the chains differ, 2 bad usage or failure. */
export async function runStoreCopyCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: StoreCopyIo): Promise<number> {
  const options = optionsOrUsage('store:copy', STORE_COPY_USAGE, io.stderr, () => parseStoreCopyArgs(argv));
  if (!options) return 2;
  if (options.mode === 'help') {
    io.stdout.write(STORE_COPY_USAGE);
    return 0;
  }
  const opened: ElevationStore[] = [];
  try {
    const target = parseAzureTablesLocation(options.to.slice('azuretables:'.length));
    const source = await openSource(options.from);
    opened.push(source);
    io.stdout.write(
      `store:copy: from ${describeSource(options.from)} to ${describeAzureTablesLocation(target)}${options.dryRun ? ' (dry run: nothing written)' : ''}\n`,
    );
    if (options.dryRun) {
      io.stdout.write(table(await countStore(source)));
      return 0;
    }
    const keys = verificationAuditKeys(env);
    if (keys.developmentKey)
      io.stderr.write('store:copy: ELEVATE_AUDIT_KEYS is not set; verifying with the development key derived from AAD_APP_CLIENT_SECRET\n');
    const destination = await AzureTablesStore.open(target);
    opened.push(destination);
    const { read, written, audit } = await copyStore(source, destination, new HmacAuditKeys(keys.keys));
    io.stdout.write(table(read, written));
    io.stdout.write(`audit chain verified in the target with the audit keys: ${audit.count} ${audit.count === 1 ? 'entry' : 'entries'}\n`);
    if (audit.unkeyed === audit.count && audit.count > 0) {
      io.stdout.write(`its ${audit.unkeyed} entries were written before audit keys; Elevate seals them when it starts on the target\n`);
    }
    return 0;
  } catch (error) {
    const code = error instanceof AuditCopyMismatchError || error instanceof AuditImportMismatchError ? 1 : 2;
    // Messages name paths, tables and seqs; never a connection string (the parsers do not repeat it)
    // nor an audit key (a ConfigError names the variable).
    io.stderr.write(`store:copy: ${error instanceof Error ? error.message : String(error)}\n`);
    return code;
  } finally {
    for (const store of opened) await store.close();
  }
}

/** Opens the source; a SQLite path that does not exist is refused rather than created empty. */
async function openSource(spec: string): Promise<ElevationStore & CopySource> {
  const path = /^sqlite:/i.test(spec) ? spec.slice('sqlite:'.length).trim() : /^[a-z][a-z0-9+.-]+:/i.test(spec) ? undefined : spec;
  if (path !== undefined && !existsSync(path)) throw new Error(`no Elevate store at ${path}`);
  return (await openStore(spec)) as ElevationStore & CopySource;
}

function describeSource(spec: string): string {
  return /^azuretables:/i.test(spec) ? describeAzureTablesLocation(parseAzureTablesLocation(spec.slice('azuretables:'.length))) : spec;
}

function table(read: CopyCounts, written?: CopyCounts): string {
  const header = written ? `  ${'what'.padEnd(14)}${'source'.padStart(8)}${'copied now'.padStart(12)}\n` : '';
  return (
    header +
    COPIED.map((kind) => `  ${LABELS[kind].padEnd(14)}${String(read[kind]).padStart(8)}${written ? String(written[kind]).padStart(12) : ''}\n`).join('')
  );
}

if (require.main === module) {
  // eslint-disable-next-line no-restricted-properties -- this tool's composition root; it reads the audit keys only.
  const env = process.env;
  runStoreCopyCli(process.argv.slice(2), env, { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`store:copy: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
