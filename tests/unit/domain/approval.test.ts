import assert from 'node:assert/strict';
import {
  canBeApproved,
  castVote,
  expire,
  mayApprove,
  NO_APPROVAL,
  openApproval,
  type ApprovalPolicy,
  type ApprovalState,
  type ApprovalVote,
  type VoteRefusal,
} from '../../../src/domain/approval.js';
import { ApprovalNotGrantedError, transition, type ElevationRecord } from '../../../src/domain/elevation.js';

const GROUP = 'a99a0e00-0000-4000-8000-000000000002';
const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
const MEGAN = 'a0000000-0000-4000-8000-0000000e6a00';
const NESTOR = 'a0000000-0000-4000-8000-00000000e570';
const LIDIA = 'a0000000-0000-4000-8000-0000000d1a00';

const approval = (overrides: Partial<ApprovalPolicy> = {}): ApprovalPolicy => ({
  required: true,
  approverGroupIds: [GROUP],
  approverUserIds: [],
  approvalsRequired: 1,
  pendingTimeoutMinutes: 60,
  ...overrides,
});

const OPENED = new Date('2026-11-22T08:00:00Z');
const LATER = new Date('2026-11-22T08:10:00Z');
const AFTER_TIMEOUT = new Date('2026-11-22T09:00:00Z');

function pending(required = 2, votes: ApprovalVote[] = []): ApprovalState {
  const state = openApproval(
    { required: true, approverGroupIds: [GROUP], approverUserIds: [], approvalsRequired: required, pendingTimeoutMinutes: 60 },
    'production',
    OPENED,
  );
  return { ...state, votes };
}

const approve = (approverId: string): ApprovalVote => ({ approverId, decision: 'approve', at: OPENED.toISOString() });

describe('approval', () => {
  it('opens pending with the policy approvers and expires after the pending timeout', () => {
    const state = pending(2);
    assert.equal(state.status, 'pending');
    assert.equal(state.required, 2);
    assert.deepEqual(state.approverGroupIds, [GROUP]);
    assert.equal(state.expiresAt, '2026-11-22T09:00:00.000Z');
  });

  describe('castVote refuses', () => {
    const cases: { name: string; state: ApprovalState; vote: Omit<ApprovalVote, 'at'>; isApprover: boolean; now?: Date; reason: VoteRefusal }[] = [
      {
        name: "the requester's own vote, even as an approver",
        state: pending(),
        vote: { approverId: ADELE, decision: 'approve' },
        isApprover: true,
        reason: 'selfApproval',
      },
      {
        name: "the requester's own vote whatever the case of the id",
        state: pending(),
        vote: { approverId: ADELE.toUpperCase(), decision: 'approve' },
        isApprover: true,
        reason: 'selfApproval',
      },
      { name: 'a non-approver', state: pending(), vote: { approverId: LIDIA, decision: 'approve' }, isApprover: false, reason: 'notApprover' },
      {
        name: 'a second vote by one approver',
        state: pending(2, [approve(MEGAN)]),
        vote: { approverId: MEGAN, decision: 'approve' },
        isApprover: true,
        reason: 'alreadyVoted',
      },
      {
        name: 'a second vote by one approver changing their mind',
        state: pending(2, [approve(MEGAN)]),
        vote: { approverId: MEGAN.toUpperCase(), decision: 'deny', reason: 'changed my mind' },
        isApprover: true,
        reason: 'alreadyVoted',
      },
      { name: 'a Deny without a reason', state: pending(), vote: { approverId: MEGAN, decision: 'deny' }, isApprover: true, reason: 'reasonRequired' },
      {
        name: 'a Deny with a blank reason',
        state: pending(),
        vote: { approverId: MEGAN, decision: 'deny', reason: '  ' },
        isApprover: true,
        reason: 'reasonRequired',
      },
      {
        name: 'a vote on an approved request',
        state: { ...pending(1, [approve(MEGAN)]), status: 'approved' },
        vote: { approverId: NESTOR, decision: 'approve' },
        isApprover: true,
        reason: 'alreadyDecided',
      },
      {
        name: 'a vote on a denied request',
        state: { ...pending(), status: 'denied' },
        vote: { approverId: NESTOR, decision: 'approve' },
        isApprover: true,
        reason: 'alreadyDecided',
      },
      {
        name: 'a vote after the timeout',
        state: pending(),
        vote: { approverId: MEGAN, decision: 'approve' },
        isApprover: true,
        now: AFTER_TIMEOUT,
        reason: 'expired',
      },
      {
        name: 'a vote on an expired request',
        state: { ...pending(), status: 'expired' },
        vote: { approverId: MEGAN, decision: 'approve' },
        isApprover: true,
        reason: 'expired',
      },
      {
        name: 'a non-approver as such even on a decided request (who is checked before status)',
        state: { ...pending(), status: 'approved' },
        vote: { approverId: LIDIA, decision: 'approve' },
        isApprover: false,
        reason: 'notApprover',
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const result = castVote(c.state, c.vote, ADELE, c.isApprover, c.now ?? LATER);
        assert.deepEqual(result, { ok: false, reason: c.reason });
      });
    }
  });

  describe('castVote decides', () => {
    it('keeps a 2-of-N request pending after one approval', () => {
      const result = castVote(pending(2), { approverId: MEGAN, approverName: 'Megan', decision: 'approve' }, ADELE, true, LATER);
      assert.ok(result.ok);
      assert.equal(result.state.status, 'pending');
      assert.deepEqual(result.state.votes, [{ approverId: MEGAN, approverName: 'Megan', decision: 'approve', at: LATER.toISOString() }]);
      assert.equal(result.state.decidedAt, undefined);
    });

    it('approves a 2-of-N request at the second distinct approval', () => {
      const result = castVote(pending(2, [approve(MEGAN)]), { approverId: NESTOR, decision: 'approve' }, ADELE, true, LATER);
      assert.ok(result.ok);
      assert.equal(result.state.status, 'approved');
      assert.equal(result.state.decidedAt, LATER.toISOString());
    });

    it('denies at the first Deny, even after approvals, keeping the trimmed reason', () => {
      const result = castVote(pending(3, [approve(MEGAN)]), { approverId: NESTOR, decision: 'deny', reason: ' no change window ' }, ADELE, true, LATER);
      assert.ok(result.ok);
      assert.equal(result.state.status, 'denied');
      assert.equal(result.state.votes[1]?.reason, 'no change window');
      assert.equal(result.state.decidedAt, LATER.toISOString());
    });
  });

  describe('expire', () => {
    it('expires a pending approval once its time has come', () => {
      const expired = expire(pending(), AFTER_TIMEOUT);
      assert.equal(expired.status, 'expired');
      assert.equal(expired.decidedAt, AFTER_TIMEOUT.toISOString());
    });

    it('leaves an approval alone before its time and once decided', () => {
      const early = pending();
      assert.equal(expire(early, LATER), early);
      const approved: ApprovalState = { ...pending(), status: 'approved' };
      assert.equal(expire(approved, AFTER_TIMEOUT), approved);
    });
  });

  describe('the elevation state machine', () => {
    const record = (approval?: ApprovalState): ElevationRecord => ({
      id: 'e-1',
      state: 'draft',
      requester: { aadObjectId: ADELE, name: 'Adele', tenantId: 't' },
      environment: { id: 'env-1', displayName: 'Contoso Prod' },
      options: [],
      createdAt: OPENED.toISOString(),
      updatedAt: OPENED.toISOString(),
      history: [],
      ...(approval ? { approval } : {}),
    });

    it('goes draft → awaitingApproval → activating once approved', () => {
      const waiting = transition(record(), 'awaitingApproval', OPENED, { approval: pending(1) });
      const approved = { ...waiting, approval: { ...pending(1, [approve(MEGAN)]), status: 'approved' as const } };
      assert.equal(transition(approved, 'activating', LATER).state, 'activating');
    });

    it('never reaches the tenant while the approval is pending, denied or expired', () => {
      for (const status of ['pending', 'denied', 'expired'] as const) {
        const waiting = transition(record(), 'awaitingApproval', OPENED, { approval: { ...pending(1), status } });
        assert.throws(() => transition(waiting, 'activating', LATER), ApprovalNotGrantedError);
        assert.throws(() => transition(waiting, 'elevating', LATER), ApprovalNotGrantedError);
      }
    });

    it('does not let a denied request be retried into activation', () => {
      const waiting = transition(record(), 'awaitingApproval', OPENED, { approval: pending(1) });
      const denied = transition(waiting, 'failed', LATER, { approval: { ...pending(1), status: 'denied' } });
      assert.throws(() => transition(denied, 'activating', LATER), ApprovalNotGrantedError);
    });

    it('lets the requester cancel while waiting', () => {
      const waiting = transition(record(), 'awaitingApproval', OPENED, { approval: pending(1) });
      assert.equal(transition(waiting, 'cancelled', LATER).state, 'cancelled');
    });
  });
});

describe('approvers', () => {
  const twoOfThree = approval({ approverGroupIds: [], approverUserIds: [MEGAN, NESTOR, ADELE], approvalsRequired: 2 });

  it('never lets the requester approve their own request, even as a listed user and group member', () => {
    assert.equal(mayApprove(approval({ approverUserIds: [ADELE] }), ADELE, { userId: ADELE.toUpperCase(), groupIds: [GROUP] }), false);
  });

  it('lets listed users and members of approver groups approve', () => {
    assert.equal(mayApprove(twoOfThree, ADELE, { userId: MEGAN, groupIds: [] }), true);
    assert.equal(mayApprove(approval(), ADELE, { userId: NESTOR, groupIds: [GROUP.toUpperCase()] }), true);
    assert.equal(mayApprove(approval(), ADELE, { userId: NESTOR, groupIds: [] }), false);
  });

  it('lets nobody approve when no approval is required', () => {
    assert.equal(mayApprove(NO_APPROVAL, ADELE, { userId: MEGAN, groupIds: [GROUP] }), false);
  });

  it('tells when a requester’s own listing leaves too few approvers', () => {
    assert.equal(canBeApproved(twoOfThree, MEGAN), true);
    assert.equal(canBeApproved(approval({ approverGroupIds: [], approverUserIds: [MEGAN, NESTOR], approvalsRequired: 2 }), MEGAN), false);
    assert.equal(canBeApproved(approval({ approvalsRequired: 5 }), MEGAN), true);
  });
});
