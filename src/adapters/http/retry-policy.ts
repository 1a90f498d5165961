/** When and how long to wait before another attempt (docs/design.md "Architecture": one retry policy for every call). */

export const RETRIABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

export interface BackoffSettings {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns milliseconds
 * from `now`, 0 for a date in the past, undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Exponential backoff with "equal jitter": half the capped exponential delay is fixed, the other
 * half random, so attempts never bunch up at zero yet several callers spread out.
 * `attempt` is the number of the attempt that just failed (1-based); result is in [cap/2, cap).
 */
export function backoffDelay(attempt: number, settings: BackoffSettings, random: () => number): number {
  const cap = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const half = cap / 2;
  return Math.round(half + random() * half);
}

/** Network error codes that prove no byte of the request reached a server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when a fetch failure shows the connection was never established (refused, host unknown). */
export function neverReachedServer(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return NOT_SENT_CODES.has(code);
  // Node tries every address of a host (happy eyeballs) and reports an AggregateError of them all.
  const errors = (cause as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => NOT_SENT_CODES.has((e as { code?: string }).code ?? ''));
}

/**
 * Whether a failed attempt may be repeated.
 *
 * Idempotent requests (reads, and writes whose repetition changes nothing, like applyAdminRole)
 * retry on 429, 500, 502, 503, 504, network errors and timeouts.
 *
 * A non-idempotent request (POST selfActivate: a second one creates a second PIM request, or
 * fails with RoleAssignmentExists and hides the first one's outcome) is repeated only when it is
 * certain that the server did not act on it:
 * - 429: throttling rejects the request before any processing (Graph throttling guidance);
 * - 503 with Retry-After: the service declares itself unavailable and says when to come back,
 *   which is how Graph and Azure front ends refuse work they have not started;
 * - connection refused / host not found: the request never left this process.
 * A timeout, a reset connection, 500, 502, 504 or a 503 without Retry-After may come after the
 * server acted, so the error goes to the caller, who must re-read the state before trying again.
 */
export function mayRetry(
  outcome: { kind: 'status'; status: number; hasRetryAfter: boolean } | { kind: 'network'; error: unknown },
  idempotent: boolean,
): boolean {
  if (outcome.kind === 'network') return idempotent || neverReachedServer(outcome.error);
  if (!RETRIABLE_STATUSES.has(outcome.status)) return false;
  if (idempotent) return true;
  return outcome.status === 429 || (outcome.status === 503 && outcome.hasRetryAfter);
}
