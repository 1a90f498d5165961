import assert from 'node:assert/strict';
import { parseGrant, type CompleteGrantCommand } from '../../../../src/domain/grant-command.js';
import { cancelGrant } from '../../../../src/use-cases/grants/cancel-grant.js';
import { decideGrant } from '../../../../src/use-cases/grants/decide-grant.js';
import { requestGrant } from '../../../../src/use-cases/grants/request-grant.js';
import { ADELE, FakeRbac, grantDeps, MEGAN } from './grant-fakes.js';

async function pendingOwnerGrant() {
  const made = grantDeps(new FakeRbac());
  const command = parseGrant('me owner on Contoso Prod for 1h because INC0012345 restore', new Date()) as CompleteGrantCommand;
  const outcome = await requestGrant(made.deps, {
    requester: { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' },
    command,
    userToken: async () => 'user-token',
    activityId: 'activity-cancel',
    conversationId: 'a:adele',
  });
  assert.equal(outcome.kind, 'requested');
  return { ...made, grant: (outcome as { grant: { id: string; state: string } }).grant };
}

describe('use case: cancel a grant request while it waits for approval', () => {
  it('withdraws it once for the requester: no approval timeout left, the security channel told, approvers can no longer decide', async () => {
    const { deps, notices, grant } = await pendingOwnerGrant();
    assert.equal(grant.state, 'awaitingApproval');

    const [first, second] = await Promise.all([cancelGrant(deps, ADELE, grant.id), cancelGrant(deps, ADELE, grant.id)]);

    assert.deepEqual([first.kind, second.kind].sort(), ['cancelled', 'notPending']);
    assert.deepEqual(await deps.timers.list(grant.id), []);
    assert.deepEqual(notices.told.security, ['awaitingApproval', 'cancelled']);
    const vote = await decideGrant(deps, { grantId: grant.id, approverId: MEGAN, approverName: 'Megan', decision: 'approve' });
    assert.equal(vote.kind, 'refused');
  });

  it('refuses anyone but the requester, and says so for an unknown id', async () => {
    const { deps, grant } = await pendingOwnerGrant();
    assert.deepEqual(await cancelGrant(deps, MEGAN, grant.id), { kind: 'notYours' });
    assert.deepEqual(await cancelGrant(deps, ADELE, 'g-unknown'), { kind: 'notFound' });
    assert.deepEqual(await cancelGrant(undefined, ADELE, grant.id), { kind: 'notFound' });
  });
});
