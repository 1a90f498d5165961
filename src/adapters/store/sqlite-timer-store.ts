import { statementCache } from './sqlite-statements.js';
import type { Database, Statement } from 'better-sqlite3';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { DurableTimer, RetryOptions, TimerStore } from '../../ports/timer-store.js';
import { timerOf } from './timer-row.js';

interface TimerRow {
  id: string;
  kind: string;
  subject: string;
  due_ms: number;
  attempts: number;
  payload: string;
}

const COLUMNS = 'id, kind, subject, due_ms, attempts, payload';
/** Nobody holds it, its holder's lease ran out, or the claimer held it before a restart. */
/** Rows `nextDue` looks at. */
const SOONEST_ROWS = 50;
const CLAIMABLE = '(owner IS NULL OR owner = @owner OR lease_until_ms < @now)';

/**
 * TimerStore in the `timers` table of the Elevate SQLite file, on the ElevationStore's connection
 * (get it from `SqliteElevationStore#timers()`, which has run the migrations).
 *
 * A claim is one BEGIN IMMEDIATE transaction that takes the write lock before it reads, so
 * processes sharing the file queue (busy_timeout) rather than interleave; each row is then taken
 * with an UPDATE guarded by the claimable condition, whose `changes` count is the compare-and-swap.
 * `complete` and `retryLater` are guarded by `owner`, so a holder whose lease ran out and whose
 * timer someone else claimed can no longer touch it.
 */
export class SqliteTimerStore implements TimerStore {
  private readonly upsert: Statement<{ id: string; kind: string; subject: string; due: number; payload: string; now: number }>;
  private readonly dueIds: Statement<{ now: number; owner: string; limit: number }, { id: string }>;
  private readonly claimOne: Statement<{ id: string; now: number; owner: string; leaseUntil: number }, TimerRow>;
  private readonly soonest: Statement;
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly claimAll: (now: number, owner: string, leaseUntil: number, limit: number) => TimerRow[];

  constructor(
    private readonly db: Database,
    /** Only `schedule` reads it, to tell whether a holder's lease has run out. */
    private readonly clock: Clock = systemClock,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO timers (id, kind, subject, due_ms, attempts, payload) VALUES (@id, @kind, @subject, @due, 0, @payload)
       ON CONFLICT (id) DO UPDATE SET due_ms = excluded.due_ms, payload = excluded.payload, owner = NULL, lease_until_ms = NULL
       WHERE owner IS NULL OR lease_until_ms < @now`,
    );
    this.sql = statementCache(db);
    this.soonest = db.prepare(`SELECT due_ms, owner, lease_until_ms FROM timers ORDER BY due_ms LIMIT ${SOONEST_ROWS}`);
    this.dueIds = db.prepare(`SELECT id FROM timers WHERE due_ms <= @now AND ${CLAIMABLE} ORDER BY due_ms, id LIMIT @limit`);
    this.claimOne = db.prepare(
      `UPDATE timers SET owner = @owner, lease_until_ms = @leaseUntil WHERE id = @id AND due_ms <= @now AND ${CLAIMABLE} RETURNING ${COLUMNS}`,
    );
    const claimAll = db.transaction((now: number, owner: string, leaseUntil: number, limit: number): TimerRow[] =>
      this.dueIds
        .all({ now, owner, limit })
        .map(({ id }) => this.claimOne.get({ id, now, owner, leaseUntil }))
        .filter((row): row is TimerRow => row !== undefined),
    );
    this.claimAll = (...args) => claimAll.immediate(...args);
  }

  async schedule(timer: Omit<DurableTimer, 'attempts'>): Promise<void> {
    this.upsert.run({
      id: timer.id,
      kind: timer.kind,
      subject: timer.subject,
      due: instant(timer.dueAt, timer.id),
      payload: JSON.stringify(timer.payload),
      now: this.clock.now().getTime(),
    });
  }

  async claimDue(now: Date, owner: string, leaseMs: number, limit: number): Promise<DurableTimer[]> {
    if (limit <= 0) return [];
    const at = now.getTime();
    return this.claimAll(at, owner, at + Math.max(0, leaseMs), Math.floor(limit)).map(toTimer);
  }

  async complete(id: string, owner: string): Promise<boolean> {
    return this.sql('DELETE FROM timers WHERE id = ? AND owner = ?').run(id, owner).changes === 1;
  }

  async nextDue(owner: string, now: Date): Promise<Date | undefined> {
    // The first rows of the due-time index (the poll covers the rest): a walk, not a scan of the table.
    const rows = this.soonest.all() as { due_ms: number; owner: string | null; lease_until_ms: number | null }[];
    let soonest: number | undefined;
    for (const row of rows) {
      const held = row.owner !== null && row.owner !== owner && (row.lease_until_ms ?? 0) >= now.getTime();
      const at = held ? Math.max(row.due_ms, (row.lease_until_ms ?? 0) + 1) : row.due_ms;
      soonest = soonest === undefined ? at : Math.min(soonest, at);
    }
    return soonest === undefined ? undefined : new Date(soonest);
  }

  async releaseEarlierRuns(instance: string, current: string): Promise<number> {
    return this.sql(`UPDATE timers SET owner = NULL, lease_until_ms = NULL WHERE substr(owner, 1, @length) = @prefix AND owner <> @current`).run({
      prefix: `${instance}#`,
      length: instance.length + 1,
      current,
    }).changes;
  }

  async renew(id: string, owner: string, leaseUntil: Date): Promise<boolean> {
    return this.sql('UPDATE timers SET lease_until_ms = ? WHERE id = ? AND owner = ?').run(leaseUntil.getTime(), id, owner).changes === 1;
  }

  async retryLater(id: string, owner: string, dueAt: Date, options: RetryOptions = {}): Promise<boolean> {
    const increment = options.countAttempt === false ? 0 : 1;
    const result = this.sql('UPDATE timers SET due_ms = ?, attempts = attempts + ?, owner = NULL, lease_until_ms = NULL WHERE id = ? AND owner = ?').run(
      instant(dueAt, id),
      increment,
      id,
      owner,
    );
    return result.changes === 1;
  }

  async cancel(subject: string, kinds?: string[]): Promise<number> {
    if (kinds === undefined) return this.sql('DELETE FROM timers WHERE subject = ?').run(subject).changes;
    if (kinds.length === 0) return 0;
    const marks = kinds.map(() => '?').join(', ');
    return this.sql(`DELETE FROM timers WHERE subject = ? AND kind IN (${marks})`).run(subject, ...kinds).changes;
  }

  async list(subject?: string): Promise<DurableTimer[]> {
    const rows =
      subject === undefined
        ? this.db.prepare<[], TimerRow>(`SELECT ${COLUMNS} FROM timers ORDER BY due_ms, id`).all()
        : this.db.prepare<[string], TimerRow>(`SELECT ${COLUMNS} FROM timers WHERE subject = ? ORDER BY due_ms, id`).all(subject);
    return rows.map(toTimer);
  }
}

function instant(due: string | Date, id: string): number {
  const ms = typeof due === 'string' ? Date.parse(due) : due.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Timer ${id}: due time "${String(due)}" is not a valid instant.`);
  return ms;
}

function toTimer(row: TimerRow): DurableTimer {
  return timerOf({ ...row, dueMs: row.due_ms });
}
