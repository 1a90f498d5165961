import assert from 'node:assert/strict';
import { lengthenPim } from '../../../src/use-cases/lengthen-pim.js';
import { FakePim, FakePowerPlatform, ROLE, USER, fakeDeps, storedElevation } from './fakes.js';

describe('lengthen PIM: a role whose PIM activation needs approval (issue #16)', () => {
  it('withdraws a new activation that PIM holds for its approvers (the policy changed after Elevate read it), so it never starts without Elevate', async () => {
    const pim = new FakePim();
    pim.activate = async () => ({ id: 'pending-1', status: 'PendingApproval', action: 'selfActivate', principalId: USER, roleDefinitionId: ROLE });
    const deps = fakeDeps(pim, new FakePowerPlatform());
    const record = (await storedElevation(deps, 'active', { activeUntil: '2026-11-22T08:30:00.000Z' })).value;
    const outcome = await lengthenPim(deps, record, 30, 480);
    assert.deepEqual(outcome, { kind: 'refused', reason: 'pimApprovalRequired', detail: 'pending-1' });
    assert.deepEqual(pim.cancelled, [`${USER}:pending-1`], 'cancelled on the requester’s token');
  });

  it('asks PIM nothing when the role’s policy already needs approval', async () => {
    const pim = new FakePim();
    const policy = await pim.getActivationPolicy();
    pim.getActivationPolicy = async () => ({ ...policy, approvalRequired: true });
    const deps = fakeDeps(pim, new FakePowerPlatform());
    const record = (await storedElevation(deps, 'active', { activeUntil: '2026-11-22T08:30:00.000Z' })).value;
    assert.deepEqual(await lengthenPim(deps, record, 30, 480), { kind: 'refused', reason: 'pimApprovalRequired' });
    assert.equal(pim.selfActivateCalls, 0);
  });
});
