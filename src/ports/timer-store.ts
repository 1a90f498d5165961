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
 * `owner` identifies one running scheduler, `<instance>#<boot>`: two processes never share one.
 * A process that starts gives back the claims of earlier runs of its instance (`releaseEarlierRuns`),
 * which ended without releasing them; other instances' claims run out with their lease.
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
  /**
   * When the soonest timer becomes claimable by `owner`: its due time when nobody else holds it,
   * else the end of the holder's lease (if later). Undefined when there is none. A scheduler plans
   * its next pass from it, so a timer another instance (or an earlier run of this one) wrote runs on
   * time and not up to a poll late. It may look at the first timers only: the poll covers the rest.
   */
  nextDue(owner: string, now: Date): Promise<Date | undefined>;
  /**
   * Releases (due as they were, held by nobody, attempts unchanged) the timers held by owners
   * `<instance>#…` other than `current`: earlier runs of this instance that were killed holding them.
   * Returns how many.
   */
  releaseEarlierRuns(instance: string, current: string): Promise<number>;
  /** Extends the lease to `leaseUntil` while `owner` still holds it (a handler still running); false when it does not. */
  renew(id: string, owner: string, leaseUntil: Date): Promise<boolean>;
  /** New due time, lease released, attempts+1 unless `countAttempt: false`; only if still held by owner. */
  retryLater(id: string, owner: string, dueAt: Date, options?: RetryOptions): Promise<boolean>;
  /** Deletes the subject's timers (only those of `kinds` when given), held or not; returns how many. */
  cancel(subject: string, kinds?: string[]): Promise<number>;
  /** Timers by due time, of one subject or all. */
  list(subject?: string): Promise<DurableTimer[]>;
}
