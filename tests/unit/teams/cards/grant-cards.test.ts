import assert from 'node:assert/strict';
import { GRANT_EN, GRANT_REFUSAL_EN } from '../../../../src/teams/locale/catalogue-grants-en.js';
import { grantApprovalCard } from '../../../../src/teams/cards/grant-approval-card.js';
import { grantCard, grantStatusCard } from '../../../../src/teams/cards/grant-cards.js';
import { Texts, ENGLISH } from '../../../../src/teams/locale/texts.js';
import { refusalText } from '../../../../src/teams/routes/grant-refusals.js';
import { grantFailureOf } from '../../../../src/use-cases/grants/grant-failures.js';
import { HttpError } from '../../../../src/domain/errors.js';
import { walkCard, type CardNode } from '../../../harness/cards.js';
import { GRANT_APPROVERS, GRANT_REQUESTER, grantCardSamples, sampleApproval, sampleGrant, sampleOwnerGrant } from '../../../support/grant-card-samples.js';

const GERMAN = new Texts({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
const FRENCH = new Texts({ locale: 'fr-FR', timeZone: 'Europe/Paris' });

function strings(card: object): string[] {
  const found: string[] = [];
  for (const { node } of walkCard(card as CardNode)) for (const key of ['text', 'title']) if (typeof node[key] === 'string') found.push(node[key] as string);
  return found;
}
const textOf = (card: object): string => strings(card).join('\n');
const verbs = (card: object): string[] =>
  [...walkCard(card as CardNode)].flatMap(({ node }) => (node['type'] === 'Action.Execute' && typeof node['verb'] === 'string' ? [node['verb']] : []));

/** English catalogue texts about grants long enough to be recognised (placeholders cut out). */
const ENGLISH_PHRASES = [...Object.values(GRANT_EN), ...Object.values(GRANT_REFUSAL_EN)]
  .flatMap((text) => text.split(/\{\w+\}/))
  .map((part) => part.trim())
  .filter((part) => part.length >= 12);

describe('cards of Power Platform RBAC grants, in the reader’s language (issue #14)', () => {
  for (const [language, texts] of [
    ['de', GERMAN],
    ['fr', FRENCH],
  ] as const) {
    it(`has no English word of Elevate's own on any grant card in ${language}`, () => {
      for (const { name, card } of grantCardSamples(texts)) {
        const shown = textOf(card);
        for (const phrase of ENGLISH_PHRASES) assert.ok(!shown.includes(phrase), `${language}/${name} shows "${phrase}"`);
      }
    });
  }

  it('shows times through Teams DATE()/TIME() with a label of the catalogue, never as UTC text', () => {
    const granted = grantCard(sampleGrant(), GERMAN);
    assert.match(textOf(granted), /Erteilt: Power Platform reader auf der Umgebungsgruppe Finance/);
    assert.ok(strings(granted).includes('Bis {{DATE(2026-03-02T17:00:00Z, SHORT)}} {{TIME(2026-03-02T17:00:00Z)}}'), textOf(granted));
    const status = grantStatusCard([sampleGrant()], FRENCH);
    assert.ok(strings(status).includes('{{DATE(2026-03-02T17:00:00Z, SHORT)}} {{TIME(2026-03-02T17:00:00Z)}}'));
    assert.doesNotMatch(textOf(granted) + textOf(status), /UTC/);
  });

  it('says a Deny and an expired approval in the reader’s words, not the English of the use case', () => {
    const deny = { approverId: GRANT_APPROVERS.alex, approverName: 'Alex Wilber', decision: 'deny' as const, reason: 'Freeze', at: sampleGrant().createdAt };
    const denied = sampleOwnerGrant(sampleApproval('denied', [deny]), {
      state: 'failed',
      failure: { code: 'Denied', message: 'Alex Wilber denied the request: Freeze' },
    });
    assert.match(textOf(grantCard(denied, FRENCH)), /Alex Wilber a refusé la demande : Freeze/);
    const expired = sampleOwnerGrant(sampleApproval('expired'), { state: 'failed', failure: { code: 'ApprovalExpired', message: 'No decision in time.' } });
    assert.match(textOf(grantCard(expired, GERMAN)), /Keine Entscheidung rechtzeitig/);
  });

  it('says why Power Platform refused a grant in the reader’s language, and keeps the English of older records', () => {
    const grant = sampleGrant();
    const failed = { ...grant, state: 'failed' as const, failure: grantFailureOf(grant, new HttpError('Forbidden', 403, 'Forbidden', undefined, undefined)) };
    assert.match(textOf(grantCard(failed, GERMAN)), /Power Platform hat die RBAC-Identität von Elevate abgelehnt \(403\)/);
    assert.match(textOf(grantCard(failed, ENGLISH)), /Power Platform refused Elevate's RBAC identity \(403\)/);
    const older = { ...failed, failure: { code: 'RbacIdentityNotAllowed', message: 'Power Platform refused (an older record).' } };
    assert.match(textOf(grantCard(older, GERMAN)), /Power Platform refused \(an older record\)/);
  });

  it('words every refusal from the catalogue, with its detail', () => {
    assert.equal(refusalText('tooLong', '8 h', GERMAN), 'Das ist länger, als die Richtlinie für diese Rolle erlaubt: höchstens 8 h.');
    assert.match(refusalText('notAllowedForRequester', 'apps-by-their-owners', FRENCH), /règle apps-by-their-owners/);
    assert.match(refusalText('tenantOwnerForbidden', undefined, ENGLISH), /Owner at the tenant scope is never granted/);
  });
});

describe('the approval card of a grant', () => {
  const pending = sampleOwnerGrant(sampleApproval('pending'));

  it('offers Approve and Deny while pending, and asks Teams to refresh it for the requester and every approver', () => {
    const card = grantApprovalCard(pending);
    assert.ok(verbs(card).includes('elevate.approve'));
    const refresh = card['refresh'] as { action: { verb: string; data: { requestId: string } }; userIds: string[] };
    assert.equal(refresh.action.verb, 'elevate.approvalRefresh');
    assert.equal(refresh.action.data.requestId, pending.id);
    assert.deepEqual(refresh.userIds, [GRANT_REQUESTER.aadObjectId, GRANT_APPROVERS.megan, GRANT_APPROVERS.alex]);
  });

  it('shows each viewer their own view: no buttons for the requester, someone not listed or an approver who voted', () => {
    const requester = grantApprovalCard(pending, { aadObjectId: GRANT_REQUESTER.aadObjectId, isApprover: false });
    assert.deepEqual(verbs(requester), []);
    assert.match(textOf(requester), /You requested this: you cannot approve it/);
    const stranger = grantApprovalCard(pending, { aadObjectId: 'someone', isApprover: false });
    assert.deepEqual(verbs(stranger), []);
    assert.match(textOf(stranger), /You are not an approver of this request/);
    const voted = sampleOwnerGrant({
      ...sampleApproval('pending'),
      required: 2,
      votes: [{ approverId: GRANT_APPROVERS.megan, decision: 'approve', at: pending.createdAt }],
    });
    assert.deepEqual(verbs(grantApprovalCard(voted, { aadObjectId: GRANT_APPROVERS.megan, isApprover: true })), []);
    assert.ok(verbs(grantApprovalCard(voted, { aadObjectId: GRANT_APPROVERS.alex, isApprover: true })).includes('elevate.approve'));
  });

  it('shows the outcome without buttons or refresh once approved, denied, cancelled or expired', () => {
    const deny = {
      approverId: GRANT_APPROVERS.alex,
      approverName: 'Alex Wilber',
      decision: 'deny' as const,
      reason: 'not during the freeze',
      at: pending.createdAt,
    };
    const cases = [
      [sampleOwnerGrant(sampleApproval('approved'), { state: 'assigning' }), /✅ Approved/],
      [sampleOwnerGrant(sampleApproval('denied', [deny]), { state: 'failed' }), /Denied by Alex Wilber: not during the freeze/],
      [sampleOwnerGrant(sampleApproval('pending'), { state: 'cancelled' }), /Cancelled by the requester/],
      [sampleOwnerGrant(sampleApproval('expired'), { state: 'failed' }), /Expired without a decision/],
    ] as const;
    for (const [grant, shows] of cases) {
      const card = grantApprovalCard(grant);
      assert.match(textOf(card), shows);
      assert.deepEqual(verbs(card), [], grant.state);
      assert.equal(card['refresh'], undefined, grant.state);
    }
  });
});
