/**
 * Cooperative time slices for the event loop (issue #13). A turn's CPU work comes in pieces between its
 * upstream calls; when dozens of turns are in flight, the answers of several upstream calls arrive in
 * the same pass of the event loop and their pieces would run back to back, holding up timers and new
 * requests for 100 ms and more (measured: README "Benchmarks"). Code that is about to start such a
 * piece awaits `nextSlice()`: within the current slice's budget it goes on at once; past the budget it
 * waits for a later pass (`setImmediate`), where the waiting pieces start in arrival order while that
 * pass's budget lasts. A slice ends when the event loop comes round to its timers again (a 0 ms
 * timer), so the pieces started while I/O is read and those started after it (the check phase, where
 * `setImmediate` callbacks run) share one budget, and timers and new requests come between slices.
 * Nothing is dropped, pieces that wait start in their arrival order, and no CPU is spent waiting.
 * HttpClient's spans include a wait for room (at most a pass in a storm).
 */

/** The work started in one pass of the event loop before the rest waits for the next pass. */
export const SLICE_BUDGET_MS = 8;

// The event loop's own clock and queue, taken at load: a test's fake timers (sinon) must not stop
// the slicing of real work.
const now = performance.now.bind(performance);
const immediate = setImmediate;
const timeout = setTimeout;

let sliceStart: number | undefined;
const waiting: (() => void)[] = [];

function endSlice(): void {
  sliceStart = undefined;
}

/** True when the current slice has room: starts a slice if none is running. */
function hasRoom(at: number): boolean {
  if (sliceStart === undefined) {
    sliceStart = at;
    timeout(endSlice, 0).unref();
    return true;
  }
  return at - sliceStart < SLICE_BUDGET_MS;
}

/**
 * One call per waiting piece, queued with `setImmediate`: all calls queued before a check phase run in
 * it, each followed by the microtask checkpoint where the piece it started runs, so the budget is
 * checked between pieces. A call that finds no room comes back in the next pass. A call starts the
 * longest-waiting piece, not necessarily the one it was queued for: the order is the arrival order.
 */
function release(): void {
  if (waiting.length === 0) return;
  if (hasRoom(now())) waiting.shift()!();
  else immediate(release);
}

/**
 * Resolves at once (`undefined`, nothing to await) while the current slice has room and nobody is
 * waiting, else with a promise that resolves in a later pass, in arrival order.
 */
export function nextSlice(): Promise<void> | undefined {
  if (waiting.length === 0 && hasRoom(now())) return undefined;
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    immediate(release);
  });
}

/** For tests: how many pieces wait. */
export function waitingPieces(): number {
  return waiting.length;
}
