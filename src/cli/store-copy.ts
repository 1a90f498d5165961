import type { AzureTablesStore } from '../adapters/store/azure-tables-store.js';
import { sha256Hex } from '../adapters/store/audit-hash.js';
import type { StoreContents } from '../adapters/store/store-transfer.js';
import type { AuditKeys, ChainVerdict, StoredAuditEntry } from '../domain/audit.js';
import { ElevateError } from '../domain/errors.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { TimerStore } from '../ports/timer-store.js';
import { verifyAuditLog } from '../use-cases/audit-integrity.js';

/** A store the copy tool can read: its contents, its timers and its audit log (read only: no sealer). */
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
  /** The verified chain in the target: entries, how many of the first are unkeyed (written before audit keys), its last seq. */
  audit: { count: number; unkeyed: number; lastSeq: number };
}

/** The source's audit chain does not verify, or the target's is not the source's (another log, or a broken copy). */
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
  for await (const _ of source.auditLog().stored()) counts.auditEntries++;
  return counts;
}

/**
 * Copies `source` into `target`; items already there are left as they are (a second run finishes
 * an interrupted one). Versions start again at 1 in the target. Timers are copied as held by nobody.
 * The audit chain is verified with `keys` in the source before anything is written, appended
 * verbatim (text, seq, hashes, key ids) and verified again in the target, where it must end on
 * the source's last entry. Unkeyed entries (written before audit keys, never sealed) are accepted:
 * Elevate seals them when it starts on the target.
 */
export async function copyStore(source: CopySource, target: AzureTablesStore, keys: AuditKeys): Promise<CopyResult> {
  const sourceChain = await verifyLog(source.auditLog(), keys);
  if (!sourceChain.ok)
    throw new AuditCopyMismatchError(`the source's audit chain is broken at entry #${sourceChain.seq}: ${sourceChain.reason}; nothing was copied.`);
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
  const last = sourceChain.last;
  const targetChain = await verifyLog(target.auditLog(), keys, last);
  if (!targetChain.ok) throw new AuditCopyMismatchError(`the copied audit chain is broken at entry #${targetChain.seq}: ${targetChain.reason}`);
  if (targetChain.count !== sourceChain.count || targetChain.last?.hash !== last?.hash) {
    throw new AuditCopyMismatchError(`the copied audit chain has ${targetChain.count} entries, the source ${sourceChain.count}.`);
  }
  return { read, written, audit: { count: targetChain.count, unkeyed: targetChain.unkeyed, lastSeq: last?.seq ?? 0 } };
}

/** Appends what the target lacks, in the source's order; what it has must be the source's. */
async function copyAudit(source: AuditLog, target: AzureTablesStore): Promise<{ read: number; written: number }> {
  const log = target.auditLog();
  const head = await log.head();
  let read = 0;
  let written = 0;
  let batch: StoredAuditEntry[] = [];
  for await (const entry of source.stored()) {
    read++;
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
  return { read, written };
}

/** The whole chain with the configured keys (and, for the target, ending on the source's last entry). */
function verifyLog(log: AuditLog, keys: AuditKeys, anchor?: { seq: number; hash: string }): Promise<ChainVerdict> {
  return verifyAuditLog({ audit: log, keys, sha256: sha256Hex }, { acceptUnsealed: true, ...(anchor ? { anchor } : {}) });
}
