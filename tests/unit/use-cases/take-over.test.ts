import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { WATCHDOG_KIND, WATCHDOG_SILENCE_MS, watched } from '../../../src/use-cases/in-flight-watchdog.js';
import { lifecycleHandlers } from '../../../src/use-cases/lifecycle-handlers.js';
import { runElevation } from '../../../src/use-cases/run-elevation.js';
import { PROPAGATION_KIND } from '../../../src/use-cases/await-power-platform.js';
import type { DurableTimer } from '../../../src/ports/timer-store.js';
import { FakePim, FakePowerPlatform, fakeDeps, signedIn, storedElevation, submitted } from './fakes.js';

const signedOut = { ...signedIn, hasSession: () => false };

/** Runs the watchdog timer's handler, as the scheduler of an instance that claimed it would. */
function fireWatchdog(deps: ElevationDeps) {
  return lifecycleHandlers(deps)[WATCHDOG_KIND]!({
    id: 'watchdog:elevation-1',
    kind: WATCHDOG_KIND,
    subject: 'elevation-1',
    dueAt: '',
    attempts: 0,
    payload: {},
  });
}

async function watchdogOf(deps: ElevationDeps): Promise<DurableTimer | undefined> {
  return (await deps.timers.list('elevation-1')).find((t) => t.kind === WATCHDOG_KIND);
}

describe('in-flight elevations: a watchdog timer hands a run whose instance died to another instance', () => {
  afterEach(() => sinon.restore());

  it('keeps a watchdog due 90 s ahead while a run goes on, pushed back by heartbeats, and removes it when the run ends', async () => {
    const fake = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    let release = () => {};
    const work = watched(deps, 'elevation-1', () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    const first = (await watchdogOf(deps))?.dueAt;

    await deps.clock.sleep(60_000);
    await fake.tickAsync(60_000);
    const pushed = (await watchdogOf(deps))?.dueAt;
    release();
    await work;

    assert.equal(Date.parse(first!) - Date.parse('2026-11-22T08:00:00Z'), WATCHDOG_SILENCE_MS);
    assert.equal(Date.parse(pushed!) - Date.parse(first!), 60_000, 'a heartbeat moved it with the run');
    assert.equal(await watchdogOf(deps), undefined);
  });

  it('leaves no watchdog behind when a run ends (a finished elevation has nothing to take over)', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await submitted(deps);

    const record = await runElevation(deps, 'elevation-1');

    assert.equal(record?.state, 'active');
    assert.deepEqual(
      (await deps.timers.list('elevation-1')).filter((t) => t.kind === WATCHDOG_KIND),
      [],
    );
  });

  it('on a silent activation without the requester’s token, marks it failed with Try again and never activates twice', async () => {
    const pim = new FakePim();
    const deps = fakeDeps(pim, new FakePowerPlatform(), { tokens: signedOut });
    const shown = sinon.spy(deps.presenter, 'show');
    await storedElevation(deps, 'activating', { worker: 'gone-instance', pimRequestId: 'req-1' });

    const outcome = await fireWatchdog(deps);

    const record = (await deps.store.getElevation('elevation-1'))!.value;
    assert.equal(outcome, 'done');
    assert.equal(record.state, 'failed');
    assert.equal(record.failure?.code, 'Interrupted');
    assert.match(record.failure?.message ?? '', /instance activating your PIM role stopped/);
    assert.equal(pim.selfActivateCalls, 0);
    assert.equal(shown.callCount, 1, 'the requester’s card says so');
  });

  it('on a silent Power Platform step without the token, asks Teams for it through the durable wait (no PIM request)', async () => {
    const pim = new FakePim();
    const deps = fakeDeps(pim, new FakePowerPlatform(), { tokens: signedOut });
    await storedElevation(deps, 'elevating', { worker: 'gone-instance', pimRequestId: 'req-1', activeUntil: '2026-11-22T10:00:00.000Z' });

    await fireWatchdog(deps);

    const record = (await deps.store.getElevation('elevation-1'))!.value;
    assert.equal(record.state, 'elevating');
    assert.ok(record.propagation, 'waiting on the durable Power Platform timer');
    assert.equal(record.worker, 'test', 'now this instance’s');
    assert.deepEqual(
      (await deps.timers.list('elevation-1')).map((t) => t.kind),
      [PROPAGATION_KIND],
    );
    assert.equal(pim.selfActivateCalls, 0);
  });

  it('with the requester’s token here, finishes the run itself', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await storedElevation(deps, 'activating', { worker: 'gone-instance' });

    await fireWatchdog(deps);

    assert.equal((await deps.store.getElevation('elevation-1'))!.value.state, 'active');
  });

  it('does nothing when the elevation moved on meanwhile, or waits on its own Power Platform timer', async () => {
    for (const [state, changes] of [
      ['active', {}],
      ['failed', {}],
      ['elevating', { propagation: { since: 'x', attempts: 1, nextTryAt: 'x', deadline: 'x' } }],
    ] as const) {
      const deps = fakeDeps(new FakePim(), new FakePowerPlatform(), { tokens: signedOut });
      await storedElevation(deps, state, changes);
      const before = await deps.store.getElevation('elevation-1');

      await fireWatchdog(deps);

      assert.deepEqual(await deps.store.getElevation('elevation-1'), before, state);
    }
  });
});
