import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { AuditSealer } from '../../domain/audit.js';
import type { ElevationRecord, ElevationState } from '../../domain/elevation.js';
import { ElevateError } from '../../domain/errors.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { Clock } from '../../ports/clock.js';
import type { ElevationStore, StateQuery, Versioned } from '../../ports/elevation-store.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';
import { statementCache } from './sqlite-statements.js';
import { migrate } from './sqlite-schema.js';
import { SqliteTimerStore } from './sqlite-timer-store.js';
import type { StoreContents } from './store-transfer.js';

export interface SqliteStoreOptions {
  /** How long a write waits for another process's lock before failing (SQLITE_BUSY). */
  busyTimeoutMs?: number;
}

interface Row {
  body: string;
  version: number;
}

/**
 * ElevationStore in one SQLite file (better-sqlite3). WAL lets readers run beside the writer;
 * every change is one statement, so compare-and-swap is `UPDATE ... WHERE version = ?` and the
 * `changes` count tells who won, even between processes sharing the file.
 */
export class SqliteElevationStore implements ElevationStore, StoreContents {
  private readonly audits = new Map<AuditSealer | undefined, AuditLog>();

  private readonly sql: ReturnType<typeof statementCache>;

  private constructor(private readonly db: Database) {
    this.sql = statementCache(db);
  }

  /** Opens (and creates, with its parent directory) the database at `path`; `:memory:` for tests. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteElevationStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new BetterSqlite3(path);
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteElevationStore(db);
  }

  async createElevation(record: ElevationRecord): Promise<Versioned<ElevationRecord>> {
    const result = this.sql('INSERT OR IGNORE INTO elevations (id, requester, state, created_at, record, version) VALUES (?, ?, ?, ?, ?, 1)').run(
      record.id,
      record.requester.aadObjectId,
      record.state,
      record.createdAt,
      JSON.stringify(record),
    );
    if (result.changes !== 1) throw new ElevateError(`An elevation with id ${record.id} already exists.`, 'ElevationExists');
    return { value: record, version: '1' };
  }

  async getElevation(id: string): Promise<Versioned<ElevationRecord> | undefined> {
    const row = this.sql('SELECT record AS body, version FROM elevations WHERE id = ?').get(id) as Row | undefined;
    return row && versioned<ElevationRecord>(row);
  }

  async updateElevation(record: ElevationRecord, expectedVersion: string): Promise<Versioned<ElevationRecord> | undefined> {
    const expected = parseVersion(expectedVersion);
    if (expected === undefined) return undefined;
    const result = this.sql('UPDATE elevations SET state = ?, record = ?, version = version + 1 WHERE id = ? AND version = ?').run(
      record.state,
      JSON.stringify(record),
      record.id,
      expected,
    );
    return result.changes === 1 ? { value: record, version: String(expected + 1) } : undefined;
  }

  /** Newest first. */
  async listElevationsByRequester(aadObjectId: string): Promise<Versioned<ElevationRecord>[]> {
    const rows = this.sql('SELECT record AS body, version FROM elevations WHERE requester = ? ORDER BY created_at DESC, id').all(aadObjectId) as Row[];
    return rows.map((row) => versioned<ElevationRecord>(row));
  }

  /** Oldest first: the work a restarted instance picks up, or the drafts housekeeping removes. */
  async listElevationsInStates(states: readonly ElevationState[], query: StateQuery = {}): Promise<Versioned<ElevationRecord>[]> {
    if (states.length === 0 || query.limit === 0) return [];
    const marks = states.map(() => '?').join(', ');
    const before = query.createdBefore ? ' AND created_at < ?' : '';
    const limit = query.limit === undefined ? '' : ' LIMIT ?';
    const parameters: unknown[] = [...states];
    if (query.createdBefore) parameters.push(query.createdBefore.toISOString());
    if (query.limit !== undefined) parameters.push(Math.max(0, Math.floor(query.limit)));
    const rows = this.sql(`SELECT record AS body, version FROM elevations WHERE state IN (${marks})${before} ORDER BY created_at, id${limit}`).all(
      ...parameters,
    ) as Row[];
    return rows.map((row) => versioned<ElevationRecord>(row));
  }

  async deleteElevation(id: string, expectedVersion: string): Promise<boolean> {
    const expected = parseVersion(expectedVersion);
    if (expected === undefined) return false;
    return this.sql('DELETE FROM elevations WHERE id = ? AND version = ?').run(id, expected).changes === 1;
  }

  async getDocument<T>(key: string): Promise<Versioned<T> | undefined> {
    const row = this.sql('SELECT value AS body, version FROM documents WHERE key = ?').get(key) as Row | undefined;
    return row && versioned<T>(row);
  }

  async putDocument<T>(key: string, value: T, expectedVersion?: string): Promise<Versioned<T> | undefined> {
    const body = JSON.stringify(value);
    if (expectedVersion === undefined) {
      const result = this.sql('INSERT OR IGNORE INTO documents (key, value, version) VALUES (?, ?, 1)').run(key, body);
      return result.changes === 1 ? { value, version: '1' } : undefined;
    }
    const expected = parseVersion(expectedVersion);
    if (expected === undefined) return undefined;
    const result = this.sql('UPDATE documents SET value = ?, version = version + 1 WHERE key = ? AND version = ?').run(body, key, expected);
    return result.changes === 1 ? { value, version: String(expected + 1) } : undefined;
  }

  async deleteDocument(key: string, expectedVersion: string): Promise<boolean> {
    const expected = parseVersion(expectedVersion);
    if (expected === undefined) return false;
    return this.sql('DELETE FROM documents WHERE key = ? AND version = ?').run(key, expected).changes === 1;
  }

  async claimOnce(key: string, at: Date): Promise<boolean> {
    return this.sql('INSERT OR IGNORE INTO claims (key, claimed_at) VALUES (?, ?)').run(key, at.toISOString()).changes === 1;
  }

  async hasClaim(key: string): Promise<boolean> {
    return this.sql('SELECT 1 FROM claims WHERE key = ?').get(key) !== undefined;
  }

  /** Oldest first, through the claimed_at index (migration 5). */
  async pruneClaims(claimedBefore: Date, limit: number): Promise<number> {
    const bound = Math.max(0, Math.floor(limit));
    if (bound === 0) return 0;
    return this.sql('DELETE FROM claims WHERE key IN (SELECT key FROM claims WHERE claimed_at < ? ORDER BY claimed_at LIMIT ?)').run(
      claimedBefore.toISOString(),
      bound,
    ).changes;
  }

  /**
   * The audit log in the same file, on this connection; closed with the store. Without a sealer
   * (the export tool) it reads but cannot append. The same sealer gets the same log (one append queue).
   */
  auditLog(sealer?: AuditSealer): AuditLog {
    let log = this.audits.get(sealer);
    if (!log) {
      log = new SqliteAuditLog(this.db, sealer);
      this.audits.set(sealer, log);
    }
    return log;
  }

  /** The durable timers in the same file, on this connection; closed with the store. */
  timers(clock?: Clock): SqliteTimerStore {
    return new SqliteTimerStore(this.db, clock);
  }

  /** Every elevation, oldest first (the copy tool). */
  async *elevations(): AsyncIterable<ElevationRecord> {
    for (const row of this.db.prepare('SELECT record AS body FROM elevations ORDER BY created_at, id').iterate() as Iterable<{ body: string }>) {
      yield JSON.parse(row.body) as ElevationRecord;
    }
  }

  async *documents(): AsyncIterable<{ key: string; value: unknown }> {
    for (const row of this.db.prepare('SELECT key, value FROM documents ORDER BY key').iterate() as Iterable<{ key: string; value: string }>) {
      yield { key: row.key, value: JSON.parse(row.value) as unknown };
    }
  }

  async *claims(): AsyncIterable<{ key: string; claimedAt: string }> {
    for (const row of this.db.prepare('SELECT key, claimed_at AS claimedAt FROM claims ORDER BY key').iterate() as Iterable<{
      key: string;
      claimedAt: string;
    }>) {
      yield row;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function versioned<T>(row: Row): Versioned<T> {
  return { value: JSON.parse(row.body) as T, version: String(row.version) };
}

function parseVersion(version: string): number | undefined {
  return /^\d+$/.test(version) ? Number(version) : undefined;
}
