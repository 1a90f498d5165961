import assert from 'node:assert/strict';
import type { ElevationExtension } from '../../../src/domain/extension.js';
import { cancelFollowOnActivations, followOnActivations } from '../../../src/use-cases/cancel-follow-on.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { extendElevation } from '../../../src/use-cases/extend-elevation.js';
import { FakePim, FakePowerPlatform, USER, fakeDeps, storedElevation } from './fakes.js';

/** fakeDeps' clock starts here. */
const T0 = Date.parse('2026-11-22T08:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const extension = (from: number, minutes: number, path: ElevationExtension['path'], pimRequestId: string): ElevationExtension => ({
  at: iso(0),
  minutes,
  from: iso(from),
  until: iso(from + minutes),
  path,
  pimRequestId,
});

describe('extend elevation: what the use case answers before PIM is touched (issue #16)', () => {
  let pim: FakePim;
  let deps: ElevationDeps;
  beforeEach(() => {
    pim = new FakePim();
    deps = fakeDeps(pim, new FakePowerPlatform());
  });

  it('says a scheduled elevation has not started when it is all there is, and activates nothing', async () => {
    await storedElevation(deps, 'scheduled', { schedule: { startAt: iso(24 * 60) } });
    const typed = await extendElevation(deps, { tapperId: USER, minutes: 30 });
    const tapped = await extendElevation(deps, { tapperId: USER, elevationId: 'elevation-1', minutes: 30 });
    assert.deepEqual([typed.kind, tapped.kind], ['notStarted', 'notStarted']);
    assert.equal(typed.kind === 'notStarted' && typed.record.schedule?.startAt, iso(24 * 60), 'the answer carries the start');
    assert.equal(pim.selfActivateCalls, 0);
  });

  it('says so for a scheduled request waiting for its approvers too, and still refuses someone else first', async () => {
    const approval = { policySource: 'p', required: 1, approverGroupIds: [], approverUserIds: [], votes: [], status: 'pending' as const, expiresAt: iso(60) };
    await storedElevation(deps, 'awaitingApproval', { schedule: { startAt: iso(120) }, approval });
    assert.equal((await extendElevation(deps, { tapperId: USER })).kind, 'notStarted');
    assert.equal((await extendElevation(deps, { tapperId: 'b0000000-0000-4000-8000-00000000e6a0', elevationId: 'elevation-1' })).kind, 'notYours');
  });

  it('refuses to extend a role whose PIM policy needs approval, before Elevate or PIM is asked anything', async () => {
    const policy = await pim.getActivationPolicy();
    pim.getActivationPolicy = async () => ({ ...policy, approvalRequired: true });
    await storedElevation(deps, 'active', { activeUntil: iso(30) });
    const outcome = await extendElevation(deps, { tapperId: USER, minutes: 30 });
    assert.equal(outcome.kind === 'refused' && outcome.reason, 'pimApprovalRequired', JSON.stringify(outcome));
    assert.equal(pim.selfActivateCalls, 0, 'no PIM request that would wait for PIM approvers');
    assert.equal((await deps.store.getElevation('elevation-1'))?.value.activeUntil, iso(30), 'the end does not move');
  });
});

describe('cancel follow-on activations: what an early deactivation withdraws (issue #16)', () => {
  it('cancels only the scheduled extensions that have not started, on the requester’s token', async () => {
    const pim = new FakePim();
    const deps = fakeDeps(pim, new FakePowerPlatform());
    const record = (
      await storedElevation(deps, 'active', {
        activeUntil: iso(120),
        extensions: [extension(-30, 30, 'scheduled', 'started'), extension(30, 30, 'reactivated', 'running'), extension(60, 60, 'scheduled', 'waiting')],
      })
    ).value;
    assert.deepEqual(
      followOnActivations(record, new Date(T0)).map((f) => f.pimRequestId),
      ['waiting'],
    );
    assert.equal(await cancelFollowOnActivations(deps, [record]), 1);
    assert.deepEqual(pim.cancelled, [`${USER}:waiting`]);
    const trail = await deps.audit.list({});
    assert.ok(trail.some((e) => e.type === 'extensionCancelled' && e.details['pimRequestId'] === 'waiting'));
  });
});
