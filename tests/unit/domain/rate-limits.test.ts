import assert from 'node:assert/strict';
import { parseRateLimits, TEAMS_RATE_LIMITS } from '../../../src/domain/rate-limits.js';

describe('rate limits as ELEVATE_OUTBOX_RATE_LIMITS spells them', () => {
  it("reads Teams' own limits back from their written form", () => {
    assert.deepEqual(parseRateLimits('7/1s, 8/2s, 60/30s, 1800/1h'), TEAMS_RATE_LIMITS);
    assert.deepEqual(parseRateLimits('7/50ms,60/1500ms,10/2m'), [
      { count: 7, windowMs: 50 },
      { count: 60, windowMs: 1_500 },
      { count: 10, windowMs: 120_000 },
    ]);
  });

  it('refuses a limit it cannot read, naming it', () => {
    assert.throws(() => parseRateLimits('7 per second'), /"7 per second" is not a rate limit/);
    assert.throws(() => parseRateLimits('0/1s'), /must be positive/);
  });
});
