import assert from 'node:assert/strict';
import template from '../../../../adaptive-cards/approval-card.json';
import { MAX_REFRESH_USERS, renderApprovalCard, type ApprovalCardData, type ApprovalCardVote } from '../../../../src/teams/cards/approval-card.js';
import { MAX_CARD_BYTES, cardBytes, type AdaptiveCard } from '../../../../src/teams/cards/render.js';
import { VERBS, isVerb } from '../../../../src/teams/cards/verbs.js';
import { actionTitles, actionVerbs, cardText, findAction, findInput, inputIds, locateAction, walkCard } from '../../../harness/cards.js';
import { HOSTILE_TEXT, assertWellFormed, byId, factRows, textRuns } from './fixtures.js';

const REQUEST_ID = 'req-1';

function data(overrides: Partial<ApprovalCardData> = {}): ApprovalCardData {
  return {
    kind: 'elevate',
    requestId: REQUEST_ID,
    requester: { name: 'Adele Vance', aadObjectId: 'a0000000-0000-4000-8000-000000000001' },
    roleName: 'Power Platform Administrator',
    environment: { displayName: 'Contoso Prod', type: 'Production' },
    duration: 'PT2H',
    justification: 'Fix the broken flow in the sales app',
    ticketNumber: 'INC0012345',
    flags: { production: true, globalAdministrator: false },
    required: 2,
    votes: [],
    status: 'pending',
    expiresAt: '2026-03-02T16:30:00.000Z',
    canDecide: true,
    ...overrides,
  };
}

const approved = (name: string, at = '2026-03-02T14:02:00.000Z'): ApprovalCardVote => ({ name, decision: 'approve', at });
const denied = (name: string, reason: string, at = '2026-03-02T14:05:00.000Z'): ApprovalCardVote => ({ name, decision: 'deny', reason, at });

/** The TextRun texts inside the element with `id`. */
function runsIn(card: AdaptiveCard, id: string): string[] {
  return [...walkCard(byId(card, id))].filter((v) => v.node.type === 'TextRun').map((v) => String(v.node['text']));
}

const statusText = (card: AdaptiveCard): string | undefined => runsIn(card, 'status')[0];
const voteTexts = (card: AdaptiveCard): string[] => runsIn(card, 'votes');

describe('approval card', () => {
  it('is headed "Approval needed: <requester> → <role> in <environment>" with the request facts', () => {
    const card = renderApprovalCard(data());

    assertWellFormed(card);
    assert.match(cardText(card), /^🔐 Approval needed: Adele Vance → Power Platform Administrator in Contoso Prod$/m);
    const rows = factRows(card);
    assert.deepEqual(
      [...rows].map(([label, row]) => [label, row.text]),
      [
        ['Requester', 'Adele Vance'],
        ['Role', 'Power Platform Administrator'],
        ['Environment', 'Contoso Prod'],
        ['Type', 'Production ⚠'],
        ['Duration', '2 h'],
        ['Justification', 'Fix the broken flow in the sales app'],
        ['Ticket', 'INC0012345'],
      ],
    );
  });

  it('leaves out the justification and ticket rows when there are none', () => {
    const rows = factRows(renderApprovalCard(data({ justification: undefined, ticketNumber: ' ' })));

    assert.equal(rows.has('Justification'), false);
    assert.equal(rows.has('Ticket'), false);
  });

  it('offers Approve and a Deny… card with a required reason while the viewer may decide', () => {
    const card = renderApprovalCard(data());

    assert.deepEqual(actionTitles(card), ['Approve', 'Deny…', 'Deny']);
    const approve = findAction(card, VERBS.approve);
    assert.deepEqual(approve?.data, { requestId: REQUEST_ID });
    assert.equal(approve?.associatedInputs, 'none');
    const deny = locateAction(card, VERBS.deny);
    assert.deepEqual(deny?.action.data, { requestId: REQUEST_ID });
    assert.equal(deny?.showCards.length, 1, 'Deny sits in the Deny… card');
    const reason = findInput(card, 'reason');
    assert.equal(reason?.['type'], 'Input.Text');
    assert.equal(reason?.['isRequired'], true);
    assert.equal(reason?.['label'], 'Reason (shown to the requester)');
    assert.equal(reason?.['maxLength'], 500);
    assert.equal(typeof reason?.['errorMessage'], 'string');
  });

  it('uses the PIM verbs and heading for a PIM approval, waiting for one approver', () => {
    const card = renderApprovalCard(data({ kind: 'pim', required: 1 }));

    assertWellFormed(card);
    assert.deepEqual(actionVerbs(card), [VERBS.pimApprove, VERBS.pimDeny]);
    assert.match(cardText(card), /^🔐 PIM approval needed: Adele Vance → /m);
    assert.equal(statusText(card), 'Waiting for a PIM approver');
  });

  const noActionCases: { name: string; overrides: Partial<ApprovalCardData> }[] = [
    { name: 'the viewer may not decide', overrides: { canDecide: false } },
    { name: 'the request is decided', overrides: { status: 'approved', canDecide: true } },
  ];
  for (const { name, overrides } of noActionCases) {
    it(`has no actions at all when ${name}`, () => {
      const card = renderApprovalCard(data(overrides));

      assert.equal(card.actions, undefined);
      assert.deepEqual(actionVerbs(card), []);
      assert.deepEqual(inputIds(card), []);
    });
  }

  it('counts approvals while pending and says when the approval expires', () => {
    const card = renderApprovalCard(data({ votes: [approved('Megan Bowen')] }));

    assert.equal(statusText(card), '1 of 2 approvals; 1 more needed');
    // Teams shows the time in each viewer's own zone (DATE()/TIME()), never a fixed "UTC" string.
    assert.equal(byId(card, 'expires')['text'], 'Expires {{DATE(2026-03-02T16:30:00Z, SHORT)}} {{TIME(2026-03-02T16:30:00Z)}}');
    assert.doesNotMatch(cardText(card), /UTC/);
  });

  const statusCases: { status: ApprovalCardData['status']; votes: ApprovalCardVote[]; expected: string }[] = [
    { status: 'approved', votes: [approved('Megan Bowen'), approved('Alex Wilber')], expected: '✅ Approved' },
    {
      status: 'denied',
      votes: [approved('Megan Bowen'), denied('Alex Wilber', 'Use the sandbox first')],
      expected: '❌ Denied by Alex Wilber: Use the sandbox first',
    },
    { status: 'expired', votes: [], expected: '⌛ Expired without a decision' },
    { status: 'cancelled', votes: [], expected: 'Cancelled by the requester' },
  ];
  for (const { status, votes, expected } of statusCases) {
    it(`says "${expected}" when ${status}, with no buttons, expiry or refresh`, () => {
      const card = renderApprovalCard(data({ status, votes, canDecide: false, refreshUserIds: ['u1'] }));

      assertWellFormed(card);
      assert.equal(statusText(card), expected);
      assert.match(cardText(card), /^🔐 Approval request: /m);
      assert.equal(card.actions, undefined);
      assert.equal('refresh' in card, false);
      assert.doesNotMatch(cardText(card), /Expires/);
    });
  }

  it('lists each vote with its time and a denial with its reason', () => {
    const card = renderApprovalCard(data({ status: 'denied', votes: [approved('Megan Bowen'), denied('Alex Wilber', 'Use the sandbox first')] }));

    assert.deepEqual(voteTexts(card), ['✔ Megan Bowen approved', '✖ Alex Wilber denied: Use the sandbox first']);
    const times = [...walkCard(byId(card, 'votes') as AdaptiveCard)].filter((v) => v.node.type === 'TextBlock').map((v) => v.node['text']);
    assert.deepEqual(times, [
      '{{DATE(2026-03-02T14:02:00Z, SHORT)}} {{TIME(2026-03-02T14:02:00Z)}}',
      '{{DATE(2026-03-02T14:05:00Z, SHORT)}} {{TIME(2026-03-02T14:05:00Z)}}',
    ]);
  });

  it('shows Production and Global Administrator flags only when set', () => {
    const flagged = cardText(renderApprovalCard(data({ flags: { production: true, globalAdministrator: true } })));
    const plain = cardText(renderApprovalCard(data({ flags: { production: false, globalAdministrator: false } })));

    assert.match(flagged, /^⚠ Production environment$/m);
    assert.match(flagged, /^⚠ Global Administrator$/m);
    assert.doesNotMatch(plain, /⚠/);
  });

  it("shows the viewer's note only when given", () => {
    const card = renderApprovalCard(data({ viewerNote: 'You requested this: you cannot approve it.', canDecide: false }));

    assert.deepEqual(runsIn(card, 'viewerNote'), ['You requested this: you cannot approve it.']);
    assert.doesNotMatch(JSON.stringify(renderApprovalCard(data())), /"id":"viewerNote"/);
  });

  it('refreshes the listed users while pending, deduplicated case-insensitively and capped at 60', () => {
    const ids = ['User-A', 'user-a', '', ...Array.from({ length: 70 }, (_, i) => `u${i}`)];
    const card = renderApprovalCard(data({ refreshUserIds: ids }));

    const refresh = card['refresh'] as { action: Record<string, unknown>; userIds: string[] };
    assert.deepEqual(refresh.action, { type: 'Action.Execute', verb: VERBS.approvalRefresh, data: { requestId: REQUEST_ID, kind: 'elevate' } });
    assert.equal(refresh.userIds.length, MAX_REFRESH_USERS);
    assert.deepEqual(refresh.userIds.slice(0, 3), ['User-A', 'u0', 'u1']);
  });

  it('has no refresh while pending without users to refresh', () => {
    assert.equal('refresh' in renderApprovalCard(data()), false);
    assert.equal('refresh' in renderApprovalCard(data({ refreshUserIds: [] })), false);
  });

  it("spells the refresh verb of verbs.ts and binds the buttons' verbs from it", () => {
    assert.equal(template.refresh.action.verb, VERBS.approvalRefresh);
    assert.ok(actionVerbs(renderApprovalCard(data())).every(isVerb));
  });

  it('keeps user text literal, template syntax included', () => {
    const card = renderApprovalCard(
      data({
        requester: { name: '${requester.name}', aadObjectId: 'a' },
        justification: HOSTILE_TEXT,
        ticketNumber: '${ticketNumber}',
        votes: [denied('${name}', HOSTILE_TEXT)],
        status: 'denied',
        viewerNote: '${viewerNote}',
        canDecide: false,
      }),
    );

    assertWellFormed(card, { allowDollarBrace: true });
    const rows = factRows(card);
    assert.equal(rows.get('Requester')?.text, '${requester.name}');
    assert.equal(rows.get('Justification')?.text, HOSTILE_TEXT);
    assert.equal(rows.get('Ticket')?.text, '${ticketNumber}');
    assert.equal(statusText(card), `❌ Denied by \${name}: ${HOSTILE_TEXT}`);
    assert.ok(textRuns(card).includes('${viewerNote}'));
  });

  it('stays under the size limit with 60 refresh ids, 20 votes with 500-character reasons and long texts', () => {
    const long = (n: number) => 'x'.repeat(n);
    const votes = Array.from({ length: 20 }, (_, i) => denied(`${long(190)} ${i}`, long(500)));
    const card = renderApprovalCard(
      data({
        requester: { name: long(300), aadObjectId: 'a' },
        roleName: long(300),
        environment: { displayName: long(300), type: 'Production' },
        justification: long(600),
        ticketNumber: long(100),
        votes,
        viewerNote: long(400),
        refreshUserIds: Array.from({ length: 80 }, (_, i) => `29:1${long(100)}${i}`),
      }),
    );

    assertWellFormed(card);
    assert.ok(
      voteTexts(card).every((t) => t.endsWith(`: ${long(500)}`)),
      '500-character reasons are shown whole',
    );
  });

  it('shortens vote reasons in multi-byte text rather than exceed the limit, and counts votes it does not show', () => {
    const votes = Array.from({ length: 25 }, (_, i) => denied(`${'名'.repeat(200)} ${i}`, '🔥'.repeat(500)));
    const card = renderApprovalCard(data({ votes, refreshUserIds: Array.from({ length: 60 }, (_, i) => `u${i}`) }));

    assert.ok(cardBytes(card) < MAX_CARD_BYTES, `card is ${cardBytes(card)} bytes`);
    assert.equal(voteTexts(card).length, 21);
    assert.equal(voteTexts(card).at(-1), '… and 5 more vote(s)');
  });
});
