/** At most `count` messages in any `windowMs`. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

/**
 * Teams' limits per bot per conversation ("thread") for sending and updating messages
 * (docs/api-contracts.md §5, learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit):
 * 7 per second, 8 per 2 seconds, 60 per 30 seconds, 1,800 per hour.
 */
export const TEAMS_RATE_LIMITS: readonly RateLimit[] = [
  { count: 7, windowMs: 1_000 },
  { count: 8, windowMs: 2_000 },
  { count: 60, windowMs: 30_000 },
  { count: 1_800, windowMs: 3_600_000 },
];

/** `7/1s,8/2s,60/30s,1800/1h` (units ms, s, m, h), as ELEVATE_OUTBOX_RATE_LIMITS spells them. */
export function parseRateLimits(text: string): RateLimit[] {
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^(\d+)\s*\/\s*(\d+)\s*(ms|s|m|h)$/.exec(part);
      if (!match) throw new Error(`"${part}" is not a rate limit: write count/window, e.g. 7/1s or 1800/1h`);
      const limit = { count: Number(match[1]), windowMs: Number(match[2]) * units[match[3]!]! };
      if (limit.count < 1 || limit.windowMs < 1) throw new Error(`"${part}": count and window must be positive`);
      return limit;
    });
}
