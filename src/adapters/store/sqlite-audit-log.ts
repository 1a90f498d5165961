import type { Database, Statement } from 'better-sqlite3';
import { canonicalJson, chainEntry, type AuditEntry, type AuditEvent } from '../../domain/audit.js';
import { AuditLogCorruptError, type AuditFilter, type AuditLog } from '../../ports/audit-log.js';
import { sha256Hex } from './audit-hash.js';

interface AuditRow {
  seq: number;
  event: string;
  prev_hash: string;
  hash: string;
}

const PAGE_SIZE = 500;
const APPEND_ATTEMPTS = 5;

/**
 * AuditLog in the `audit` table of the Elevate SQLite file, on the ElevationStore's connection
 * (get it from `SqliteElevationStore#auditLog()`, which has run the migrations). An append is one
 * BEGIN IMMEDIATE transaction: read the last entry, insert `seq + 1`. IMMEDIATE takes the write
 * lock before the read, so processes sharing the file queue (busy_timeout) instead of forking the
 * chain; the PRIMARY KEY on `seq` is the compare-and-swap that would refuse a fork regardless.
 */
export class SqliteAuditLog implements AuditLog {
  private readonly last: Statement<[], { seq: number; hash: string }>;
  private readonly insert: Statement<[number, string, string, string]>;
  private readonly page: Statement<[number, number], AuditRow>;

  constructor(private readonly db: Database) {
    this.last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare<[number, string, string, string]>('INSERT INTO audit (seq, event, prev_hash, hash) VALUES (?, ?, ?, ?)');
    this.page = db.prepare<[number, number], AuditRow>('SELECT seq, event, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?');
  }

  async append(event: AuditEvent): Promise<AuditEntry> {
    const appendOnce = this.db.transaction((): AuditEntry => {
      const entry = chainEntry(sha256Hex, this.last.get(), event);
      const { seq, prevHash, hash, ...stored } = entry;
      this.insert.run(seq, canonicalJson(stored), prevHash, hash);
      return entry;
    });
    for (let attempt = 1; ; attempt++) {
      try {
        return appendOnce.immediate();
      } catch (error) {
        if (!isSeqConflict(error) || attempt >= APPEND_ATTEMPTS) throw error;
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
    let sql = `SELECT seq, event, prev_hash, hash FROM audit${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
    if (filter.limit !== undefined) {
      sql = `SELECT * FROM (${sql} ORDER BY seq DESC LIMIT ?)`;
      params.push(Math.max(0, Math.floor(filter.limit)));
    }
    const rows = this.db.prepare(`${sql} ORDER BY seq`).all(...params) as AuditRow[];
    return rows.map(toEntry);
  }

  /** Pages by `seq` so that no statement stays open between pages (appends may run meanwhile). */
  async *all(): AsyncIterable<AuditEntry> {
    let after = 0;
    for (;;) {
      const rows = this.page.all(after, PAGE_SIZE);
      for (const row of rows) yield toEntry(row);
      const lastRow = rows.at(-1);
      if (!lastRow || rows.length < PAGE_SIZE) return;
      after = lastRow.seq;
    }
  }
}

/** The stored entry exactly as found; verification, not reading, decides whether it is intact. */
function toEntry(row: AuditRow): AuditEntry {
  let event: unknown;
  try {
    event = JSON.parse(row.event);
  } catch (error) {
    throw new AuditLogCorruptError(row.seq, 'its event is not JSON', { cause: error });
  }
  return { ...(event as AuditEvent), seq: row.seq, prevHash: row.prev_hash, hash: row.hash };
}

function isSeqConflict(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
