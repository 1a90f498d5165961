import assert from 'node:assert/strict';
import type { ApprovalState, ApprovalVote } from '../../../../src/domain/approval.js';
import type { ElevationRecord } from '../../../../src/domain/elevation.js';
import { POWER_PLATFORM_ADMINISTRATOR } from '../../../../src/domain/roles.js';
import { PIM_APPROVED, PIM_DENIED, PIM_PENDING, approvalCardFor, isPimApproval, type ApprovalViewer } from '../../../../src/teams/cards/approval-cards.js';
import type { AdaptiveCard } from '../../../../src/teams/cards/render.js';
import { VERBS } from '../../../../src/teams/cards/verbs.js';
import { actionVerbs, cardText, findAction } from '../../../harness/cards.js';

const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
const MEGAN = 'b0000000-0000-4000-8000-00000000e6a0';
const LEE = 'b0000000-0000-4000-8000-0000000001ee';
/** A member of the approver group, not listed by user id. */
const ALEX = 'b0000000-0000-4000-8000-0000000a1e00';
const OUTSIDER = 'c0000000-0000-4000-8000-000000000001';
const GROUP = 'a99a0e00-0000-4000-8000-000000000002';
const AT = '2026-11-22T08:05:00.000Z';

const approve = (approverId: string, approverName: string): ApprovalVote => ({ approverId, approverName, decision: 'approve', at: AT });

function approval(changes: Partial<ApprovalState> = {}): ApprovalState {
  return {
    policySource: 'production',
    required: 2,
    approverGroupIds: [GROUP],
    approverUserIds: [MEGAN, LEE],
    votes: [],
    status: 'pending',
    expiresAt: '2026-11-22T09:00:00.000Z',
    ...changes,
  };
}

/** Adele's Power Platform Administrator request for Contoso Prod, waiting for 2 approvals. */
function record(changes: Partial<ElevationRecord> = {}): ElevationRecord {
  const at = '2026-11-22T08:00:00.000Z';
  return {
    id: 'elevation-1',
    state: 'awaitingApproval',
    requester: { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' },
    environment: { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' },
    options: [],
    roleId: POWER_PLATFORM_ADMINISTRATOR,
    roleName: 'Power Platform Administrator',
    duration: 'PT2H',
    justification: 'INC0012345 restore the flow',
    approval: approval(),
    createdAt: at,
    updatedAt: at,
    history: [{ at, state: 'awaitingApproval' }],
    ...changes,
  };
}

/** A PIM request whose activation waits for the role's PIM approvers (no Elevate approval). */
function pimRecord(code = PIM_PENDING, changes: Partial<ElevationRecord> = {}): ElevationRecord {
  const { approval: _none, ...rest } = record({
    state: 'failed',
    pimRequestId: 'req-1',
    pimApprovalId: 'approval-1',
    failure: { code, message: "PIM sent request req-1 to the role's approvers" },
    ...changes,
  });
  return rest;
}

const viewer = (aadObjectId: string, isApprover: boolean): ApprovalViewer => ({ aadObjectId, isApprover });
const hasButtons = (card: AdaptiveCard, kind: 'elevate' | 'pim' = 'elevate'): boolean => {
  const [yes, no] = kind === 'pim' ? [VERBS.pimApprove, VERBS.pimDeny] : [VERBS.approve, VERBS.deny];
  const approveButton = findAction(card, yes) !== undefined;
  assert.equal(findAction(card, no) !== undefined, approveButton, 'Approve and Deny come together');
  return approveButton;
};
const refreshOf = (card: AdaptiveCard) => card['refresh'] as { action?: { verb?: string; data?: unknown }; userIds?: string[] } | undefined;

describe('approvalCardFor: the approval card for an elevation', () => {
  describe('as posted (no viewer)', () => {
    it('offers Approve and Deny while pending, with a refresh for the people involved', () => {
      const card = approvalCardFor(record());
      assert.ok(hasButtons(card));
      assert.deepEqual(findAction(card, VERBS.approve)?.data, { requestId: 'elevation-1' });
      assert.ok(!actionVerbs(card).includes(VERBS.pimApprove));
      assert.doesNotMatch(cardText(card), /You requested this|not an approver|You approved/);
      const refresh = refreshOf(card);
      assert.equal(refresh?.action?.verb, VERBS.approvalRefresh);
      assert.deepEqual(refresh?.userIds, [ADELE, MEGAN, LEE]);
    });

    const decided: { name: string; changes: Partial<ElevationRecord>; status: RegExp }[] = [
      {
        name: 'approved',
        changes: { approval: approval({ status: 'approved', decidedAt: AT, votes: [approve(MEGAN, 'Megan Bowen'), approve(LEE, 'Lee Gu')] }) },
        status: /✅ Approved/,
      },
      {
        name: 'denied',
        changes: {
          state: 'failed',
          approval: approval({
            status: 'denied',
            decidedAt: AT,
            votes: [{ approverId: LEE, approverName: 'Lee Gu', decision: 'deny', reason: 'no window', at: AT }],
          }),
        },
        status: /❌ Denied by Lee Gu: no window/,
      },
      { name: 'expired', changes: { state: 'failed', approval: approval({ status: 'expired', decidedAt: AT }) }, status: /Expired without a decision/ },
      { name: 'cancelled', changes: { state: 'cancelled' }, status: /Cancelled by the requester/ },
    ];
    for (const d of decided) {
      it(`has no buttons and no refresh once ${d.name}`, () => {
        const card = approvalCardFor(record(d.changes));
        assert.equal(hasButtons(card), false);
        assert.equal('refresh' in card, false);
        assert.match(cardText(card), d.status);
      });
    }
  });

  describe('refreshed for a viewer', () => {
    it('shows the requester no buttons, even when Entra lists them as an approver', () => {
      const card = approvalCardFor(record(), viewer(ADELE.toUpperCase(), true));
      assert.equal(hasButtons(card), false);
      assert.match(cardText(card), /You requested this: you cannot approve it\./);
    });

    it('shows an approver who voted no buttons and their vote', () => {
      const card = approvalCardFor(record({ approval: approval({ votes: [approve(MEGAN, 'Megan Bowen')] }) }), viewer(MEGAN, true));
      assert.equal(hasButtons(card), false);
      assert.match(cardText(card), /You approved this\./);
    });

    it('shows an approver who has not voted the buttons', () => {
      const card = approvalCardFor(record({ approval: approval({ votes: [approve(MEGAN, 'Megan Bowen')] }) }), viewer(LEE, true));
      assert.ok(hasButtons(card));
      assert.doesNotMatch(cardText(card), /You requested|You approved|not an approver/);
    });

    it('shows a non-approver no buttons and says why', () => {
      const card = approvalCardFor(record(), viewer(OUTSIDER, false));
      assert.equal(hasButtons(card), false);
      assert.match(cardText(card), /You are not an approver of this request\./);
    });

    it('shows an approver no buttons once the request is decided', () => {
      const decided = record({ approval: approval({ status: 'approved', decidedAt: AT, votes: [approve(MEGAN, 'Megan Bowen'), approve(ALEX, 'Alex W')] }) });
      const card = approvalCardFor(decided, viewer(LEE, true));
      assert.equal(hasButtons(card), false);
      assert.equal('refresh' in card, false);
    });

    it('says nothing about approvers to a non-approver once the request is decided', () => {
      const card = approvalCardFor(record({ state: 'cancelled' }), viewer(OUTSIDER, false));
      assert.equal(hasButtons(card), false);
      assert.doesNotMatch(cardText(card), /not an approver/);
      assert.match(cardText(card), /Cancelled by the requester/);
    });

    it('puts a given note instead of the usual one', () => {
      const card = approvalCardFor(record(), viewer(LEE, true), 'Many approvers are deciding at once: tap again.');
      assert.match(cardText(card), /Many approvers are deciding at once: tap again\./);
    });
  });

  describe('refresh.userIds', () => {
    it('lists the requester, the listed approvers and the voters (group members too), once each', () => {
      const card = approvalCardFor(record({ approval: approval({ approverUserIds: [MEGAN, LEE, MEGAN.toUpperCase()], votes: [approve(ALEX, 'Alex W')] }) }));
      assert.deepEqual(refreshOf(card)?.userIds, [ADELE, MEGAN, LEE, ALEX]);
    });

    it("adds the approver groups' members after the listed approvers and voters", () => {
      const member = 'e0000000-0000-4000-8000-0000000000e1';
      const card = approvalCardFor(
        record({ approval: approval({ approverUserIds: [MEGAN], votes: [approve(ALEX, 'Alex W')], groupMemberIds: [member, MEGAN] }) }),
      );
      assert.deepEqual(refreshOf(card)?.userIds, [ADELE, MEGAN, ALEX, member]);
    });

    it('keeps at most 60 users (Teams refreshes no more), the requester first', () => {
      const many = Array.from({ length: 100 }, (_, i) => `d0000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      const card = approvalCardFor(record({ approval: approval({ approverUserIds: many }) }));
      const userIds = refreshOf(card)?.userIds ?? [];
      assert.equal(userIds.length, 60);
      assert.equal(userIds[0], ADELE);
      assert.deepEqual(userIds.slice(1), many.slice(0, 59));
    });
  });

  describe('PIM approvals', () => {
    it('recognises a PIM approval without an Elevate approval, or after a granted one', () => {
      assert.equal(isPimApproval(pimRecord()), true);
      assert.equal(isPimApproval(record()), false);
      const both = { ...pimRecord(), approval: approval({ status: 'approved', votes: [approve(MEGAN, 'Megan Bowen')], decidedAt: AT }) };
      assert.equal(isPimApproval(both), true);
      assert.equal(isPimApproval({ ...both, approval: approval({ status: 'pending' }) }), false);
    });

    it('shows PIM buttons on the PIM card and none on the Elevate card when both approvals apply to one request', () => {
      const both = { ...pimRecord(), approval: approval({ status: 'approved', votes: [approve(MEGAN, 'Megan Bowen')], decidedAt: AT }) };
      assert.ok(hasButtons(approvalCardFor(both, undefined, undefined, 'pim'), 'pim'));
      const elevateCard = approvalCardFor(both, undefined, undefined, 'elevate');
      assert.equal(hasButtons(elevateCard), false);
      assert.equal(hasButtons(elevateCard, 'pim'), false);
      assert.match(cardText(elevateCard), /Approved/);
      assert.deepEqual((refreshOf(approvalCardFor(both, undefined, undefined, 'pim'))?.action?.data as { kind?: string }).kind, 'pim');
    });

    it('uses the PIM verbs while PIM waits for an approver', () => {
      const card = approvalCardFor(pimRecord());
      assert.ok(hasButtons(card, 'pim'));
      assert.ok(!actionVerbs(card).includes(VERBS.approve));
      assert.ok(!actionVerbs(card).includes(VERBS.deny));
      assert.match(cardText(card), /PIM approval needed: Adele Vance → Power Platform Administrator in Contoso Prod/);
      assert.match(cardText(card), /Waiting for a PIM approver/);
      assert.deepEqual(refreshOf(card)?.userIds, [ADELE]);
    });

    it('gives a PIM approver the PIM buttons, and the requester none', () => {
      assert.ok(hasButtons(approvalCardFor(pimRecord(), viewer(MEGAN, true)), 'pim'));
      const own = approvalCardFor(pimRecord(), viewer(ADELE, true));
      assert.equal(hasButtons(own, 'pim'), false);
      assert.match(cardText(own), /You requested this/);
    });

    for (const code of [PIM_APPROVED, PIM_DENIED]) {
      it(`has no buttons and no refresh once PIM decided (${code})`, () => {
        const decision = code === PIM_APPROVED ? 'approve' : 'deny';
        const card = approvalCardFor(pimRecord(code, { pimDecision: { approverId: MEGAN, name: 'Megan Bowen', decision, reason: 'ok', at: AT } }));
        assert.equal(hasButtons(card, 'pim'), false);
        assert.equal('refresh' in card, false);
        assert.match(cardText(card), code === PIM_APPROVED ? /✅ Approved/ : /❌ Denied by Megan Bowen: ok/);
      });
    }
  });
});

describe('approvalCardFor: a lapsed approval', () => {
  it('says it was approved but not activated in time, without buttons', () => {
    const lapsed = record({
      state: 'failed',
      failure: { code: 'ApprovalLapsed', message: 'not activated in time' },
      approval: approval({ status: 'approved', votes: [approve(MEGAN, 'Megan Bowen')], decidedAt: AT }),
    });
    const card = approvalCardFor(lapsed);
    assert.match(cardText(card), /Approved, but not activated in time/);
    assert.equal(hasButtons(card), false);
  });
});
