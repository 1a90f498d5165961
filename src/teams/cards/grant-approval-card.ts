import { sameId } from '../../domain/approval.js';
import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import { MAX_REFRESH_USERS, renderApprovalCard, type ApprovalCardData } from './approval-card.js';
import type { AdaptiveCard } from './render.js';
import { scopeText } from './grant-cards.js';
import { ENGLISH, type Texts } from '../locale/texts.js';

/**
 * Who looks at a grant's approval card (from the Teams activity, never from the card) and whether
 * Entra lists them as an approver (checked on the server by the caller).
 */
export interface GrantApprovalViewer {
  aadObjectId: string;
  isApprover: boolean;
  /** One line for this viewer that overrides the usual one (a refused or lost tap). */
  note?: string;
}

function status(grant: RbacGrantRecord): ApprovalCardData['status'] {
  if (grant.state === 'cancelled') return 'cancelled';
  const approval = grant.approval;
  if (!approval) return 'closed';
  // Pending only while the grant itself still waits (a grant that failed meanwhile is no longer decidable).
  return approval.status === 'pending' && grant.state !== 'awaitingApproval' ? 'closed' : approval.status;
}

function viewerNote(grant: RbacGrantRecord, viewer: GrantApprovalViewer | undefined, pending: boolean, texts: Texts): string | undefined {
  if (!viewer) return undefined;
  if (viewer.note) return viewer.note;
  const c = texts.c.approval;
  if (sameId(viewer.aadObjectId, grant.requester.aadObjectId)) return c.ownRequest;
  const own = grant.approval?.votes.find((v) => sameId(v.approverId, viewer.aadObjectId));
  if (own) return own.decision === 'approve' ? c.youApproved : c.youDenied;
  return pending && !viewer.isApprover ? c.notApprover : undefined;
}

/**
 * The approval card of a grant, on the shared approval template (Approve / Deny… with a reason).
 * Without a viewer: the card as posted and as updated in place after every step (buttons while
 * pending; every tap is re-checked on the server). With a viewer: what that person sees when Teams
 * refreshes the card for them (`refresh.userIds`: the requester, the listed approvers, the group
 * members read when it was requested, and whoever voted), buttons only for an approver who may still vote.
 */
export function grantApprovalCard(grant: RbacGrantRecord, viewer?: GrantApprovalViewer, texts: Texts = ENGLISH): AdaptiveCard {
  const g = texts.c.grant;
  const approval = grant.approval;
  const current = status(grant);
  const pending = current === 'pending';
  const voted = viewer !== undefined && (approval?.votes ?? []).some((v) => sameId(v.approverId, viewer.aadObjectId));
  const isRequester = viewer !== undefined && sameId(viewer.aadObjectId, grant.requester.aadObjectId);
  const scope = scopeText(grant.scope, texts);
  const note = viewerNote(grant, viewer, pending, texts);
  const refreshUserIds = [
    grant.requester.aadObjectId,
    ...(approval?.approverUserIds ?? []),
    ...(approval?.votes ?? []).map((v) => v.approverId),
    ...(approval?.groupMemberIds ?? []),
  ];
  return renderApprovalCard(
    {
      kind: 'elevate',
      requestId: grant.id,
      requester: grant.requester,
      roleName: texts.fill(g.approvalRole, { role: grant.role.name }),
      environment: {
        displayName: grant.principal.type === 'ApplicationUser' ? texts.fill(g.approvalScopeForApp, { scope, app: grant.principal.name }) : scope,
      },
      duration: grant.duration,
      justification: grant.justification,
      ...(grant.ticketNumber ? { ticketNumber: grant.ticketNumber } : {}),
      flags: { production: false, globalAdministrator: false },
      required: approval?.required ?? 1,
      votes: (approval?.votes ?? []).map((v) => ({
        name: v.approverName ?? v.approverId,
        decision: v.decision,
        at: v.at,
        ...(v.reason ? { reason: v.reason } : {}),
      })),
      status: current,
      ...(approval?.expiresAt && pending ? { expiresAt: approval.expiresAt } : {}),
      canDecide: pending && (!viewer || (!isRequester && !voted && viewer.isApprover)),
      ...(note ? { viewerNote: note } : {}),
      ...(pending ? { refreshUserIds: refreshUserIds.slice(0, MAX_REFRESH_USERS * 2) } : {}),
    },
    texts,
  );
}
