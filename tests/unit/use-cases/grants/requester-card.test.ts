import assert from 'node:assert/strict';
import { parseGrant, type CompleteGrantCommand } from '../../../../src/domain/grant-command.js';
import type { RbacGrantRecord } from '../../../../src/domain/rbac-grant.js';
import { cancelGrant } from '../../../../src/use-cases/grants/cancel-grant.js';
import { getGrant } from '../../../../src/use-cases/grants/grant-store.js';
import { requestGrant } from '../../../../src/use-cases/grants/request-grant.js';
import { rememberRequesterCard } from '../../../../src/use-cases/grants/requester-card.js';
import { submitGrantCard } from '../../../../src/use-cases/grants/submit-grant-card.js';
import { ADELE, FakeRbac, grantDeps } from './grant-fakes.js';

const REQUESTER = { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' };

async function typedOwnerGrant() {
  const made = grantDeps(new FakeRbac());
  const command = parseGrant('me owner on Contoso Prod for 1h because INC0012345 restore', new Date()) as CompleteGrantCommand;
  const outcome = await requestGrant(made.deps, {
    requester: REQUESTER,
    command,
    userToken: async () => 'user-token',
    activityId: 'typed-1',
    conversationId: 'a:adele',
  });
  assert.equal(outcome.kind, 'requested');
  return { ...made, grant: (outcome as { grant: RbacGrantRecord }).grant };
}

describe("use case: the requester's own grant card, updated in place", () => {
  it("remembers Elevate's reply to a typed request (not the typed message), once, whatever a redelivery sends later", async () => {
    const { deps, grant, notices } = await typedOwnerGrant();
    assert.equal(grant.card?.messageId, undefined, 'the typed message is not the card');

    await rememberRequesterCard(deps, grant, 'reply-1');
    await rememberRequesterCard(deps, grant, 'reply-2');

    assert.deepEqual((await getGrant(deps.store, grant.id))?.value.card, { conversationId: 'a:adele', activityId: 'typed-1', messageId: 'reply-1' });
    assert.deepEqual(notices.told.shown, [], 'nothing changed while the reply was sent');
  });

  it('brings the card up to date at once when the grant moved on while the reply was being sent', async () => {
    const { deps, grant, notices } = await typedOwnerGrant();
    await cancelGrant(deps, ADELE, grant.id);
    notices.told.shown.length = 0;

    await rememberRequesterCard(deps, grant, 'reply-1');

    assert.deepEqual(notices.told.shown, ['cancelled']);
  });

  it('makes a submitted request card the grant card, and a cancel updates it', async () => {
    const { deps, notices } = grantDeps(new FakeRbac());
    const outcome = await submitGrantCard(deps, {
      requester: REQUESTER,
      submission: {
        draftId: 'draft-0001',
        target: { kind: 'me' },
        roleId: 'owner',
        scope: 'environment:e0000000-0000-4000-8000-000000000001',
        duration: 'PT1H',
        justification: 'INC0012345 restore',
      },
      userToken: async () => 'user-token',
      conversationId: 'a:adele',
      cardActivityId: 'request-card-9',
    });
    assert.equal(outcome.kind, 'requested');
    const grant = (outcome as { grant: RbacGrantRecord }).grant;
    assert.equal(grant.card?.messageId, 'request-card-9');

    await cancelGrant(deps, ADELE, grant.id);

    assert.deepEqual(notices.told.shown, ['cancelled']);
  });
});
