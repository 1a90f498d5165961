import assert from 'node:assert/strict';
import { parseGrant, type CompleteGrantCommand } from '../../../../src/domain/grant-command.js';
import type { RbacGrantRecord } from '../../../../src/domain/rbac-grant.js';
import { cancelGrant } from '../../../../src/use-cases/grants/cancel-grant.js';
import { decideGrant, grantApprovalView } from '../../../../src/use-cases/grants/decide-grant.js';
import { expireApproval } from '../../../../src/use-cases/grants/end-grant.js';
import { requestGrant } from '../../../../src/use-cases/grants/request-grant.js';
import { ADELE, ALEX, FakeRbac, grantDeps, MEGAN } from './grant-fakes.js';

const LEE = 'a0000000-0000-4000-8000-0000000001ee';
const GROUP = 'a99a0e00-0000-4000-8000-000000000002';

async function pendingOwnerGrant(setup = grantDeps(new FakeRbac())) {
  const command = parseGrant('me owner on Contoso Prod for 1h because INC0012345 restore', new Date()) as CompleteGrantCommand;
  const outcome = await requestGrant(setup.deps, {
    requester: { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' },
    command,
    userToken: async () => 'user-token',
    activityId: `activity-${Math.random()}`,
    conversationId: 'a:adele',
  });
  assert.equal(outcome.kind, 'requested');
  return { ...setup, grant: (outcome as { grant: RbacGrantRecord }).grant };
}

describe('use cases: every approval card of a grant follows its decision (issue #14)', () => {
  it('refreshes the cards after each recorded vote and after the approving one, never after a refused tap', async () => {
    const { deps, notices, grant } = await pendingOwnerGrant();

    await decideGrant(deps, { grantId: grant.id, approverId: ADELE, approverName: 'Adele', decision: 'approve' });
    assert.deepEqual(notices.told.refreshed, [], 'a refused self-approval changes no card');
    await decideGrant(deps, { grantId: grant.id, approverId: MEGAN, approverName: 'Megan', decision: 'approve' });
    await decideGrant(deps, { grantId: grant.id, approverId: MEGAN, approverName: 'Megan', decision: 'approve' });
    await decideGrant(deps, { grantId: grant.id, approverId: ALEX, approverName: 'Alex', decision: 'approve' });

    assert.deepEqual(notices.told.refreshed, ['awaitingApproval/pending', 'assigning/approved']);
  });

  it('refreshes them with the Deny, the requester’s cancel and the approval timeout', async () => {
    const denied = await pendingOwnerGrant();
    await decideGrant(denied.deps, { grantId: denied.grant.id, approverId: MEGAN, approverName: 'Megan', decision: 'deny', reason: 'not during the freeze' });
    assert.deepEqual(denied.notices.told.refreshed, ['failed/denied']);

    const cancelled = await pendingOwnerGrant();
    await Promise.all([cancelGrant(cancelled.deps, ADELE, cancelled.grant.id), cancelGrant(cancelled.deps, ADELE, cancelled.grant.id)]);
    assert.deepEqual(cancelled.notices.told.refreshed, ['cancelled/pending'], 'once, however often it is tapped');

    const expired = await pendingOwnerGrant();
    const timer = { id: 't', kind: 'rbacApprovalTimeout', subject: expired.grant.id, dueAt: '', attempts: 0, payload: {} };
    expired.advance(61 * 60_000);
    await expireApproval(expired.deps, timer);
    await expireApproval(expired.deps, timer);
    assert.deepEqual(expired.notices.told.refreshed, ['failed/expired'], 'once');
  });

  it('works out who may still vote on the server for a refresh: listed users and group members, not the requester, not twice', async () => {
    const setup = grantDeps(new FakeRbac(), { memberOf: async (userId, groups) => (userId === LEE ? [...groups] : []) });
    // A copy: the shared test policy stays as other tests expect it.
    const policy = structuredClone(setup.deps.settings.policy!);
    const [owners, ...rest] = policy.rules;
    const approval = { required: true, approverGroupIds: [GROUP], approverUserIds: [MEGAN, ALEX], approvalsRequired: 2, pendingTimeoutMinutes: 60 };
    setup.deps.settings = { ...setup.deps.settings, policy: { ...policy, rules: [{ ...owners!, approval }, ...rest] } };
    const { deps, grant } = await pendingOwnerGrant(setup);
    const may = async (userId: string) => (await grantApprovalView(deps, grant.id, userId))?.isApprover;

    assert.deepEqual([await may(MEGAN), await may(LEE), await may(ADELE), await may('someone-else')], [true, true, false, false]);
    await decideGrant(deps, { grantId: grant.id, approverId: MEGAN, approverName: 'Megan', decision: 'approve' });
    assert.equal(await may(MEGAN), false, 'voted already');
    await decideGrant(deps, { grantId: grant.id, approverId: LEE, approverName: 'Lee', decision: 'approve' });
    assert.equal(await may(ALEX), false, 'decided: nobody may vote any more');
    assert.equal(await grantApprovalView(deps, 'g-unknown', MEGAN), undefined);
    assert.equal(await grantApprovalView(undefined, grant.id, MEGAN), undefined);
  });

  it("puts the approver groups' members (bounded) in the card's per-person refresh list, and a Graph failure blocks nothing", async () => {
    const OTHER_GROUP = 'a99a0e00-0000-4000-8000-000000000003';
    const many = Array.from({ length: 80 }, (_, i) => `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const setup = grantDeps(new FakeRbac(), {
      groupUserIds: async (groupId, max) => {
        if (groupId === OTHER_GROUP) throw new Error('Graph is down');
        return [LEE.toUpperCase(), ...many].slice(0, max);
      },
    });
    const policy = structuredClone(setup.deps.settings.policy!);
    const [owners, ...rest] = policy.rules;
    const approval = { required: true, approverGroupIds: [OTHER_GROUP, GROUP], approverUserIds: [MEGAN], approvalsRequired: 1, pendingTimeoutMinutes: 60 };
    setup.deps.settings = { ...setup.deps.settings, policy: { ...policy, rules: [{ ...owners!, approval }, ...rest] } };

    const { grant } = await pendingOwnerGrant(setup);

    const members = grant.approval?.groupMemberIds ?? [];
    assert.equal(members[0], LEE, 'by object id, in lower case');
    assert.equal(members.length, 60, "at most Teams' 60 refresh users");
    assert.equal(grant.state, 'awaitingApproval');
  });
});
