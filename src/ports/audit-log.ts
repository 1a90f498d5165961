import type { AuditEntry, AuditEvent } from '../domain/audit.js';
import { ElevateError } from '../domain/errors.js';

export interface AuditFilter {
  /** Entries at or after this instant. */
  since?: Date;
  /** Entries whose actor or subject is this user. */
  aadObjectId?: string;
  /** Only the newest `limit` matching entries (still returned oldest first). */
  limit?: number;
}

/**
 * The append-only, hash-chained audit log (design.md "Status and audit"). Appends from several
 * bot instances form one chain: each append reads the last entry and inserts `seq + 1` with that
 * entry's hash as `prevHash`, compare-and-swap on the unique `seq`, retrying on conflict.
 * Implementations: SQLite (same file as the ElevationStore); Azure Tables later (RowKey = seq).
 */
export interface AuditLog {
  /** Normalizes the event (see normalizeAuditEvent), chains and stores it; returns the stored entry. */
  append(event: AuditEvent): Promise<AuditEntry>;
  /** Matching entries in chain order (oldest first). */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Every entry in chain order, read in pages; for export and verification. */
  all(): AsyncIterable<AuditEntry>;
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
