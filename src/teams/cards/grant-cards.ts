import { sameId } from '../../domain/approval.js';
import { formatDuration, parseIsoDuration } from '../../domain/duration.js';
import { describeScope } from '../../domain/rbac.js';
import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import { renderApprovalCard } from './approval-card.js';
import { renderMessageCard, type MessageTone } from './message-card.js';
import type { AdaptiveCard } from './render.js';
import { VERBS } from './verbs.js';
import { ENGLISH } from '../locale/texts.js';

/**
 * Cards of Power Platform RBAC grants (issue #14), built on the shared message and approval card
 * templates: nothing in `adaptive-cards/` changes. Grant ids start with `g-`, which is how the
 * shared verbs (`elevate.approve`, `elevate.deny`, `elevate.deactivate`) reach the grant handlers.
 */
export const GRANT_ID_PREFIX = 'g-';

export function isGrantId(id: string | undefined): boolean {
  return id?.startsWith(GRANT_ID_PREFIX) === true;
}

/** "Power Platform contributor on environment group Finance for Contoso Deploy Pipeline (app)". */
export function grantSubject(grant: RbacGrantRecord): string {
  const who = grant.principal.type === 'ApplicationUser' ? ` for ${grant.principal.name} (app)` : '';
  return `${grant.role.name} on ${describeScope(grant.scope)}${who}`;
}

function until(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'unknown';
}

function stateText(grant: RbacGrantRecord): { title: string; text: string; tone: MessageTone } {
  const subject = grantSubject(grant);
  switch (grant.state) {
    case 'awaitingApproval':
      return {
        title: `Waiting for approval: ${subject}`,
        text: `${grant.approval?.required ?? 1} approval(s) needed from the approvers the Elevate policy names (rule ${grant.policySource}). You cannot approve your own request.`,
        tone: 'default',
      };
    case 'assigning':
      return { title: `Assigning: ${subject}`, text: "Elevate's RBAC identity is creating the role assignment.", tone: 'default' };
    case 'active':
      return grant.preExisting
        ? {
            title: `Already assigned: ${subject}`,
            text: `This role was already assigned before your request. Elevate recorded it and will leave it in place at ${until(grant.activeUntil)}.`,
            tone: 'warning',
          }
        : {
            title: `✅ Granted: ${subject}`,
            text: `Until ${until(grant.activeUntil)}. Elevate removes the assignment then; say \`deactivate\` to end it earlier.`,
            tone: 'good',
          };
    case 'ended':
      return {
        title: `Ended: ${subject}`,
        text: `${grant.ending?.reason === 'deactivated' ? 'Deactivated' : 'Expired'} at ${until(grant.ending?.at)}. ${grant.ending?.note ?? ''}`.trim(),
        tone: 'default',
      };
    case 'failed':
      return { title: `❌ Not granted: ${subject}`, text: [grant.failure?.message, grant.failure?.hint].filter(Boolean).join(' '), tone: 'attention' };
    case 'cancelled':
      return { title: `Cancelled: ${subject}`, text: 'You withdrew this request.', tone: 'default' };
  }
}

function facts(grant: RbacGrantRecord): string[] {
  const minutes = parseIsoDuration(grant.duration);
  return [
    `Requested by ${grant.requester.name}`,
    `Duration: ${minutes === undefined ? grant.duration : formatDuration(minutes)}`,
    `Justification: ${grant.justification}`,
    ...(grant.ticketNumber ? [`Ticket: ${grant.ticketNumber}`] : []),
    ...(grant.assignmentId ? [`Assignment: ${grant.assignmentId}`] : []),
    ...(grant.failure?.correlationId ? [`Correlation id: ${grant.failure.correlationId}`] : []),
  ];
}

/** The requester's view of a grant (1:1 messages, `status`); **End now** while it is active and Elevate's own. */
export function grantCard(grant: RbacGrantRecord): AdaptiveCard {
  const { title, text, tone } = stateText(grant);
  const endable = grant.state === 'active' && !grant.preExisting;
  const cancellable = grant.state === 'awaitingApproval';
  return renderMessageCard({
    title,
    text,
    items: facts(grant),
    tone,
    buttons: endable
      ? [{ title: 'End now', verb: VERBS.deactivate, data: { requestId: grant.id } }]
      : cancellable
        ? [{ title: ENGLISH.c.common.cancelRequest, verb: VERBS.cancel, data: { requestId: grant.id } }]
        : [],
  });
}

/** The security channel's post for the grant's current step. */
export function grantChannelCard(grant: RbacGrantRecord): AdaptiveCard {
  const { title, text, tone } = stateText(grant);
  const votes = (grant.approval?.votes ?? []).map(
    (v) => `${v.approverName ?? v.approverId} ${v.decision === 'approve' ? 'approved' : `denied: ${v.reason ?? ''}`}`,
  );
  return renderMessageCard({
    title: `RBAC ${title.replace(/^[✅❌] /u, '')}`,
    text: `${grant.requester.name}: ${text}`,
    items: [...facts(grant), ...votes],
    tone,
  });
}

/** A reminder before a grant ends. */
export function grantReminderCard(grant: RbacGrantRecord, minutesLeft: number): AdaptiveCard {
  return renderMessageCard({
    title: `${grantSubject(grant)} ends in ${minutesLeft} minutes`,
    text: `At ${until(grant.activeUntil)} Elevate removes the assignment.`,
    buttons: grant.preExisting ? [] : [{ title: 'End now', verb: VERBS.deactivate, data: { requestId: grant.id } }],
  });
}

/** The approval card of a grant, on the shared approval template (Approve / Deny… with a reason). */
export function grantApprovalCard(grant: RbacGrantRecord, viewer?: { aadObjectId: string; note?: string }): AdaptiveCard {
  const approval = grant.approval;
  const mayDecide =
    approval?.status === 'pending' &&
    grant.state === 'awaitingApproval' &&
    (!viewer || (!sameId(viewer.aadObjectId, grant.requester.aadObjectId) && !approval.votes.some((v) => sameId(v.approverId, viewer.aadObjectId))));
  return renderApprovalCard({
    kind: 'elevate',
    requestId: grant.id,
    requester: grant.requester,
    roleName: `${grant.role.name} (Power Platform RBAC)`,
    environment: { displayName: `${describeScope(grant.scope)}${grant.principal.type === 'ApplicationUser' ? `, for the app ${grant.principal.name}` : ''}` },
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
    status: grant.state === 'cancelled' ? 'cancelled' : (approval?.status ?? 'closed'),
    ...(approval?.expiresAt ? { expiresAt: approval.expiresAt } : {}),
    canDecide: mayDecide,
    ...(viewer?.note ? { viewerNote: viewer.note } : {}),
  });
}

/** `status`: the requester's grants, one line each. */
export function grantStatusCard(grants: readonly RbacGrantRecord[]): AdaptiveCard {
  return renderMessageCard({
    title: 'Your Power Platform RBAC grants',
    items: grants.map((g) => `${stateText(g).title}${g.state === 'active' ? ` (until ${until(g.activeUntil)})` : ''}`),
    buttons: grants
      .filter((g) => g.state === 'active' && !g.preExisting)
      .slice(0, 5)
      .map((g) => ({ title: `End ${g.role.name} on ${g.scope.displayName}`, verb: VERBS.deactivate, data: { requestId: g.id } })),
  });
}
