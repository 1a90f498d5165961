/** A timer that survives restarts: reminders, expiry, clean-up retries. */
export interface DurableTimer {
  id: string;
  kind: string;
  /** What it is about, e.g. an elevation id. */
  subject: string;
  /** ISO instant. */
  dueAt: string;
  /** Failed runs so far (0 on the first run); drives backoff and alerts. */
  attempts: number;
  payload: Record<string, string | number | boolean>;
}

/**
 * What a timer handler asks for: delete the timer, or run it again at `retryAt` (a postponement, not
 * a failure, unless `countAttempt`: then `attempts` grows as when the handler throws).
 */
export type TimerOutcome = 'done' | { retryAt: Date; countAttempt?: boolean };
export type TimerHandler = (timer: DurableTimer) => Promise<TimerOutcome>;

export interface RetryOptions {
  /** Whether this retry counts as a failed attempt (attempts+1). Default true; false to postpone. */
  countAttempt?: boolean;
}

/**
 * Durable timers in the store. Claims are compare-and-swap with a lease, so several bot instances
 * never run one timer twice and a crashed instance's claims expire.
 *
 * `owner` identifies one live scheduler: unique among instances sharing the store, and stable
 * across restarts of the same instance, so that a restarted instance takes its own claims back
 * at once instead of waiting for their leases to run out.
 */
export interface TimerStore {
  /**
   * Idempotent on id: scheduling the same id again keeps one timer. Its due time and payload are
   * updated only while nobody holds it (or the holder's lease has run out); kind, subject and
   * attempts are kept.
   */
  schedule(timer: Omit<DurableTimer, 'attempts'>): Promise<void>;
  /**
   * Atomically claims up to `limit` timers due at `now` (oldest first) that nobody holds, whose
   * lease expired, or that `owner` itself holds, for `owner` until now+leaseMs.
   */
  claimDue(now: Date, owner: string, leaseMs: number, limit: number): Promise<DurableTimer[]>;
  /** Deletes it if still held by owner. */
  complete(id: string, owner: string): Promise<boolean>;
  /** New due time, lease released, attempts+1 unless `countAttempt: false`; only if still held by owner. */
  retryLater(id: string, owner: string, dueAt: Date, options?: RetryOptions): Promise<boolean>;
  /** Deletes the subject's timers (only those of `kinds` when given), held or not; returns how many. */
  cancel(subject: string, kinds?: string[]): Promise<number>;
  /** Timers by due time, of one subject or all. */
  list(subject?: string): Promise<DurableTimer[]>;
}
