import assert from 'node:assert/strict';
import { resumeSweep, runSweep } from '../../../src/use-cases/sweep-run.js';
import { loadSweep, swapSweep } from '../../../src/use-cases/sweep-record.js';
import { SWEEP_LEASE_MS, SWEEP_SILENCE_MS, SWEEP_WATCHDOG_KIND, sweepWatchdogHandler } from '../../../src/use-cases/sweep-watchdog.js';
import type { DurableTimer } from '../../../src/ports/timer-store.js';
import { confirmedSweep, runner, setUp } from './sweep-fixtures.js';

/** The sweep's watchdog timer as the store holds it. */
async function watchdogOf(deps: ReturnType<typeof setUp>['deps'], sweepId: string): Promise<DurableTimer | undefined> {
  return (await deps.timers.list(sweepId)).find((t) => t.kind === SWEEP_WATCHDOG_KIND);
}

describe('sweep watchdog: another running instance takes over a silent sweep', () => {
  it('schedules the watchdog when the sweep is confirmed, past the lease, and removes it when the sweep is done', async () => {
    const { deps } = setUp();
    const sweep = await confirmedSweep(deps);
    const timer = await watchdogOf(deps, sweep.id);
    assert.ok(timer, 'a durable watchdog exists before any run starts');
    assert.equal(Date.parse(timer.dueAt) - deps.clock.now().getTime(), SWEEP_SILENCE_MS);
    assert.ok(SWEEP_SILENCE_MS > SWEEP_LEASE_MS, 'the claim is free when the watchdog fires');

    await runSweep(deps, sweep.id, runner('a-1'));
    assert.equal((await loadSweep(deps, sweep.id))?.state, 'done');
    assert.equal(await watchdogOf(deps, sweep.id), undefined);
  });

  it('continues on another instance a sweep whose process died mid-run, removing nothing twice and auditing each removal once', async () => {
    const { deps, holders } = setUp();
    const sweep = await confirmedSweep(deps);
    let reports = 0;
    // Instance A dies after its first environment (its second progress report): its lease and watchdog stay.
    const dying = {
      instanceId: 'a',
      owner: 'a#a-1',
      report: async () => {
        if (++reports === 2) throw new Error('killed');
      },
    };
    await assert.rejects(runSweep(deps, sweep.id, dying), /killed/);
    assert.ok(await watchdogOf(deps, sweep.id), 'the watchdog outlives the dead run');
    const other = { ...runner('b-1'), instanceId: 'b', owner: 'b#b-1' };
    const handler = sweepWatchdogHandler(deps, (id) => resumeSweep(deps, id, other));

    // Instance B's scheduler claims the watchdog while A's lease still holds: B looks again when it ends.
    const early = await handler((await watchdogOf(deps, sweep.id))!);
    assert.notEqual(early, 'done');
    const lease = (await loadSweep(deps, sweep.id))!.lease!;
    assert.equal(lease.owner, 'a#a-1');
    assert.ok(typeof early !== 'string' && early.retryAt.getTime() > Date.parse(lease.until) && early.countAttempt === false);
    assert.equal(holders.removals.length, 2);

    await deps.clock.sleep(SWEEP_SILENCE_MS);
    assert.equal(await handler((await watchdogOf(deps, sweep.id))!), 'done');
    const done = await loadSweep(deps, sweep.id);
    assert.equal(done?.state, 'done');
    assert.equal(done?.lease?.owner, 'b#b-1');
    assert.deepEqual(
      done?.items.map((i) => i.status),
      ['removed', 'removed', 'removed'],
    );
    assert.equal(holders.removals.length, 3);
    assert.equal(new Set(holders.removals).size, 3);
    const entries = await deps.audit.list({ limit: 100 });
    assert.equal(entries.filter((e) => e.type === 'standingAccessRemoved').length, 3);
    assert.equal(await watchdogOf(deps, sweep.id), undefined, 'the watchdog ends with the sweep');
  });

  it('ends the watchdog of a sweep that is over without running anything', async () => {
    const { deps, holders } = setUp();
    const sweep = await confirmedSweep(deps);
    await swapSweep(deps, sweep.id, (s) => ({ ...s, state: 'done' }));
    const handler = sweepWatchdogHandler(deps, (id) => resumeSweep(deps, id, runner('b-1')));
    assert.equal(await handler((await watchdogOf(deps, sweep.id))!), 'done');
    assert.equal(holders.removals.length, 0);
  });

  it('stops a stalled run that lost its claim before its next removal', async () => {
    const { deps, holders } = setUp();
    const sweep = await confirmedSweep(deps);
    let reports = 0;
    // While A reports its start, another instance takes the sweep over (A stalled past its lease).
    const stalled = runner('a-1', async () => {
      if (++reports > 1) return;
      const until = new Date(deps.clock.now().getTime() + SWEEP_LEASE_MS).toISOString();
      await swapSweep(deps, sweep.id, (s) => ({ ...s, lease: { owner: 'b#b-1', until } }));
    });
    await runSweep(deps, sweep.id, stalled);
    assert.equal(holders.removals.length, 0, 'the run that lost its claim removed nothing');
    assert.equal((await loadSweep(deps, sweep.id))?.state, 'running');
    assert.ok(await watchdogOf(deps, sweep.id), 'the watchdog stays for the instance that holds the sweep now');
  });
});
