import assert from 'node:assert/strict';
import { spendTheSlice } from '../../../support/time-slice.js';
import { Admission } from '../../../../src/teams/host/admission.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
/**
 * A whole pass of the event loop, timers included: a turn may wait for the next pass when the current
 * one used its time slice (time-slice.ts), which one tick would not show on a loaded machine.
 */
const pass = () => new Promise<void>((resolve) => setTimeout(() => setImmediate(resolve), 5));

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

describe('Admission: a bounded number of turns at once', () => {
  it('runs at most the limit at once and lets the others in, in arrival order, as places come free', async () => {
    const admission = new Admission(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      admission.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await pass();
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(admission.load, { running: 2, waiting: 2 });

    gates[1]!.resolve();
    await pass();
    assert.deepEqual(started, [0, 1, 2], 'the first waiter takes the freed place');

    gates[0]!.reject(new Error('turn failed'));
    await assert.rejects(runs[0]!, /turn failed/);
    await pass();
    assert.deepEqual(started, [0, 1, 2, 3], 'a failed turn frees its place too');

    gates[2]!.resolve();
    gates[3]!.resolve();
    assert.deepEqual(await Promise.all(runs.slice(1)), [1, 2, 3]);
    assert.deepEqual(admission.load, { running: 0, waiting: 0 });
  });

  it('says when as many are waiting as it keeps, so new work is turned away', async () => {
    const admission = new Admission(1, 2);
    const gate = deferred();
    const runs = [0, 1, 2].map(() => admission.run(() => gate.promise));
    await pass();
    assert.equal(admission.full, true);
    gate.resolve();
    await Promise.all(runs);
    assert.equal(admission.full, false);
  });

  it('hands a place over on a later tick, so a timer already due runs between two turns', async () => {
    const admission = new Admission(1);
    const order: string[] = [];
    const first = deferred();
    const one = admission.run(async () => {
      await first.promise;
      order.push('turn 1');
    });
    const two = admission.run(async () => {
      order.push('turn 2');
    });
    await tick();
    setImmediate(() => order.push('timer'));
    first.resolve();
    await one;
    await two;
    assert.deepEqual(order, ['turn 1', 'timer', 'turn 2']);
  });

  it('starts a turn only when the event loop has room (time-slice.ts), after timers already due', async () => {
    const admission = new Admission(4);
    const order: string[] = [];
    await spendTheSlice(() => order.push('timer'));
    await admission.run(async () => {
      order.push('turn');
    });
    assert.deepEqual(order, ['timer', 'turn']);
  });

  it('lets urgent work (an invoke) in ahead of the messages that wait, and urgent work in its own arrival order', async () => {
    const admission = new Admission(1);
    const running = deferred();
    const order: string[] = [];
    const first = admission.run(() => running.promise);
    const runs = [
      admission.run(async () => void order.push('message 1')),
      admission.run(async () => void order.push('message 2')),
      admission.run(async () => void order.push('tap 1'), { urgent: true }),
      admission.run(async () => void order.push('tap 2'), { urgent: true }),
    ];
    await pass();
    assert.deepEqual(admission.load, { running: 1, waiting: 4 });
    running.resolve();
    await Promise.all([first, ...runs]);
    assert.deepEqual(order, ['tap 1', 'tap 2', 'message 1', 'message 2']);
  });

  it('counts urgent work among the waiting when it says it is full', async () => {
    const admission = new Admission(1, 2);
    const running = deferred();
    const runs = [admission.run(() => running.promise), admission.run(async () => {}, { urgent: true }), admission.run(async () => {})];
    await pass();
    assert.equal(admission.full, true);
    running.resolve();
    await Promise.all(runs);
  });

  it('still gives every fifth place to a waiting message while invokes keep coming', async () => {
    const admission = new Admission(1);
    const running = deferred();
    const order: string[] = [];
    const first = admission.run(() => running.promise);
    const runs = [
      admission.run(async () => void order.push('message')),
      ...[1, 2, 3, 4, 5, 6].map((n) => admission.run(async () => void order.push(`tap ${n}`), { urgent: true })),
    ];
    await pass();
    running.resolve();
    await Promise.all([first, ...runs]);
    assert.deepEqual(order, ['tap 1', 'tap 2', 'tap 3', 'tap 4', 'message', 'tap 5', 'tap 6']);
  });
});
