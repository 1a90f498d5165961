import assert from 'node:assert/strict';
import { RBAC_CONTRIBUTOR, RBAC_OWNER, RBAC_READER } from '../../../../src/domain/rbac.js';
import type { RbacPolicy } from '../../../../src/domain/rbac-policy.js';
import { grantChoices, scopeTextOfKey } from '../../../../src/use-cases/grants/grant-choices.js';
import { submitGrantCard, type GrantCardSubmission } from '../../../../src/use-cases/grants/submit-grant-card.js';
import { ADELE, FakeRbac, FINANCE, FINANCE_EMEA, grantDeps, MEGAN, PIPELINE, PROD } from './grant-fakes.js';

const adele = { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' };
const userToken = async () => 'user-token';

/** Readers anywhere for up to 2 h (ticket needed), contributors only in group Finance for up to 6 h, Owner nowhere (groups listed by the fake API: Finance, Finance EMEA). */
const NARROW: RbacPolicy = {
  rules: [
    { name: 'finance-contributors', match: { roleIds: [RBAC_CONTRIBUTOR], scopeIds: [FINANCE.id] }, maximumDuration: 'PT6H' },
    { name: 'readers', match: { roleIds: [RBAC_READER] }, maximumDuration: 'PT2H', ticketRequired: true },
  ],
};

function narrowDeps() {
  const made = grantDeps(new FakeRbac());
  made.deps.settings = { ...made.deps.settings, policy: NARROW };
  return made;
}

describe('use case: the grant request card (choices and submission)', () => {
  it('offers only the roles and scopes the policy allows this requester, with the longest maximum', async () => {
    const { deps } = narrowDeps();
    const outcome = await grantChoices(deps, { requester: adele, command: { target: { kind: 'me' } }, userToken });

    assert.equal(outcome.kind, 'choices');
    const choices = outcome.kind === 'choices' ? outcome.choices : undefined;
    assert.deepEqual(choices?.roles.map((r) => r.id).sort(), [RBAC_CONTRIBUTOR, RBAC_READER].sort());
    assert.deepEqual(
      choices?.scopes.map((s) => s.key),
      ['tenant', `environmentGroup:${FINANCE.id}`, `environmentGroup:${FINANCE_EMEA.id}`, `environment:${PROD.id}`],
    );
    assert.equal(choices?.maximumMinutes, 360);
    assert.equal(choices?.ticket, 'some');
  });

  it('narrows to what fits the typed role, and preselects it', async () => {
    const { deps } = narrowDeps();
    const outcome = await grantChoices(deps, { requester: adele, command: { role: 'contributor', target: { kind: 'me' } }, userToken });

    const choices = outcome.kind === 'choices' ? outcome.choices : undefined;
    assert.equal(choices?.roleId, RBAC_CONTRIBUTOR);
    assert.deepEqual(
      choices?.scopes.map((s) => s.key),
      [`environmentGroup:${FINANCE.id}`],
    );
    assert.equal(choices?.maximumMinutes, 360);
    assert.equal(choices?.ticket, 'none');
  });

  it('says why a typed pair is refused, and offers everything allowed instead', async () => {
    const { deps } = narrowDeps();
    const outcome = await grantChoices(deps, {
      requester: adele,
      command: { role: 'owner', scope: { kind: 'environment', name: 'Contoso Prod' }, target: { kind: 'me' } },
      userToken,
    });

    const choices = outcome.kind === 'choices' ? outcome.choices : undefined;
    assert.equal(choices?.refusedPair, 'noRule');
    assert.equal(choices?.roleId, undefined);
    assert.equal(choices?.roles.length, 2);
  });

  it("refuses an app's card to someone who does not own it, and offers it to its owner", async () => {
    const { deps } = grantDeps(new FakeRbac());
    const command = { target: { kind: 'app' as const, app: PIPELINE.appId } };
    const megan = await grantChoices(deps, { requester: { aadObjectId: MEGAN, name: 'Megan' }, command, userToken });
    const owner = await grantChoices(deps, { requester: adele, command, userToken });

    assert.deepEqual(megan, { kind: 'refused', reason: 'notAllowedForRequester' });
    assert.equal(owner.kind === 'choices' && owner.choices.principal.type, 'ApplicationUser');
  });

  it('reads only well-formed scope keys from the card', () => {
    assert.deepEqual(scopeTextOfKey('tenant'), { kind: 'tenant' });
    assert.deepEqual(scopeTextOfKey(`environment:${PROD.id}`), { kind: 'environment', name: PROD.id });
    assert.equal(scopeTextOfKey('environment:../../x y'), undefined);
    assert.equal(scopeTextOfKey('subscription:1'), undefined);
  });

  const card = (extra: Partial<GrantCardSubmission> = {}): GrantCardSubmission => ({
    draftId: 'draft-00000001',
    target: { kind: 'me' },
    roleId: RBAC_CONTRIBUTOR,
    scope: `environmentGroup:${FINANCE.id}`,
    duration: 'PT4H',
    justification: 'release 42 of the pipeline',
    ...extra,
  });
  const submit = (deps: Parameters<typeof submitGrantCard>[0], submission: GrantCardSubmission, requester = adele) =>
    submitGrantCard(deps, { requester, submission, userToken, conversationId: 'a:adele', cardActivityId: 'card-1' });

  it('requests the chosen grant once, however often the card is submitted', async () => {
    const { deps, notices } = narrowDeps();
    const first = await submit(deps, card());
    const second = await submit(deps, card());

    assert.equal(first.kind, 'requested');
    assert.equal(second.kind, 'alreadyRequested');
    const grant = first.kind === 'requested' ? first.grant : undefined;
    assert.deepEqual([grant?.role.id, grant?.scope.id, grant?.duration, grant?.principal.id], [RBAC_CONTRIBUTOR, FINANCE.id, 'PT4H', ADELE]);
    assert.equal(second.kind === 'alreadyRequested' && second.grant.id, grant?.id);
    assert.deepEqual(notices.told.security, ['assigning']);
  });

  it('checks the card again on the server: the rule, its maximum duration, the ticket and who taps', async () => {
    const { deps } = narrowDeps();

    assert.deepEqual(await submit(deps, card({ duration: 'PT8H' })), { kind: 'refused', reason: 'tooLong', detail: '6 h' });
    assert.equal(((await submit(deps, card({ roleId: RBAC_OWNER }))) as { reason?: string }).reason, 'noRule');
    assert.equal(((await submit(deps, card({ roleId: RBAC_READER, scope: 'tenant', duration: 'PT1H' }))) as { reason?: string }).reason, 'ticketMissing');
    const withTicket = await submit(deps, card({ roleId: RBAC_READER, scope: 'tenant', duration: 'PT1H', ticketNumber: 'chg0012345' }));
    assert.equal(withTicket.kind === 'requested' && withTicket.grant.ticketNumber, 'CHG0012345');
    // Another user tapping the same card asks for themselves, under their own rules and grant id.
    const megan = await submit(deps, card(), { aadObjectId: MEGAN, name: 'Megan Bowen', tenantId: 't' });
    assert.equal(megan.kind === 'requested' && megan.grant.principal.id, MEGAN);
  });

  it('says which field is missing or malformed before asking anything', async () => {
    const { deps } = narrowDeps();
    assert.deepEqual(await submit(deps, card({ roleId: '' })), { kind: 'incomplete', field: 'role' });
    assert.deepEqual(await submit(deps, card({ scope: 'nowhere' })), { kind: 'incomplete', field: 'scope' });
    assert.deepEqual(await submit(deps, card({ duration: 'forever' })), { kind: 'incomplete', field: 'duration' });
    assert.deepEqual(await submit(deps, card({ ticketNumber: 'not a ticket!' })), { kind: 'incomplete', field: 'ticket' });
  });
});
