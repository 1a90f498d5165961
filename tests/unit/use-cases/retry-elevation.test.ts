import assert from 'node:assert/strict';
import type { ApprovalState } from '../../../src/domain/approval.js';
import type { ElevatePolicy } from '../../../src/domain/elevate-policy.js';
import { retryElevation } from '../../../src/use-cases/retry-elevation.js';
import { FakePim, FakePowerPlatform, ROLE, USER, fakeDeps, storedElevation } from './fakes.js';

const MINUTE = 60_000;
const MEGAN = 'b0000000-0000-4000-8000-00000000e6a0';

/** Approved by Megan at 08:00 (the fakes' clock start). */
const approved = (status: ApprovalState['status'] = 'approved'): ApprovalState => ({
  policySource: 'production',
  required: 1,
  approverGroupIds: [],
  approverUserIds: [MEGAN],
  votes: [{ approverId: MEGAN, approverName: 'Megan Bowen', decision: 'approve', at: '2026-11-22T08:00:00.000Z' }],
  status,
  expiresAt: '2026-11-22T09:00:00.000Z',
  decidedAt: '2026-11-22T08:00:00.000Z',
});

const PRODUCTION_NEEDS_APPROVAL: ElevatePolicy = {
  defaults: {},
  rules: [
    {
      name: 'production',
      match: { environmentTypes: ['Production'] },
      approval: { required: true, approverGroupIds: [], approverUserIds: [MEGAN], approvalsRequired: 1, pendingTimeoutMinutes: 60 },
    },
  ],
};

function setUp() {
  const pim = new FakePim();
  return { pim, deps: fakeDeps(pim, new FakePowerPlatform()) };
}

const failure = (code: string) => ({ failure: { code, message: code } });

describe('retryElevation never reaches the tenant without the approval it needs', () => {
  it('refuses a lapsed approval, from the retry command too', async () => {
    const { deps } = setUp();
    await storedElevation(deps, 'failed', { approval: approved('lapsed'), ...failure('ApprovalLapsed') });
    const outcome = await retryElevation(deps, USER, 'elevation-1');
    assert.deepEqual([outcome.kind, outcome.kind === 'notRetryable' && outcome.reason], ['notRetryable', 'final']);
    assert.equal((await deps.store.getElevation('elevation-1'))?.value.state, 'failed');
  });

  for (const code of ['ApprovalDenied', 'ApprovalExpired', 'PimApprovalDenied']) {
    it(`refuses ${code}: a new request is needed`, async () => {
      const { deps } = setUp();
      await storedElevation(deps, 'failed', failure(code));
      assert.equal((await retryElevation(deps, USER, 'elevation-1')).kind, 'notRetryable');
    });
  }

  it('retries an approved elevation that failed later, until its window and duration have passed', async () => {
    const { deps } = setUp();
    await storedElevation(deps, 'failed', { approval: approved(), ...failure('NotAnAdmin') });
    await deps.clock.sleep(119 * MINUTE);
    assert.equal((await retryElevation(deps, USER, 'elevation-1')).kind, 'restarted', 'inside 60 min window + 1 h duration');

    const late = setUp();
    await storedElevation(late.deps, 'failed', { approval: approved(), ...failure('NotAnAdmin') });
    await late.deps.clock.sleep(121 * MINUTE);
    const outcome = await retryElevation(late.deps, USER, 'elevation-1');
    assert.deepEqual([outcome.kind, outcome.kind === 'notRetryable' && outcome.reason], ['notRetryable', 'approval used up']);
  });

  it('needs a new request when the policy now requires approval and the elevation had none', async () => {
    const { deps } = setUp();
    await storedElevation(deps, 'failed', failure('NotAnAdmin'));
    deps.settings.policy = PRODUCTION_NEEDS_APPROVAL;
    const outcome = await retryElevation(deps, USER, 'elevation-1');
    assert.deepEqual([outcome.kind, outcome.kind === 'notRetryable' && outcome.reason], ['notRetryable', 'needs approval']);
  });

  it('sends nothing while PIM still waits for its approvers, and finishes once the role is active', async () => {
    const { pim, deps } = setUp();
    await storedElevation(deps, 'failed', { pimRequestId: 'req-1', pimApprovalId: 'approval-1', ...failure('PendingApproval') });
    assert.equal((await retryElevation(deps, USER, 'elevation-1')).kind, 'stillPending');
    assert.equal((await deps.store.getElevation('elevation-1'))?.value.pimApprovalId, 'approval-1', 'PIM approvers can still decide from Teams');

    pim.active = [{ id: 'i-1', roleDefinitionId: ROLE, directoryScopeId: '/', endDateTime: '2026-11-22T09:00:00.000Z' }];
    assert.equal((await retryElevation(deps, USER, 'elevation-1')).kind, 'restarted');
    assert.equal(pim.selfActivateCalls, 0);
  });

  it('compares the requester by object id without regard to case', async () => {
    const { deps } = setUp();
    await storedElevation(deps, 'failed', failure('NotAnAdmin'));
    assert.equal((await retryElevation(deps, USER.toUpperCase(), 'elevation-1')).kind, 'restarted');
    assert.equal((await retryElevation(deps, MEGAN, 'elevation-1')).kind, 'notYours');
  });
});
