import assert from 'node:assert/strict';
import { confirmSweep, previewSweep } from '../../../src/use-cases/standing-sweep.js';
import { resumeSweeps, runSweep } from '../../../src/use-cases/sweep-run.js';
import { loadSweep, swapSweep } from '../../../src/use-cases/sweep-record.js';
import { DEV, NESTOR, MEGAN, person, setUp, runner, confirmedSweep } from './sweep-fixtures.js';

describe('sweep: two-person confirmation and a resumable run', () => {
  it('refuses the requester’s own confirmation, then confirms once for a second member', async () => {
    const { deps } = setUp();
    const preview = await previewSweep(deps, 'all', NESTOR, 'a:chat');
    assert.equal(preview.kind, 'preview');
    const id = preview.kind === 'preview' ? preview.sweep.id : '';
    assert.equal(
      preview.kind === 'preview' ? preview.sweep.items.length : 0,
      3,
      'two in Dev (a team member remains); in UAT one of two is kept as the last administrator',
    );
    assert.equal((await confirmSweep(deps, id, NESTOR, { conversationId: 'a:chat', activityId: 'card-1' })).kind, 'ownConfirmation');
    assert.equal((await loadSweep(deps, id))?.state, 'preview');
    const [first, second] = await Promise.all([
      confirmSweep(deps, id, MEGAN, { conversationId: 'a:chat', activityId: 'card-1' }),
      confirmSweep(deps, id, { aadObjectId: 'a0000000-0000-4000-8000-0000000001ee' }, { conversationId: 'a:chat', activityId: 'card-1' }),
    ]);
    assert.deepEqual([first.kind, second.kind].sort(), ['confirmed', 'notPending'], 'two taps at once confirm it once');
  });

  it('lets a preview lapse after an hour', async () => {
    const { deps } = setUp();
    const preview = await previewSweep(deps, 'all', NESTOR, 'a:chat');
    await deps.clock.sleep(60 * 60_000);
    assert.equal(
      (await confirmSweep(deps, preview.kind === 'preview' ? preview.sweep.id : '', MEGAN, { conversationId: 'a:chat', activityId: 'card-1' })).kind,
      'expired',
    );
  });

  it('removes each planned holder once and writes one audit entry per removal; a second run removes nothing', async () => {
    const { deps, holders } = setUp();
    const sweep = await confirmedSweep(deps);
    const done = await runSweep(deps, sweep.id, runner('boot-1'));
    assert.equal(done?.state, 'done');
    assert.deepEqual(
      done?.items.map((i) => i.status),
      ['removed', 'removed', 'removed'],
    );
    await runSweep(deps, sweep.id, runner('boot-1'));
    assert.equal(holders.removals.length, 3);
    const entries = await deps.audit.list({ limit: 100 });
    assert.equal(entries.filter((e) => e.type === 'standingAccessRemoved').length, 3);
  });

  it('continues after a restart from where it stopped, without removing anything twice', async () => {
    const { deps, holders } = setUp();
    const sweep = await confirmedSweep(deps);
    let reports = 0;
    // The process dies after its first environment (its second progress report).
    const dying = runner('boot-1', async () => {
      if (++reports === 2) throw new Error('killed');
    });
    await assert.rejects(runSweep(deps, sweep.id, dying), /killed/);
    const halfway = await loadSweep(deps, sweep.id);
    assert.deepEqual(
      halfway?.items.map((i) => i.status),
      ['removed', 'removed', 'pending'],
    );
    assert.equal(await resumeSweeps(deps, runner('boot-2')), 1);
    assert.equal((await loadSweep(deps, sweep.id))?.state, 'done');
    assert.equal(new Set(holders.removals).size, 3);
    assert.equal(holders.removals.length, 3);
  });

  it('records a removal whose outcome a restart lost as already gone, still with one audit entry', async () => {
    const { deps, holders } = setUp();
    const sweep = await confirmedSweep(deps);
    const target = sweep.items[0]!;
    await holders.removeDirectAssignment(target.environmentUrl, target.systemUserId);
    const done = await runSweep(deps, sweep.id, runner('boot-1'));
    assert.equal(done?.items[0]?.status, 'alreadyGone');
    assert.equal(holders.removals.length, 3, 'the lost one and the two others, each once');
    assert.equal((await deps.audit.list({ limit: 100 })).filter((e) => e.type === 'standingAccessRemoved').length, 3);
  });

  it('keeps a holder who became protected after the preview (an expected account now), reading again before removing', async () => {
    const { deps, holders } = setUp();
    const sweep = await confirmedSweep(deps);
    const policy = { ...deps.settings.policy, standingAccess: { expected: [{ name: 'svc', accounts: [person(1).aadObjectId!] }] } };
    const done = await runSweep({ ...deps, settings: { ...deps.settings, policy } }, sweep.id, runner('boot-1'));
    assert.deepEqual(
      done?.items.map((i) => [i.name, i.status, i.note ?? '']),
      [
        ['Person 1', 'kept', 'expected'],
        ['Person 2', 'removed', ''],
        ['Person 4', 'removed', ''],
      ],
    );
    assert.equal(
      holders.byUrl.get(DEV.url)?.some((h) => h.fullName === 'Person 1'),
      true,
    );
  });

  it('leaves a sweep another live instance is running alone', async () => {
    const { deps, holders } = setUp();
    const sweep = await confirmedSweep(deps);
    const until = new Date(deps.clock.now().getTime() + 60_000).toISOString();
    await swapSweep(deps, sweep.id, (s) => ({ ...s, lease: { owner: 'other#boot-9', until } }));
    assert.equal(await resumeSweeps(deps, runner('boot-2')), 0);
    assert.equal(holders.removals.length, 0);
  });
});
