import assert from 'node:assert/strict';
import { backoffDelay, mayRetry, neverReachedServer, parseRetryAfter } from '../../../../src/adapters/http/retry-policy.js';
import { connectionRefused, connectionReset } from '../fakes/fake-fetch.js';

const NOW = Date.parse('2026-01-01T10:00:00Z');

describe('parseRetryAfter', () => {
  const cases: { value: string | null; expected: number | undefined; why: string }[] = [
    { value: '7', expected: 7000, why: 'delay-seconds' },
    { value: ' 0 ', expected: 0, why: 'zero seconds, padded' },
    { value: '1.5', expected: 1500, why: 'fractional seconds (tolerated)' },
    { value: 'Thu, 01 Jan 2026 10:00:30 GMT', expected: 30_000, why: 'an HTTP date 30 s ahead' },
    { value: 'Thu, 01 Jan 2026 09:59:00 GMT', expected: 0, why: 'an HTTP date in the past' },
    { value: 'soon', expected: undefined, why: 'unreadable text' },
    { value: null, expected: undefined, why: 'no header' },
  ];
  for (const { value, expected, why } of cases) {
    it(`${expected === undefined ? 'ignores' : 'reads'} ${why}`, () => {
      assert.equal(parseRetryAfter(value, NOW), expected);
    });
  }
});

describe('backoffDelay', () => {
  const settings = { baseDelayMs: 500, maxDelayMs: 8000 };

  it('stays within [cap/2, cap] for every attempt and random value', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const cap = Math.min(8000, 500 * 2 ** (attempt - 1));
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const delay = backoffDelay(attempt, settings, () => r);
        assert.ok(delay >= cap / 2 && delay <= cap, `attempt ${attempt}, random ${r}: ${delay} not in [${cap / 2}, ${cap}]`);
      }
    }
  });

  it('doubles the cap per attempt until the maximum', () => {
    const top = (attempt: number) => backoffDelay(attempt, settings, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(top), [500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('spreads callers out with the random source', () => {
    assert.notEqual(
      backoffDelay(3, settings, () => 0),
      backoffDelay(3, settings, () => 0.9),
    );
  });
});

describe('mayRetry', () => {
  const cases: { outcome: Parameters<typeof mayRetry>[0]; idempotent: boolean; expected: boolean; why: string }[] = [
    { outcome: { kind: 'status', status: 429, hasRetryAfter: false }, idempotent: true, expected: true, why: '429 on a read' },
    { outcome: { kind: 'status', status: 500, hasRetryAfter: false }, idempotent: true, expected: true, why: '500 on a read' },
    { outcome: { kind: 'status', status: 502, hasRetryAfter: false }, idempotent: true, expected: true, why: '502 on a read' },
    { outcome: { kind: 'status', status: 504, hasRetryAfter: false }, idempotent: true, expected: true, why: '504 on a read' },
    { outcome: { kind: 'status', status: 400, hasRetryAfter: false }, idempotent: true, expected: false, why: '400 anywhere' },
    { outcome: { kind: 'status', status: 501, hasRetryAfter: false }, idempotent: true, expected: false, why: '501 (not a transient 5xx)' },
    {
      outcome: { kind: 'status', status: 429, hasRetryAfter: false },
      idempotent: false,
      expected: true,
      why: '429 on selfActivate (rejected before processing)',
    },
    { outcome: { kind: 'status', status: 503, hasRetryAfter: true }, idempotent: false, expected: true, why: '503 with Retry-After on selfActivate' },
    { outcome: { kind: 'status', status: 503, hasRetryAfter: false }, idempotent: false, expected: false, why: '503 without Retry-After on selfActivate' },
    { outcome: { kind: 'status', status: 500, hasRetryAfter: false }, idempotent: false, expected: false, why: '500 on selfActivate (may have acted)' },
    { outcome: { kind: 'status', status: 504, hasRetryAfter: true }, idempotent: false, expected: false, why: '504 on selfActivate even with Retry-After' },
    { outcome: { kind: 'network', error: connectionRefused() }, idempotent: false, expected: true, why: 'connection refused on selfActivate' },
    { outcome: { kind: 'network', error: connectionReset() }, idempotent: false, expected: false, why: 'connection reset on selfActivate' },
    { outcome: { kind: 'network', error: new DOMException('timed out', 'TimeoutError') }, idempotent: false, expected: false, why: 'timeout on selfActivate' },
    { outcome: { kind: 'network', error: connectionReset() }, idempotent: true, expected: true, why: 'connection reset on a read' },
  ];
  for (const { outcome, idempotent, expected, why } of cases) {
    it(`${expected ? 'retries' : 'does not retry'} ${why}`, () => {
      assert.equal(mayRetry(outcome, idempotent), expected);
    });
  }
});

describe('neverReachedServer', () => {
  it('recognises an AggregateError of refused addresses (happy eyeballs)', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    const error = new TypeError('fetch failed', { cause: new AggregateError([refused('::1'), refused('127.0.0.1')]) });
    assert.equal(neverReachedServer(error), true);
  });

  it('does not treat a reset connection as never sent', () => {
    assert.equal(neverReachedServer(connectionReset()), false);
  });
});
