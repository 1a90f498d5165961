import type { AzureTablesStore } from '../adapters/store/azure-tables-store.js';
import { sha256Hex } from '../adapters/store/audit-hash.js';
import type { StoreContents } from '../adapters/store/store-transfer.js';
import { ChainVerifier, type AuditEntry } from '../domain/audit.js';
import { ElevateError } from '../domain/errors.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { TimerStore } from '../ports/timer-store.js';

/** A store the copy tool can read: its contents, its timers and its audit log. */
export interface CopySource extends StoreContents {
  timers(): TimerStore;
  auditLog(): AuditLog;
}

export const COPIED = ['elevations', 'documents', 'claims', 'timers', 'auditEntries'] as const;
export type CopyCounts = Record<(typeof COPIED)[number], number>;

export interface CopyResult {
  /** What the source holds. */
  read: CopyCounts;
  /** What this run wrote (the rest was in the target already). */
  written: CopyCounts;
}

/** The target's audit chain is not the source's (another log, or a broken copy). */
export class AuditCopyMismatchError extends ElevateError {
  constructor(message: string) {
    super(message, 'AuditCopyMismatch');
  }
}

const AUDIT_BATCH = 200;
const zero = (): CopyCounts => ({ elevations: 0, documents: 0, claims: 0, timers: 0, auditEntries: 0 });

/** Counts what `source` holds (the dry run). */
export async function countStore(source: CopySource): Promise<CopyCounts> {
  const counts = zero();
  for await (const _ of source.elevations()) counts.elevations++;
  for await (const _ of source.documents()) counts.documents++;
  for await (const _ of source.claims()) counts.claims++;
  counts.timers = (await source.timers().list()).length;
  for await (const _ of source.auditLog().all()) counts.auditEntries++;
  return counts;
}

/**
 * Copies `source` into `target`; items already there are left as they are (a second run finishes
 * an interrupted one). Versions start again at 1 in the target. Timers are copied as held by nobody.
 * The audit log is appended verbatim and then verified end to end against the source's last hash.
 */
export async function copyStore(source: CopySource, target: AzureTablesStore): Promise<CopyResult> {
  const read = zero();
  const written = zero();
  const tally = (kind: keyof CopyCounts, wrote: boolean) => {
    read[kind]++;
    if (wrote) written[kind]++;
  };
  for await (const record of source.elevations()) tally('elevations', await target.importElevation(record));
  for await (const { key, value } of source.documents()) tally('documents', await target.importDocument(key, value));
  for await (const { key, claimedAt } of source.claims()) tally('claims', await target.importClaim(key, claimedAt));
  const timers = target.timers();
  for (const timer of await source.timers().list()) tally('timers', await timers.importTimer(timer));
  const audit = await copyAudit(source.auditLog(), target);
  read.auditEntries = audit.read;
  written.auditEntries = audit.written;
  return { read, written };
}

async function copyAudit(source: AuditLog, target: AzureTablesStore): Promise<{ read: number; written: number; last?: AuditEntry }> {
  const log = target.auditLog();
  const head = await log.head();
  let read = 0;
  let written = 0;
  let last: AuditEntry | undefined;
  let batch: AuditEntry[] = [];
  for await (const entry of source.all()) {
    read++;
    last = entry;
    if (head && entry.seq <= head.seq) {
      if (entry.seq === head.seq && entry.hash !== head.hash) throw new AuditCopyMismatchError(`the target's audit entry #${head.seq} is not the source's.`);
      continue;
    }
    batch.push(entry);
    if (batch.length >= AUDIT_BATCH) {
      await log.importEntries(batch);
      written += batch.length;
      batch = [];
    }
  }
  if (head && head.seq > read) throw new AuditCopyMismatchError(`the target's audit log is longer (#${head.seq}) than the source's (${read}).`);
  await log.importEntries(batch);
  written += batch.length;
  await verifyCopy(log, read, last);
  return { read, written, ...(last ? { last } : {}) };
}

/** The target's whole chain verifies and ends where the source's does. */
async function verifyCopy(log: AuditLog, count: number, last: AuditEntry | undefined): Promise<void> {
  const verifier = new ChainVerifier(sha256Hex, last && { seq: last.seq, hash: last.hash });
  for await (const entry of log.all()) if (!verifier.add(entry)) break;
  const verdict = verifier.result();
  if (!verdict.ok) throw new AuditCopyMismatchError(`the copied audit chain is broken at entry #${verdict.seq}: ${verdict.reason}`);
  if (verdict.count !== count || verdict.last?.hash !== last?.hash) {
    throw new AuditCopyMismatchError(`the copied audit chain has ${verdict.count} entries, the source ${count}.`);
  }
}
