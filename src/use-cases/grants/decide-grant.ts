import { castVote, sameId, type VoteRefusal } from '../../domain/approval.js';
import { transitionGrant, type RbacGrantRecord } from '../../domain/rbac-grant.js';
import { auditGrant } from './grant-audit.js';
import type { GrantDeps } from './grant-deps.js';
import { getGrant, swapGrant } from './grant-store.js';
import { scheduleAssignment } from './grant-schedule.js';

export interface GrantDecision {
  grantId: string;
  /** From the Teams activity, never from card data. */
  approverId: string;
  approverName: string;
  decision: 'approve' | 'deny';
  reason?: string;
}

export type GrantDecisionOutcome =
  | { kind: 'recorded'; grant: RbacGrantRecord }
  | { kind: 'refused'; reason: VoteRefusal | 'unknownGrant' | 'noApprovalNeeded'; grant?: RbacGrantRecord }
  | { kind: 'busy'; grant: RbacGrantRecord };

/**
 * An approver's Approve or Deny on a grant's approval card. The vote is applied with
 * compare-and-swap and re-applied on conflict, so racing approvers record exactly N approvals; the
 * write that completes the approval also moves the grant to `assigning`, so exactly one instance
 * schedules the assignment, whatever the taps and redeliveries. The requester never counts. Every
 * posted approval card is then updated in place. Who may vote is checked here (object id, Graph
 * membership), never read from the card.
 */
export async function decideGrant(deps: GrantDeps, input: GrantDecision): Promise<GrantDecisionOutcome> {
  const current = await getGrant(deps.store, input.grantId);
  if (!current) return { kind: 'refused', reason: 'unknownGrant' };
  const approval = current.value.approval;
  if (!approval) return { kind: 'refused', reason: 'noApprovalNeeded', grant: current.value };
  const isApprover = await isGrantApprover(deps, current.value, input.approverId);
  let refusal: VoteRefusal | undefined;
  const now = deps.clock.now();
  const swap = await swapGrant(deps.store, input.grantId, (g) => {
    refusal = undefined;
    if (!g.approval) return undefined;
    // Withdrawn by the requester (or failed) while the approval still read pending: no vote counts.
    if (g.state !== 'awaitingApproval') {
      refusal = 'alreadyDecided';
      return undefined;
    }
    const vote = {
      approverId: input.approverId,
      approverName: input.approverName,
      decision: input.decision,
      ...(input.reason ? { reason: input.reason } : {}),
    };
    const result = castVote(g.approval, vote, g.requester.aadObjectId, isApprover, now);
    if (!result.ok) {
      refusal = result.reason;
      return undefined;
    }
    if (result.state.status === 'approved') return transitionGrant(g, 'assigning', now, { approval: result.state }, 'approved');
    if (result.state.status === 'denied') {
      const reason = result.state.votes.at(-1)?.reason ?? '';
      return transitionGrant(
        g,
        'failed',
        now,
        { approval: result.state, failure: { code: 'Denied', message: `${input.approverName} denied the request: ${reason}` } },
        'denied',
      );
    }
    return { ...g, approval: result.state, updatedAt: now.toISOString() };
  });
  if (refusal) {
    await auditGrant(deps, 'refusedTap', current.value, { actor: { aadObjectId: input.approverId, name: input.approverName }, details: { refusal } });
    return { kind: 'refused', reason: refusal, grant: swap.value?.value ?? current.value };
  }
  if (swap.kind === 'conflict') return { kind: 'busy', grant: swap.value?.value ?? current.value };
  if (swap.kind !== 'updated') return { kind: 'refused', reason: 'alreadyDecided', grant: current.value };
  const grant = swap.value.value;
  await auditGrant(deps, 'decided', grant, { actor: { aadObjectId: input.approverId, name: input.approverName }, details: { decision: input.decision } });
  await deps.notices.security(grant);
  // Every approver's card (1:1 and the channel) shows the vote, and once decided the outcome without buttons.
  await deps.notices.refreshApproval(grant);
  if (grant.state === 'assigning') {
    await deps.timers.cancel(grant.id, ['rbacApprovalTimeout']);
    await scheduleAssignment(deps, grant.id, now);
  }
  if (grant.state !== 'awaitingApproval') await deps.notices.tellRequester(grant);
  return { kind: 'recorded', grant };
}

/** Whether `userId` may vote on the grant: listed by object id or a (transitive) member of a listed group, never its requester. */
export async function isGrantApprover(deps: Pick<GrantDeps, 'memberOf'>, grant: RbacGrantRecord, userId: string): Promise<boolean> {
  const approval = grant.approval;
  if (!approval || sameId(userId, grant.requester.aadObjectId)) return false;
  if (approval.approverUserIds.some((id) => sameId(id, userId))) return true;
  return approval.approverGroupIds.length > 0 && (await deps.memberOf(userId, approval.approverGroupIds)).length > 0;
}

/**
 * A grant's approval card as one viewer should see it now (Universal Actions refresh): read-only.
 * Whether they may still vote is worked out here from the stored grant and Entra, never from the
 * card; Graph is asked only while their vote could still count.
 */
export async function grantApprovalView(
  deps: GrantDeps | undefined,
  grantId: string,
  viewerId: string,
): Promise<{ grant: RbacGrantRecord; isApprover: boolean } | undefined> {
  const grant = deps ? (await getGrant(deps.store, grantId))?.value : undefined;
  if (!deps || !grant) return undefined;
  const approval = grant.approval;
  const couldVote = grant.state === 'awaitingApproval' && approval?.status === 'pending' && !approval.votes.some((v) => sameId(v.approverId, viewerId));
  return { grant, isApprover: couldVote ? await isGrantApprover(deps, grant, viewerId) : false };
}
