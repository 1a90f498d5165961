import assert from 'node:assert/strict';
import { nextSlice, SLICE_BUDGET_MS } from '../../src/jobs/time-slice.js';

/** Keeps the CPU busy, as a turn's piece of work does between two upstream calls. */
export function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spinning on purpose
  }
}

/**
 * For tests of code that waits for room in the event loop (src/jobs/time-slice.ts): waits for a fresh
 * pass, starts a slice, queues `timer` (due at once) and spends the slice's budget, so that the next
 * piece must wait for a later pass, after that timer.
 */
export async function spendTheSlice(timer: () => void): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(nextSlice(), undefined, 'the first piece of a pass starts its slice');
  setTimeout(timer, 0);
  busy(SLICE_BUDGET_MS + 2);
}
