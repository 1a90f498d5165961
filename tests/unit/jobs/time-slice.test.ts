import assert from 'node:assert/strict';
import { nextSlice, SLICE_BUDGET_MS, waitingPieces } from '../../../src/jobs/time-slice.js';
import { busy } from '../../support/time-slice.js';

/** Waits until the event loop is idle again, so each test starts with a fresh slice. */
const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

describe('nextSlice (cooperative time slices, issue #13)', () => {
  beforeEach(settled);

  it('lets a piece go on at once while the pass has room', () => {
    const started = performance.now();
    assert.equal(nextSlice(), undefined, 'the first piece of a pass starts its slice');
    const second = nextSlice();
    // A machine that stalled this process for a whole budget between the two lines has no room left.
    if (performance.now() - started < SLICE_BUDGET_MS) assert.equal(second, undefined);
  });

  it('holds a piece past the budget until a later pass, after the timers that came due', async () => {
    const events: string[] = [];
    assert.equal(nextSlice(), undefined);
    setTimeout(() => events.push('timer'), 0);
    busy(SLICE_BUDGET_MS + 2);
    const held = nextSlice();
    assert.ok(held, 'past the budget the piece waits');
    await held.then(() => events.push('piece'));
    assert.deepEqual(events, ['timer', 'piece']);
  });

  it('starts waiting pieces in arrival order', async () => {
    assert.equal(nextSlice(), undefined, 'the first piece of a pass starts its slice');
    busy(SLICE_BUDGET_MS + 1);
    const order: number[] = [];
    const held = [1, 2, 3, 4].map((n) => {
      const piece = nextSlice();
      assert.ok(piece, `piece ${n} waits: the pass is past its budget, or others wait before it`);
      return piece.then(() => order.push(n));
    });
    assert.equal(waitingPieces(), 4);
    await Promise.all(held);
    assert.deepEqual(order, [1, 2, 3, 4]);
  });

  it('runs no more than a budget of pieces between two timer ticks when many arrive at once', async () => {
    const PIECE_MS = 3;
    const PIECES = 24;
    // Between ticks: the pieces started while the budget lasted, the last of them started just before it ran out.
    const mostPerPass = Math.ceil(SLICE_BUDGET_MS / PIECE_MS) + 1;
    let sinceTick = 0;
    let mostBetweenTicks = 0;
    let ticks = 0;
    let done = false;
    const tick = () => {
      ticks++;
      mostBetweenTicks = Math.max(mostBetweenTicks, sinceTick);
      sinceTick = 0;
      if (!done) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    assert.equal(nextSlice(), undefined, 'the first piece of a pass starts its slice');
    busy(SLICE_BUDGET_MS + 1);
    await Promise.all(
      Array.from({ length: PIECES }, () =>
        (nextSlice() ?? Promise.resolve()).then(() => {
          busy(PIECE_MS);
          sinceTick++;
        }),
      ),
    );
    done = true;
    mostBetweenTicks = Math.max(mostBetweenTicks, sinceTick);
    // Without slices all 24 pieces (72 ms) would run between two ticks.
    assert.ok(mostBetweenTicks <= mostPerPass, `${mostBetweenTicks} pieces ran between two timer ticks (at most ${mostPerPass})`);
    assert.ok(ticks >= Math.floor(PIECES / mostPerPass), `timers ran ${ticks} times while the pieces were worked through`);
    assert.equal(waitingPieces(), 0);
  });
});
