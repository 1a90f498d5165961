import type { FreshSignInRequirement, VoteProof } from './fresh-sign-in.js';

/**
 * Approval of an elevation by approvers (docs/design.md, flow 7): N of M distinct approvers, the first Deny
 * ends it, the pending timeout expires it. Pure: membership is decided by the caller (Graph
 * transitive membership by object id) and passed in as `isApprover`; the time is passed in as `now`.
 */

export interface ApprovalPolicy {
  readonly required: boolean;
  /** Entra group object ids; any member may approve. */
  readonly approverGroupIds: readonly string[];
  /** Entra user object ids. */
  readonly approverUserIds: readonly string[];
  /** N of M: distinct approvers needed, never counting the requester. */
  readonly approvalsRequired: number;
  /** A request not fully approved by then expires. */
  readonly pendingTimeoutMinutes: number;
  /** An Approve counts only with a fresh strong sign-in (fresh-sign-in.ts); a Deny never needs one. */
  readonly freshSignIn?: FreshSignInRequirement;
}

export const NO_APPROVAL: ApprovalPolicy = { required: false, approverGroupIds: [], approverUserIds: [], approvalsRequired: 0, pendingTimeoutMinutes: 0 };

/** Whether `approver` may approve this request: listed (directly or by group) and not the requester. */
export function mayApprove(approval: ApprovalPolicy, requesterId: string, approver: { userId: string; groupIds: readonly string[] }): boolean {
  if (!approval.required || sameText(approver.userId, requesterId)) return false;
  return (
    approval.approverUserIds.some((id) => sameText(id, approver.userId)) ||
    approval.approverGroupIds.some((g) => approver.groupIds.some((id) => sameText(id, g)))
  );
}

/** False when, without the requester, too few listed users remain and no group could make up the rest. */
export function canBeApproved(approval: ApprovalPolicy, requesterId: string): boolean {
  if (!approval.required || approval.approverGroupIds.length > 0) return true;
  return distinct(approval.approverUserIds.filter((id) => !sameText(id, requesterId))).length >= approval.approvalsRequired;
}

/** `lapsed`: approved, but the requester did not start the activation within the activation window; final like `denied`. */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'lapsed';
export type ApprovalDecision = 'approve' | 'deny';

export interface ApprovalVote {
  /** Entra object id of the approver. */
  approverId: string;
  approverName?: string;
  decision: ApprovalDecision;
  /** Required for a Deny; shown to the requester. */
  reason?: string;
  /** ISO instant. */
  at: string;
  /** How the approver proved an Approve that needed a fresh sign-in. */
  proof?: VoteProof;
}

export interface ApprovalState {
  /** The Elevate policy rule that asked for approval (`defaults` or a rule name). */
  policySource: string;
  /** N: distinct approvals needed. */
  required: number;
  /** Entra group object ids whose (transitive) members may approve. */
  approverGroupIds: string[];
  /** Entra user object ids who may approve. */
  approverUserIds: string[];
  votes: ApprovalVote[];
  status: ApprovalStatus;
  /** ISO instant after which a still pending approval is expired. */
  expiresAt: string;
  decidedAt?: string;
  /** The policy's Teams channel id for approval cards; absent: the one set by `approvals here`. */
  approvalsChannel?: string;
  /** Members of the approver groups (read once from Graph), whose cards Teams refreshes individually. */
  groupMemberIds?: string[];
  /** Copied from the policy when the request was made: a later policy change does not weaken it. */
  freshSignIn?: FreshSignInRequirement;
}

/** Longest Deny reason kept (the card's input allows as much). */
export const MAX_REASON_LENGTH = 500;

/**
 * A decision's reason as kept: shown to the requester and stored in the record, the audit log and
 * the channel, so whitespace is collapsed and the length bounded; undefined when empty or not text.
 */
export function boundedReason(text: unknown): string | undefined {
  const reason = typeof text === 'string' ? text.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_LENGTH) : '';
  return reason === '' ? undefined : reason;
}

export type VoteRefusal = 'selfApproval' | 'notApprover' | 'alreadyVoted' | 'alreadyDecided' | 'expired' | 'reasonRequired' | 'freshSignInRequired';
export type VoteResult = { ok: true; state: ApprovalState } | { ok: false; reason: VoteRefusal };

/** A pending approval for a request, taking its approvers and timeout from the effective policy. */
export function openApproval(policy: ApprovalPolicy, policySource: string, now: Date, approvalsChannel?: string): ApprovalState {
  return {
    ...(approvalsChannel ? { approvalsChannel } : {}),
    policySource,
    required: policy.approvalsRequired,
    approverGroupIds: [...policy.approverGroupIds],
    approverUserIds: [...policy.approverUserIds],
    ...(policy.freshSignIn ? { freshSignIn: { authenticationContext: policy.freshSignIn.authenticationContext } } : {}),
    votes: [],
    status: 'pending',
    expiresAt: new Date(now.getTime() + policy.pendingTimeoutMinutes * 60_000).toISOString(),
  };
}

/**
 * Applies one approver's vote. Who is refused is decided before what the request's status is, so a
 * requester or a non-approver is always recorded as such, even on a decided request.
 */
export function castVote(state: ApprovalState, vote: Omit<ApprovalVote, 'at'>, requesterId: string, isApprover: boolean, now: Date): VoteResult {
  if (sameId(vote.approverId, requesterId)) return { ok: false, reason: 'selfApproval' };
  if (!isApprover) return { ok: false, reason: 'notApprover' };
  if (state.status === 'expired' || (state.status === 'pending' && isDue(state, now))) return { ok: false, reason: 'expired' };
  if (state.status !== 'pending') return { ok: false, reason: 'alreadyDecided' };
  if (state.votes.some((v) => sameId(v.approverId, vote.approverId))) return { ok: false, reason: 'alreadyVoted' };
  const reason = boundedReason(vote.reason);
  if (vote.decision === 'deny' && !reason) return { ok: false, reason: 'reasonRequired' };
  // Checked last: an approver who could not vote anyway is never sent to sign in.
  if (vote.decision === 'approve' && state.freshSignIn && !provesFreshSignIn(state.freshSignIn, vote.proof))
    return { ok: false, reason: 'freshSignInRequired' };

  const at = now.toISOString();
  const cast: ApprovalVote = {
    approverId: vote.approverId,
    ...(vote.approverName !== undefined ? { approverName: vote.approverName } : {}),
    decision: vote.decision,
    ...(reason ? { reason } : {}),
    at,
    ...(vote.decision === 'approve' && vote.proof ? { proof: vote.proof } : {}),
  };
  const votes = [...state.votes, cast];
  const status: ApprovalStatus = vote.decision === 'deny' ? 'denied' : approvals(votes) >= state.required ? 'approved' : 'pending';
  return { ok: true, state: { ...state, votes, status, ...(status !== 'pending' ? { decidedAt: at } : {}) } };
}

/** The proof (made by proveFreshSignIn) is for this requirement's authentication context. */
function provesFreshSignIn(requirement: FreshSignInRequirement, proof: VoteProof | undefined): boolean {
  return proof?.method === 'freshSignIn' && proof.authenticationContext.toLowerCase() === requirement.authenticationContext.toLowerCase();
}

/** The expired approval when it is still pending and due at `now`; otherwise `state` itself, unchanged. */
export function expire(state: ApprovalState, now: Date): ApprovalState {
  if (state.status !== 'pending' || !isDue(state, now)) return state;
  return { ...state, status: 'expired', decidedAt: now.toISOString() };
}

/**
 * When an approved request's activation window closes (`decidedAt` + window). A request scheduled
 * for later (`notBefore`, its start, issue #16) is not lapsed by an early approval: its window opens
 * at the start.
 */
export function activationDeadline(state: ApprovalState, windowMinutes: number, notBefore?: string): Date | undefined {
  if (state.status !== 'approved' || !state.decidedAt) return undefined;
  const opens = Math.max(Date.parse(state.decidedAt), notBefore === undefined ? 0 : Date.parse(notBefore) || 0);
  return new Date(opens + windowMinutes * 60_000);
}

/** The approval after its activation window closed unused; only an approved one can lapse. */
export function lapse(state: ApprovalState): ApprovalState {
  return state.status === 'approved' ? { ...state, status: 'lapsed' } : state;
}

/** Approve votes so far. */
export function approvalCount(state: Pick<ApprovalState, 'votes'>): number {
  return approvals(state.votes);
}

function approvals(votes: readonly ApprovalVote[]): number {
  return votes.filter((v) => v.decision === 'approve').length;
}

function isDue(state: ApprovalState, now: Date): boolean {
  return now.getTime() >= Date.parse(state.expiresAt);
}

/** Entra object ids are GUIDs: compared without regard to case. */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function distinct(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
