import {
  activationDeadline,
  approvalCount,
  lapse,
  castVote,
  expire,
  openApproval,
  sameId,
  type ApprovalDecision,
  type ApprovalState,
  type VoteRefusal,
} from '../domain/approval.js';
import { type EffectivePolicy } from '../domain/elevate-policy.js';
import { canBeApproved, mayApprove } from '../domain/approval.js';
import { proofDetails, type FreshSignInRequirement, type VoteProof } from '../domain/fresh-sign-in.js';
import { transition, type ElevationFailure, type ElevationRecord } from '../domain/elevation.js';
import { APPROVAL_DENIED, APPROVAL_EXPIRED, failure as elevationFailure, lapsedFailure } from '../domain/failures.js';
import { said } from '../domain/record-text.js';
import { compareAndSwap, elevationAccess } from './compare-and-swap.js';
import type { Versioned } from '../ports/elevation-store.js';
import type { DurableTimer, TimerOutcome } from '../ports/timer-store.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';

/** What request approval uses of the use cases' dependencies. */
export type RequestApprovalDeps = Pick<
  ElevationDeps,
  'pim' | 'tokens' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'approvals' | 'settings' | 'logger'
>;

export const APPROVAL_TIMEOUT_KIND = 'approvalTimeout';
export const approvalTimerId = (elevationId: string): string => `approval-timeout:${elevationId}`;

export type RequestApprovalOutcome =
  | { kind: 'awaitingApproval'; record: ElevationRecord }
  | { kind: 'cannotBeApproved'; record: ElevationRecord; message: string }
  | { kind: 'alreadyHandled'; record: ElevationRecord };

/**
 * Puts a validated draft up for approval: `draft.value` is the draft with the submission's
 * validated fields (role, duration, justification, ticket, options, card) already set, and
 * `draft.version` the version it was read at. Schedules the durable timeout first (an orphan timer
 * is a no-op), then moves the draft to `awaitingApproval` with a compare-and-swap, so a double tap
 * asks once. The caller then runs `publishApproval` (after answering the tap). Nothing happens in
 * the tenant until the approval is granted.
 */
export async function requestApproval(deps: RequestApprovalDeps, draft: Versioned<ElevationRecord>, policy: EffectivePolicy): Promise<RequestApprovalOutcome> {
  const record = draft.value;
  if (!policy.approval.required) throw new Error('requestApproval called for a policy that does not require approval.');
  if (record.state !== 'draft') return { kind: 'alreadyHandled', record };
  if (!canBeApproved(policy.approval, record.requester.aadObjectId)) {
    const message = `Elevate policy "${policy.source}" needs ${policy.approval.approvalsRequired} approver(s) other than you, and fewer are listed. Ask the Elevate administrators.`;
    return { kind: 'cannotBeApproved', record, message };
  }
  const now = deps.clock.now();
  const groupMemberIds = await approverGroupMembers(deps, policy.approval.approverGroupIds);
  const approval = { ...openApproval(policy.approval, policy.source, now, policy.approvalsChannel), ...(groupMemberIds.length > 0 ? { groupMemberIds } : {}) };
  await deps.timers.schedule({ id: approvalTimerId(record.id), kind: APPROVAL_TIMEOUT_KIND, subject: record.id, dueAt: approval.expiresAt, payload: {} });
  const next = transition(record, 'awaitingApproval', now, { approval }, `${approval.required} approval(s) required by ${policy.source}`);
  const saved = await deps.store.updateElevation(next, draft.version);
  if (!saved) return { kind: 'alreadyHandled', record: (await deps.store.getElevation(record.id))?.value ?? record };
  await audit(deps, 'requested', {
    record: saved.value,
    details: { approvalPolicy: approval.policySource, approvalsRequired: approval.required, approvalExpiresAt: approval.expiresAt },
  });
  return { kind: 'awaitingApproval', record: saved.value };
}

/** Teams refreshes a card for at most 60 users; listed users and the requester come first. */
const MAX_GROUP_MEMBERS = 60;

/**
 * The users of the approver groups (Graph, Elevate's own identity), so that each of them gets their
 * own view of the approval card. Only for the card: who may decide is checked on every tap.
 * Failing to read them never blocks a request.
 */
async function approverGroupMembers(deps: RequestApprovalDeps, groupIds: readonly string[]): Promise<string[]> {
  const members = new Set<string>();
  for (const groupId of groupIds) {
    if (members.size >= MAX_GROUP_MEMBERS) break;
    try {
      for (const id of await deps.pim.listGroupUserIds(deps.tokens.forApp(deps.settings.graphResource), groupId, MAX_GROUP_MEMBERS))
        members.add(id.toLowerCase());
    } catch (error) {
      deps.logger.warn({ err: error, groupId }, 'could not read the approver group members for card refresh');
    }
  }
  return [...members].slice(0, MAX_GROUP_MEMBERS);
}

/**
 * Sends the approval cards to the approvers, tells the security channel, and puts the requester's
 * card (for everyone who sees the chat, with its refresh) at "waiting for approval". Never throws.
 */
export async function publishApproval(deps: RequestApprovalDeps, record: ElevationRecord): Promise<void> {
  await deps.approvals.publish(record);
  await deps.notifier.elevationChanged(record);
  await showLatest(deps, record);
}

/** An approver's tap on an approval card. Untrusted card data: `decision` is checked here. */
export interface DecisionInput {
  elevationId: string;
  /** Entra object id of the tapping user (from the Teams activity, never from card data). */
  approverId: string;
  approverName?: string;
  decision: string;
  reason?: string;
  /** A fresh strong sign-in proved for this Approve (fresh-approval.ts); never from card data. */
  proof?: VoteProof;
}

export type DecisionRefusal = VoteRefusal | 'unknownRequest' | 'invalidDecision' | 'noApprovalNeeded';

export type DecideOutcome =
  /** The vote counts; `record.approval.status` says whether it decided the request. */
  | { kind: 'recorded'; record: ElevationRecord }
  | { kind: 'refused'; reason: DecisionRefusal; record?: ElevationRecord }
  /** The rule wants a fresh strong sign-in for an Approve: nothing recorded; `tapAt` is when it was asked. */
  | { kind: 'signInNeeded'; record: ElevationRecord; tapAt: Date; requirement: FreshSignInRequirement }
  /** Lost the compare-and-swap too often (should not happen): nothing recorded, tap again. */
  | { kind: 'busy'; record: ElevationRecord };

/**
 * Records one approver's Approve or Deny. Membership is checked by object id: listed user ids, or
 * Graph transitive membership of the approver groups with the bot's identity. The vote is saved
 * with compare-and-swap; on a conflict the record is re-read and the vote re-applied, so every one
 * of many concurrent approvers gets an answer that matches the stored result. Refusals are audited
 * (`refusedTap`), votes too (`decided`). A Deny moves the record to `failed`; reaching N approvals
 * keeps it in `awaitingApproval` with `approval.status` approved until the requester's activation
 * starts (that needs the requester's own token).
 */
export async function decideApproval(deps: RequestApprovalDeps, input: DecisionInput): Promise<DecideOutcome> {
  let current = await deps.store.getElevation(input.elevationId);
  if (!current) return refuse(deps, input, 'unknownRequest');
  const decision = parseDecision(input.decision);
  if (!decision) return refuse(deps, input, 'invalidDecision', current.value);
  if (!current.value.approval) return refuse(deps, input, 'noApprovalNeeded', current.value);
  const isApprover = await isListedApprover(deps, current.value.approval, current.value.requester.aadObjectId, input.approverId);
  // Every successful write while pending adds a vote or ends the approval, so required+1 conflicts
  // at most come from votes; the margin covers other writers (card references, cancel).
  const attempts = Math.max(5, current.value.approval.required + 3);
  let refusal: { reason: Parameters<typeof refuse>[2]; record?: ElevationRecord } | undefined;
  let tapAt = deps.clock.now();
  const swapped = await compareAndSwap(
    elevationAccess(deps.store, input.elevationId),
    (latest) => {
      const record = latest?.value;
      const now = deps.clock.now();
      tapAt = now;
      const vote = { approverId: input.approverId, decision, ...optional(input), ...(input.proof ? { proof: input.proof } : {}) };
      const result = record?.approval ? castVote(record.approval, vote, record.requester.aadObjectId, isApprover, now) : undefined;
      refusal = !record
        ? { reason: 'unknownRequest' }
        : !result
          ? { reason: 'noApprovalNeeded', record }
          : !result.ok
            ? { reason: result.reason, record }
            : record.state !== 'awaitingApproval'
              ? { reason: 'alreadyDecided', record }
              : undefined;
      return refusal || !record || !result?.ok ? undefined : withApproval(record, result.state, now);
    },
    { attempts, initial: current, sleep: (ms) => deps.clock.sleep(ms) },
  );
  if (swapped.kind === 'updated') return recorded(deps, input, swapped.value.value);
  const requirement = refusal?.record?.approval?.freshSignIn;
  // Not a refusal: the tap is answered with the sign-in it needs (audited when the approver comes back).
  if (refusal?.reason === 'freshSignInRequired' && refusal.record && requirement) return { kind: 'signInNeeded', record: refusal.record, tapAt, requirement };
  if (refusal) return refuse(deps, input, refusal.reason, refusal.record);
  deps.logger.warn({ elevationId: input.elevationId, attempts }, 'approval vote kept losing the compare-and-swap');
  current = swapped.value ?? current;
  return { kind: 'busy', record: current.value };
}

/**
 * Timer handler (`approvalTimeout`): expires a still pending approval, or an approved one whose
 * requester did not tap Activate within the activation window (compare-and-swap to `failed`),
 * audits it, updates the approval cards, tells the requester and the security channel. A request
 * that was activated, cancelled or is missing is a no-op. Due before its time (a clock that
 * moved): tried again at the right time.
 */
export async function expireApproval(deps: RequestApprovalDeps, timer: DurableTimer): Promise<TimerOutcome> {
  let outcome: TimerOutcome = 'done';
  let closing: ApprovalEnding | undefined;
  const swapped = await compareAndSwap(elevationAccess(deps.store, timer.subject), (current) => {
    const approval = current?.value.approval;
    outcome = 'done';
    closing = undefined;
    if (!current || current.value.state !== 'awaitingApproval' || !approval) return undefined;
    const ending = endingOf(approval, deps.clock.now(), deps.settings.approvalActivationWindowMinutes, current.value.schedule?.startAt);
    if ('retryAt' in ending) {
      outcome = ending;
      return undefined;
    }
    closing = ending;
    return closedRecord(deps, current.value, ending);
  });
  if (swapped.kind === 'updated' && closing) await announceClosed(deps, swapped.value.value, closing);
  if (swapped.kind === 'conflict') return { retryAt: new Date(deps.clock.now().getTime() + 1_000) };
  return outcome;
}

/** How a request waiting for approval ends without reaching the tenant (expired, lapsed). */
export interface ApprovalEnding {
  approval: ApprovalState;
  failure: ElevationFailure;
  note: string;
}

type Ending = ApprovalEnding | { retryAt: Date };

/**
 * Moves a request waiting for approval to `failed` with `ending` (compare-and-swap), audits it and
 * announces it everywhere. Undefined when the record changed meanwhile (nothing written).
 */
export async function closeApproval(
  deps: RequestApprovalDeps,
  current: Versioned<ElevationRecord>,
  ending: ApprovalEnding,
): Promise<ElevationRecord | undefined> {
  const saved = await deps.store.updateElevation(closedRecord(deps, current.value, ending), current.version);
  if (!saved) return undefined;
  await announceClosed(deps, saved.value, ending);
  return saved.value;
}

function closedRecord(deps: RequestApprovalDeps, record: ElevationRecord, ending: ApprovalEnding): ElevationRecord {
  return transition(record, 'failed', deps.clock.now(), { approval: ending.approval, failure: ending.failure }, ending.note);
}

async function announceClosed(deps: RequestApprovalDeps, record: ElevationRecord, ending: ApprovalEnding): Promise<void> {
  await audit(deps, 'failed', { record, details: { approvalStatus: ending.approval.status, approvals: approvalCount(ending.approval) } });
  await announce(deps, record);
}

/** The ending of an approved request whose activation window closed unused. */
export function lapsedEnding(approval: ApprovalState, windowMinutes: number): ApprovalEnding {
  return { approval: lapse(approval), note: 'approval lapsed', failure: lapsedFailure(windowMinutes) };
}

/** `notBefore`: a scheduled request's start (issue #16), before which an approval never lapses. */
function endingOf(approval: ApprovalState, now: Date, windowMinutes: number, notBefore?: string): Ending {
  if (approval.status === 'approved') {
    const deadline = activationDeadline(approval, windowMinutes, notBefore);
    if (deadline && now < deadline) return { retryAt: deadline };
    return lapsedEnding(approval, windowMinutes);
  }
  const expired = expire(approval, now);
  if (expired === approval) return { retryAt: new Date(approval.expiresAt) };
  return {
    approval: expired,
    note: 'approval expired',
    failure: elevationFailure(
      APPROVAL_EXPIRED,
      [said('approvalExpired', { approvals: approvalCount(approval), required: approval.required })],
      [said('approvalExpiredHint')],
    ),
  };
}

/**
 * Shows an approval step everywhere: every approval card, the security channel, the requester's
 * card, and, once the approvers decided, a new 1:1 message to the requester (Activate, or why not).
 * Each side never throws; a lost update is repaired by the next one or by the card's refresh.
 */
export async function announce(deps: RequestApprovalDeps, record: ElevationRecord): Promise<void> {
  const approval = record.approval;
  await deps.approvals.refresh(record);
  if (record.state === 'awaitingApproval') await deps.notifier.approvalChanged(record);
  else await deps.notifier.elevationChanged(record);
  await showLatest(deps, record);
  if (approval && approval.status !== 'pending' && record.state !== 'cancelled') {
    await deps.presenter.tell(record).catch((error: unknown) => deps.logger.warn({ err: error, elevationId: record.id }, 'could not message the requester'));
  }
}

/**
 * Updates the requester's card from the newest stored record, again if it changed meanwhile:
 * approvers' announcements racing each other never leave the card at an older step.
 */
async function showLatest(deps: RequestApprovalDeps, record: ElevationRecord): Promise<void> {
  let shown: string | undefined;
  for (let round = 0; round < 3; round++) {
    const latest = await deps.store.getElevation(record.id);
    if (latest?.version === shown) return;
    shown = latest?.version;
    await deps.presenter
      .show(latest?.value ?? record)
      .catch((error: unknown) => deps.logger.warn({ err: error, elevationId: record.id }, 'could not update the requester card'));
    if (!latest) return;
  }
}

function withApproval(record: ElevationRecord, approval: ApprovalState, now: Date): ElevationRecord {
  if (approval.status !== 'denied') return { ...record, approval, updatedAt: now.toISOString() };
  const deny = approval.votes[approval.votes.length - 1];
  const reason = deny?.reason ?? '';
  const failure = elevationFailure(
    APPROVAL_DENIED,
    [deny?.approverName ? said('approvalDenied', { name: deny.approverName, reason }) : said('approvalDeniedByAnApprover', { reason })],
    [said('approvalDeniedHint')],
  );
  return transition(record, 'failed', now, { approval, failure }, 'approval denied');
}

async function recorded(deps: RequestApprovalDeps, input: DecisionInput, record: ElevationRecord): Promise<DecideOutcome> {
  const approval = record.approval!;
  const vote = approval.votes[approval.votes.length - 1];
  const deadline = activationDeadline(approval, deps.settings.approvalActivationWindowMinutes, record.schedule?.startAt);
  // Approved: the same durable timer now guards the activation window; denied: nothing to wait for.
  if (deadline)
    await deps.timers.schedule({ id: approvalTimerId(record.id), kind: APPROVAL_TIMEOUT_KIND, subject: record.id, dueAt: deadline.toISOString(), payload: {} });
  else if (approval.status !== 'pending') await deps.timers.cancel(record.id, [APPROVAL_TIMEOUT_KIND]);
  await audit(deps, 'decided', {
    record,
    actor: party(input),
    details: {
      decision: vote?.decision,
      reason: vote?.reason,
      approvals: approvalCount(approval),
      approvalsRequired: approval.required,
      approvalStatus: approval.status,
      ...proofDetails(vote?.proof),
    },
  });
  await announce(deps, record);
  return { kind: 'recorded', record };
}

async function refuse(deps: RequestApprovalDeps, input: DecisionInput, reason: DecisionRefusal, record?: ElevationRecord): Promise<DecideOutcome> {
  await audit(deps, 'refusedTap', {
    ...(record ? { record } : {}),
    actor: party(input),
    // Card data is untrusted: keep only a bounded excerpt of what was sent.
    details: { refusal: reason, decision: input.decision.slice(0, 40), requestedElevationId: input.elevationId.slice(0, 80) },
  });
  return { kind: 'refused', reason, ...(record ? { record } : {}) };
}

/** Whether Entra lists `approverId` as an approver of this approval (users by id, groups by transitive membership), never the requester. */
export async function isListedApprover(deps: RequestApprovalDeps, approval: ApprovalState, requesterId: string, approverId: string): Promise<boolean> {
  const { approverGroupIds, approverUserIds } = approval;
  const policy = { required: true, approverGroupIds, approverUserIds, approvalsRequired: approval.required, pendingTimeoutMinutes: 0 };
  if (mayApprove(policy, requesterId, { userId: approverId, groupIds: [] })) return true;
  if (approverGroupIds.length === 0 || sameId(approverId, requesterId)) return false;
  const groupIds = await deps.pim.checkMemberGroups(deps.tokens.forApp(deps.settings.graphResource), approverId, [...approverGroupIds]);
  return mayApprove(policy, requesterId, { userId: approverId, groupIds });
}

function parseDecision(text: string): ApprovalDecision | undefined {
  return text === 'approve' || text === 'deny' ? text : undefined;
}

function optional(input: DecisionInput): { approverName?: string; reason?: string } {
  return { ...(input.approverName !== undefined ? { approverName: input.approverName } : {}), ...(input.reason !== undefined ? { reason: input.reason } : {}) };
}

function party(input: DecisionInput): { aadObjectId: string; name?: string } {
  return { aadObjectId: input.approverId, ...(input.approverName !== undefined ? { name: input.approverName } : {}) };
}
