import { backoffDelay } from '../adapters/http/retry-policy.js';

export interface RetryBackoff {
  /** Delay scale for the first failure. */
  baseMs: number;
  /** No delay exceeds this. */
  capMs: number;
}

/** Failed timers: 15-30 s after the first failure, doubling up to 7.5-15 min. */
export const TIMER_BACKOFF: RetryBackoff = { baseMs: 30_000, capMs: 15 * 60_000 };

/**
 * How long to wait before running a failed timer again, given how many runs had already failed
 * before this one (`DurableTimer.attempts`). Exponential with equal jitter, the same curve as the
 * HTTP retries: the result lies in [d/2, d] for d = min(cap, base * 2^attempts), so instances that
 * failed together spread out without any retry coming back almost at once.
 */
export function retryDelay(attempts: number, backoff: RetryBackoff, random: () => number): number {
  const failed = Number.isFinite(attempts) ? Math.max(0, Math.floor(attempts)) : 0;
  return backoffDelay(failed + 1, { baseDelayMs: backoff.baseMs, maxDelayMs: backoff.capMs }, random);
}
