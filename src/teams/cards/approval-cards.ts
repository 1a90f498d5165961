import { sameId, type ApprovalStatus } from '../../domain/approval.js';
import { flags } from '../../domain/elevate-policy.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { renderApprovalCard, type ApprovalCardData } from './approval-card.js';
import type { AdaptiveCard } from './render.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { APPROVAL_LAPSED, PIM_APPROVAL_PENDING } from '../../domain/failures.js';

/** Who is looking at an approval card (from the Teams activity), and whether Entra lists them as an approver. */
export interface ApprovalViewer {
  aadObjectId: string;
  isApprover: boolean;
}

/** Teams refreshes a card automatically for at most 60 users (Universal Actions `refresh.userIds`). */
const MAX_REFRESH_USERS = 60;

/** Failure codes while a PIM request waits for, or was decided by, PIM approvers (defined in the domain). */
export { PIM_APPROVAL_APPROVED as PIM_APPROVED, PIM_APPROVAL_DENIED as PIM_DENIED, PIM_APPROVAL_PENDING as PIM_PENDING } from '../../domain/failures.js';

/** True while the record is (or was) a PIM request that needed PIM approvers' decision. */
export function isPimApproval(record: ElevationRecord): boolean {
  // An Elevate approval that was granted can still meet PIM's own approval when the requester activates.
  return record.pimApprovalId !== undefined && (!record.approval || record.approval.status === 'approved');
}

export type ApprovalCardKind = ApprovalCardData['kind'];

function pimStatus(record: ElevationRecord): ApprovalCardData['status'] {
  if (record.pimDecision) return record.pimDecision.decision === 'approve' ? 'approved' : 'denied';
  if (record.state === 'failed' && record.failure?.code === PIM_APPROVAL_PENDING) return 'pending';
  // Approved elsewhere (the PIM portal) once the role went on to activate; otherwise PIM stopped waiting.
  return record.state === 'failed' || record.state === 'cancelled' ? 'closed' : 'approved';
}

function status(record: ElevationRecord, kind: ApprovalCardKind): ApprovalCardData['status'] {
  if (kind === 'pim') return pimStatus(record);
  if (record.state === 'cancelled') return 'cancelled';
  if (record.state === 'failed' && record.failure?.code === APPROVAL_LAPSED) return 'lapsed';
  const approvalStatus: ApprovalStatus = record.approval?.status ?? 'pending';
  return approvalStatus;
}

/**
 * The approval card for an elevation. Without a viewer: the card as posted (to the approvals
 * channel, 1:1 to approvers), buttons while pending; every tap is re-checked on the server. With a
 * viewer: what that person should see (refresh), buttons only for an approver who may still vote.
 */
export function approvalCardFor(
  record: ElevationRecord,
  viewer?: ApprovalViewer,
  noteOverride?: string,
  kind: ApprovalCardKind = isPimApproval(record) ? 'pim' : 'elevate',
  texts: Texts = ENGLISH,
): AdaptiveCard {
  const c = texts.c.approval;
  const pim = kind === 'pim';
  const approval = pim ? undefined : record.approval;
  const current = status(record, kind);
  const votes = (approval?.votes ?? []).map((v) => ({
    name: v.approverName ?? v.approverId,
    decision: v.decision,
    ...(v.reason ? { reason: v.reason } : {}),
    at: v.at,
    ...(v.proof ? { strongSignIn: { at: v.proof.signedInAt, authenticationContext: v.proof.authenticationContext } } : {}),
  }));
  const pimReview = pim ? pimReviewVotes(record) : [];
  const own = viewer ? approval?.votes.find((v) => sameId(v.approverId, viewer.aadObjectId)) : undefined;
  const isRequester = viewer !== undefined && sameId(viewer.aadObjectId, record.requester.aadObjectId);
  const canDecide = current === 'pending' && (!viewer || (!isRequester && !own && viewer.isApprover));
  const note = !viewer
    ? undefined
    : isRequester
      ? c.ownRequest
      : own
        ? own.decision === 'approve'
          ? own.proof
            ? texts.fill(c.youApprovedStrong, { context: own.proof.authenticationContext })
            : c.youApproved
          : c.youDenied
        : !viewer.isApprover && current === 'pending'
          ? c.notApprover
          : undefined;
  const refreshUserIds = [
    record.requester.aadObjectId,
    ...(approval?.approverUserIds ?? []),
    ...(approval?.votes ?? []).map((v) => v.approverId),
    ...(approval?.groupMemberIds ?? []),
  ];
  return renderApprovalCard(
    {
      kind: pim ? 'pim' : 'elevate',
      requestId: record.id,
      requester: { name: record.requester.name, aadObjectId: record.requester.aadObjectId },
      roleName: record.roleName ?? record.roleId ?? texts.c.common.administratorRole,
      environment: { displayName: record.environment.displayName, ...(record.environment.type ? { type: record.environment.type } : {}) },
      duration: record.duration ?? 'PT1H',
      ...(record.justification ? { justification: record.justification } : {}),
      ...(record.ticketNumber ? { ticketNumber: record.ticketNumber } : {}),
      flags: flags(record.environment, record.roleId ?? ''),
      required: pim ? 1 : (approval?.required ?? 1),
      votes: pim ? pimReview : votes,
      status: current,
      ...(approval?.expiresAt && current === 'pending' ? { expiresAt: approval.expiresAt } : {}),
      canDecide,
      ...((noteOverride ?? note) ? { viewerNote: (noteOverride ?? note)! } : {}),
      ...(current === 'pending' ? { refreshUserIds: refreshUserIds.slice(0, MAX_REFRESH_USERS * 2) } : {}),
    },
    texts,
  );
}

/** A PIM decision made through Elevate (or read back from Entra) is kept as `pimDecision`: shown as one vote. */
function pimReviewVotes(record: ElevationRecord): ApprovalCardData['votes'] {
  const decider = record.pimDecision;
  if (!decider) return [];
  return [{ name: decider.name, decision: decider.decision, ...(decider.reason ? { reason: decider.reason } : {}), at: decider.at }];
}
