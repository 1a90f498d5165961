import assert from 'node:assert/strict';
import { parseGrant, type CompleteGrantCommand } from '../../../../src/domain/grant-command.js';
import { requestGrant, type GrantRequestInput } from '../../../../src/use-cases/grants/request-grant.js';
import { ADELE, FakeRbac, grantDeps, PIPELINE, MEGAN } from './grant-fakes.js';

const NOW = new Date('2026-11-22T08:00:00Z');

function command(text: string): CompleteGrantCommand {
  const parsed = parseGrant(text, NOW);
  assert.equal(parsed.kind, 'grant', text);
  return parsed as CompleteGrantCommand;
}

function input(text: string, extra: Partial<GrantRequestInput> = {}): GrantRequestInput {
  return {
    requester: { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' },
    command: command(text),
    userToken: async () => 'user-token',
    activityId: 'activity-1',
    conversationId: 'a:adele',
    ...extra,
  };
}

describe('use case: request a Power Platform RBAC grant', () => {
  it('stores a grant that needs no approval as assigning and schedules its assignment', async () => {
    const { deps, notices } = grantDeps(new FakeRbac());
    const outcome = await requestGrant(deps, input('me contributor on environment group Finance for 4h because CHG-7 release'));

    assert.equal(outcome.kind, 'requested');
    const grant = outcome.kind === 'requested' ? outcome.grant : undefined;
    assert.deepEqual([grant?.state, grant?.duration, grant?.scope.kind, grant?.principal.id], ['assigning', 'PT4H', 'environmentGroup', ADELE]);
    assert.deepEqual(
      (await deps.timers.list(grant!.id)).map((t) => t.kind),
      ['rbacAssign'],
    );
    assert.deepEqual(notices.told.security, ['assigning']);
  });

  it('is stored once when Teams delivers the same message twice', async () => {
    const { deps } = grantDeps(new FakeRbac());
    const first = await requestGrant(deps, input('me reader on tenant for 1h because audit check'));
    const again = await requestGrant(deps, input('me reader on tenant for 1h because audit check'));
    assert.equal(first.kind, 'requested');
    assert.equal(again.kind, 'alreadyRequested');
  });

  it('asks approvers for Owner, and opens the approval with the policy approvers', async () => {
    const { deps, notices } = grantDeps(new FakeRbac());
    const outcome = await requestGrant(deps, input('me Power Platform owner on Contoso Prod for 1h because restore INC0012345'));
    const grant = outcome.kind === 'requested' ? outcome.grant : undefined;
    assert.equal(grant?.state, 'awaitingApproval');
    assert.equal(grant?.approval?.required, 2);
    assert.deepEqual(notices.told.approvals, [grant?.id]);
  });

  it('refuses an app grant to someone who does not own the service principal, and accepts its owner', async () => {
    const { deps } = grantDeps(new FakeRbac());
    const text = `contributor to app ${PIPELINE.displayName} on Contoso Prod for 2h because release 42`;
    const megan = await requestGrant(deps, input(text, { requester: { aadObjectId: MEGAN, name: 'Megan', tenantId: 't' }, activityId: 'a-2' }));
    const adele = await requestGrant(deps, input(text, { activityId: 'a-3' }));
    assert.deepEqual(megan, { kind: 'refused', reason: 'notAllowedForRequester', detail: 'everyone' });
    assert.equal(adele.kind === 'requested' && adele.grant.principal.type, 'ApplicationUser');
  });

  it("refuses Elevate's own apps, unknown names, too long a duration and a missing justification, in words", async () => {
    const { deps } = grantDeps(new FakeRbac(), {
      servicePrincipals: {
        find: async () => [{ id: 'sp', appId: 'e1e7a7e0-55a0-4e1e-9a7e-0000000055a0', displayName: 'Elevate' }],
        ownerIds: async () => [ADELE],
      },
    });
    const own = await requestGrant(deps, input('reader to app Elevate on tenant for 1h because nothing'));
    const role = await requestGrant(deps, input('me writer on tenant for 1h because nothing at all'));
    const scope = await requestGrant(deps, input('me reader on environment group Sales for 1h because nothing at all'));
    const long = await requestGrant(deps, input('me reader on tenant for 9h because nothing at all'));
    const why = await requestGrant(deps, input('me reader on tenant for 1h'));
    assert.deepEqual(
      [own, role, scope, long, why].map((o) => (o.kind === 'refused' ? o.reason : o.kind)),
      ['elevatePrincipal', 'unknownRole', 'unknownScope', 'tooLong', 'justificationMissing'],
    );
    assert.ok(role.kind === 'refused' && role.options?.includes('Power Platform contributor'));
  });

  it('refuses Owner at the tenant scope outright, and a second open grant for the same role and scope', async () => {
    const { deps } = grantDeps(new FakeRbac());
    const owner = await requestGrant(deps, input('me owner on tenant for 1h because break glass'));
    await requestGrant(deps, input('me reader on Contoso Prod for 1h because look around', { activityId: 'x-1' }));
    const twice = await requestGrant(deps, input('me reader on Contoso Prod for 1h because look around', { activityId: 'x-2' }));
    assert.deepEqual(owner, { kind: 'refused', reason: 'tenantOwnerForbidden' });
    assert.equal(twice.kind === 'refused' && twice.reason, 'alreadyOpen');
  });

  it('refuses everything when RBAC grants are off', async () => {
    assert.deepEqual(await requestGrant(undefined, input('me reader on tenant for 1h because nothing')), { kind: 'refused', reason: 'off' });
  });
});
