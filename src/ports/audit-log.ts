import type { AuditEntry, AuditEvent, StoredAuditEntry } from '../domain/audit.js';
import { ElevateError } from '../domain/errors.js';

export interface AuditFilter {
  /** Entries at or after this instant. */
  since?: Date;
  /** Entries whose actor or subject is this user. */
  aadObjectId?: string;
  /** Only the newest `limit` matching entries (still returned oldest first). */
  limit?: number;
}

export interface AppendOptions {
  /** Append only if the newest entry is still #expectLastSeq (0: the log is empty); else AuditAppendConflict. */
  expectLastSeq?: number;
}

/**
 * The append-only, sealed audit log (docs/design.md "Status and audit"; README "Audit log"). Appends
 * from several bot instances form one chain: each append reads the newest entry, seals the next
 * one with `sealAuditEntry` (src/domain/audit.ts) and inserts it at `seq + 1` only if that seq is
 * free (compare-and-swap), reading and sealing again on conflict. Verification is not the store's
 * job: `stored()` hands the entries as stored to the domain's ChainVerifier.
 * Implementations: SQLite (same file as the ElevationStore); Azure Tables (same account: an entity per
 * seq, written in one transaction with the `head` entity, conditional on its etag).
 */
export interface AuditLog {
  /** Normalizes the event (see normalizeAuditEvent), chains, seals and stores it; returns the stored entry. */
  append(event: AuditEvent, options?: AppendOptions): Promise<AuditEntry>;
  /** Matching entries in chain order (oldest first), as read: not verified. */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Every entry exactly as stored, in chain order, read in pages; for verification. */
  stored(): AsyncIterable<StoredAuditEntry>;
}

/** A stored row could not be read back as an entry (its JSON was damaged outside Elevate). */
export class AuditLogCorruptError extends ElevateError {
  constructor(
    readonly seq: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`audit entry #${seq} is unreadable: ${reason}`, 'AuditLogCorrupt', options);
  }
}

/** `append` with `expectLastSeq` found another newest entry. */
export class AuditAppendConflict extends ElevateError {
  constructor(
    readonly expectedLastSeq: number,
    readonly actualLastSeq: number,
  ) {
    super(`the audit log moved on: expected #${expectedLastSeq} to be the newest entry, found #${actualLastSeq}`, 'AuditAppendConflict');
  }
}

/** The audit log was opened without audit keys (to export or verify) and cannot append. */
export class AuditLogReadOnlyError extends ElevateError {
  constructor() {
    super('this audit log was opened without an audit key and cannot append', 'AuditLogReadOnly');
  }
}
