import assert from 'node:assert/strict';
import { retryDelay, TIMER_BACKOFF } from '../../../src/jobs/backoff.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('retryDelay', () => {
  const cases: { attempts: number; random: number; expected: number }[] = [
    { attempts: 0, random: 0, expected: 15 * SECOND },
    { attempts: 0, random: 0.999999, expected: 30 * SECOND },
    { attempts: 1, random: 0, expected: 30 * SECOND },
    { attempts: 2, random: 0.5, expected: 90 * SECOND },
    { attempts: 5, random: 0, expected: 7.5 * MINUTE },
    { attempts: 5, random: 0.999999, expected: 15 * MINUTE },
    { attempts: 1000, random: 0.999999, expected: 15 * MINUTE },
    { attempts: -3, random: 0, expected: 15 * SECOND },
    { attempts: Number.NaN, random: 0, expected: 15 * SECOND },
  ];
  for (const { attempts, random, expected } of cases) {
    it(`waits ${expected / SECOND} s after ${attempts} earlier failures when random() is ${random}`, () => {
      assert.equal(
        retryDelay(attempts, TIMER_BACKOFF, () => random),
        expected,
      );
    });
  }

  it('never exceeds the cap and never drops below half the capped delay', () => {
    for (let attempts = 0; attempts < 20; attempts++) {
      const delay = retryDelay(attempts, { baseMs: 100, capMs: 5000 }, Math.random);
      const ceiling = Math.min(5000, 100 * 2 ** attempts);
      assert.ok(delay >= ceiling / 2 && delay <= ceiling, `${attempts}: ${delay}`);
    }
  });
});
