import type { Database, Statement } from 'better-sqlite3';
import { sealAuditEntry, type AuditEntry, type AuditEvent, type AuditSealer, type StoredAuditEntry } from '../../domain/audit.js';
import {
  AuditAppendConflict,
  AuditLogCorruptError,
  AuditLogReadOnlyError,
  type AppendOptions,
  type AuditFilter,
  type AuditLog,
} from '../../ports/audit-log.js';
import { sha256Hex } from './audit-hash.js';

interface AuditRow {
  seq: number;
  event: string;
  prev_hash: string;
  hash: string;
  key_id: string | null;
  at: string | null;
  actor_id: string | null;
  subject_id: string | null;
}

const COLUMNS = 'seq, event, prev_hash, hash, key_id, at, actor_id, subject_id';
const PAGE_SIZE = 500;
/** Other processes appending to the same file: each lost race costs one attempt. */
const APPEND_ATTEMPTS = 40;

/**
 * AuditLog in the `audit` table of the Elevate SQLite file, on the ElevationStore's connection
 * (get it from `SqliteElevationStore#auditLog(sealer)`, which has run the migrations). An append
 * reads the newest entry, seals the next one (the sealer may be remote, so no transaction is held
 * open meanwhile) and inserts it at `seq + 1`: the PRIMARY KEY on `seq` is the compare-and-swap.
 * A process that lost the race reads again and reseals; appends within this process queue up.
 * `at`, `actor_id` and `subject_id` are generated from the stored JSON (sqlite-schema.ts).
 */
export class SqliteAuditLog implements AuditLog {
  private readonly last: Statement<[], { seq: number; hash: string; keyId: string | null }>;
  private readonly insert: Statement<[number, string, string, string, string]>;
  private readonly page: Statement<[number, number], AuditRow>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly sealer?: AuditSealer,
  ) {
    this.last = db.prepare<[], { seq: number; hash: string; keyId: string | null }>('SELECT seq, hash, key_id AS keyId FROM audit ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare<[number, string, string, string, string]>('INSERT INTO audit (seq, event, prev_hash, hash, key_id) VALUES (?, ?, ?, ?, ?)');
    this.page = db.prepare<[number, number], AuditRow>(`SELECT ${COLUMNS} FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`);
  }

  append(event: AuditEvent, options: AppendOptions = {}): Promise<AuditEntry> {
    const run = this.queue.then(() => this.appendNow(event, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(event: AuditEvent, options: AppendOptions): Promise<AuditEntry> {
    const sealer = this.sealer;
    if (!sealer) throw new AuditLogReadOnlyError();
    for (let attempt = 1; ; attempt++) {
      const last = this.last.get();
      if (options.expectLastSeq !== undefined && (last?.seq ?? 0) !== options.expectLastSeq)
        throw new AuditAppendConflict(options.expectLastSeq, last?.seq ?? 0);
      const { entry, stored } = await sealAuditEntry(sha256Hex, sealer, last, event);
      try {
        this.insert.run(stored.seq, stored.event, stored.prevHash, stored.hash, stored.keyId);
        return entry;
      } catch (error) {
        if (!isSeqConflict(error)) throw error;
        if (options.expectLastSeq !== undefined) throw new AuditAppendConflict(options.expectLastSeq, stored.seq);
        if (attempt >= APPEND_ATTEMPTS) throw error;
        // Jittered, so that racing processes stop colliding.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.since) {
      where.push('at >= ?');
      params.push(filter.since.toISOString());
    }
    if (filter.aadObjectId !== undefined) {
      where.push('(actor_id = ? OR subject_id = ?)');
      params.push(filter.aadObjectId, filter.aadObjectId);
    }
    let sql = `SELECT ${COLUMNS} FROM audit${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
    if (filter.limit !== undefined) {
      sql = `SELECT * FROM (${sql} ORDER BY seq DESC LIMIT ?)`;
      params.push(Math.max(0, Math.floor(filter.limit)));
    }
    const rows = this.db.prepare(`${sql} ORDER BY seq`).all(...params) as AuditRow[];
    return rows.map(toEntry);
  }

  /** Pages by `seq` so that no statement stays open between pages (appends may run meanwhile). */
  async *stored(): AsyncIterable<StoredAuditEntry> {
    let after = 0;
    for (;;) {
      const rows = this.page.all(after, PAGE_SIZE);
      for (const row of rows) yield toStored(row);
      const lastRow = rows.at(-1);
      if (!lastRow || rows.length < PAGE_SIZE) return;
      after = lastRow.seq;
    }
  }
}

/** The row as stored, with the generated filter columns as SQLite computes them. */
function toStored(row: AuditRow): StoredAuditEntry {
  return {
    seq: row.seq,
    event: row.event,
    prevHash: row.prev_hash,
    hash: row.hash,
    ...(row.key_id === null ? {} : { keyId: row.key_id }),
    index: { at: row.at, actorId: row.actor_id, subjectId: row.subject_id },
  };
}

/** A readable entry; verification, not reading, decides whether it is intact. */
function toEntry(row: AuditRow): AuditEntry {
  let event: AuditEvent;
  try {
    event = JSON.parse(row.event) as AuditEvent;
  } catch (error) {
    throw new AuditLogCorruptError(row.seq, 'its event is not JSON', { cause: error });
  }
  return { ...event, seq: row.seq, prevHash: row.prev_hash, hash: row.hash, ...(row.key_id === null ? {} : { keyId: row.key_id }) };
}

function isSeqConflict(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
