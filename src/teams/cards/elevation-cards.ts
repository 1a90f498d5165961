import type { ElevationProgress } from '../../ports/elevation-presenter.js';
import { activationDeadline, approvalCount, type ApprovalVote } from '../../domain/approval.js';
import { flags } from '../../domain/elevate-policy.js';
import { FINAL_FAILURES, PIM_APPROVAL_APPROVED } from '../../domain/failures.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { formatDuration, parseIsoDuration } from '../../domain/duration.js';
import { renderChannelResultCard, type ChannelOutcome } from './channel-result-card.js';
import { renderFailureCard, type CorrelationId } from './failure-card.js';
import { renderHelpCard } from './help-card.js';
import { renderMessageCard, type MessageCardData, type MessageItem } from './message-card.js';
import { renderProgressCard, type ProgressStep } from './progress-card.js';
import type { AdaptiveCard } from './render.js';
import { renderRequestCard } from './request-card.js';
import { renderResultCard } from './result-card.js';
import { VERBS } from './verbs.js';
import type { Viewer } from './viewer.js';

export type { AdaptiveCard };

export interface ElevationCardOptions {
  /** How long an approved request waits for Activate (ELEVATE_APPROVAL_ACTIVATION_WINDOW_MINUTES): always the configured one. */
  activationWindowMinutes: number;
  /** Transient detail of a running step. */
  progress?: ElevationProgress;
  /** Why the last submission was refused (request card). */
  error?: string;
  /** The interactive sign-in a failure needs. */
  signInUrl?: string;
  /** The requester's locale and zone (plain-text times); en-US / UTC when unknown. */
  viewer?: Viewer;
}

/** The card the requester sees for an elevation in its current state (one card, updated in place). */
export function elevationCard(record: ElevationRecord, options: ElevationCardOptions): AdaptiveCard {
  const { progress, error, signInUrl, activationWindowMinutes, viewer } = options;
  const card = stateCard(record, { progress, error, signInUrl, viewer }, activationWindowMinutes);
  return LIVE_STATES.has(record.state) ? withRefresh(card, record) : card;
}

/** States that change without the requester doing anything: their card asks Teams to refresh it when shown. */
const LIVE_STATES: ReadonlySet<ElevationRecord['state']> = new Set(['awaitingApproval', 'activating', 'elevating']);

/**
 * Universal Actions `refresh` for the requester only: when Teams shows the card again, it asks
 * Elevate for the current one, so an invoke answer that arrived after a faster update (a failure,
 * an approval) never stays on screen.
 */
function withRefresh(card: AdaptiveCard, record: ElevationRecord): AdaptiveCard {
  return {
    ...card,
    refresh: { action: { type: 'Action.Execute', verb: VERBS.refreshCard, data: { requestId: record.id } }, userIds: [record.requester.aadObjectId] },
  };
}

interface StateCardExtras {
  progress: ElevationProgress | undefined;
  error: string | undefined;
  signInUrl: string | undefined;
  viewer: Viewer | undefined;
}

function stateCard(record: ElevationRecord, { progress, error, signInUrl, viewer }: StateCardExtras, activationWindowMinutes: number): AdaptiveCard {
  switch (record.state) {
    case 'draft':
      return requestCard(record, error, viewer);
    case 'activating':
    case 'elevating':
      return renderProgressCard({
        environment: record.environment,
        roleName: record.roleName ?? 'administrator role',
        duration: record.duration ?? 'PT1H',
        steps: progressSteps(record, progress),
      });
    case 'active':
      if (!record.activeUntil)
        return renderMessageCard({
          title: `Elevated in ${record.environment.displayName}`,
          text: 'You are System Administrator; your PIM role has no end date.',
          tone: 'good',
        });
      return renderResultCard({
        environment: record.environment,
        roleName: record.roleName ?? '',
        activeUntil: record.activeUntil,
        heldSystemAdminBefore: record.heldSystemAdminBefore === true,
        ...(record.pimRequestId ? { pimRequestId: record.pimRequestId } : {}),
        requestId: record.id,
      });
    case 'failed':
      if (record.failure?.code === PIM_APPROVAL_APPROVED) {
        // Not a failure any more: PIM approved; one tap finishes (retry finds the role active).
        return renderMessageCard({
          title: `✅ PIM approved: finish your elevation in ${record.environment.displayName}`,
          text: `${record.pimDecision?.name ?? 'A PIM approver'} approved your PIM activation of ${record.roleName ?? 'the role'}. Select Finish to make you System Administrator.`,
          items: flagWords(record),
          buttons: [{ title: 'Finish', verb: VERBS.retry, data: { requestId: record.id } }],
          tone: 'good',
        });
      }
      return renderFailureCard({
        title: `Elevation in ${record.environment.displayName} failed`,
        message: record.failure?.message ?? 'The elevation did not complete.',
        ...(record.failure?.hint ? { hint: record.failure.hint } : {}),
        correlationIds: correlationIds(record),
        // A denied, expired or lapsed approval cannot be retried (a new request is needed).
        retryable: !FINAL_FAILURES.has(record.failure?.code ?? ''),
        requestId: record.id,
        ...(signInUrl ? { signInUrl } : {}),
      });
    case 'cancelled':
      return renderMessageCard({ title: 'Request cancelled', text: `Nothing was changed in ${record.environment.displayName}.` });
    case 'awaitingApproval':
      return awaitingApprovalCard(record, activationWindowMinutes);
    case 'ended':
      return renderMessageCard({
        title: `Elevation in ${record.environment.displayName} ended`,
        text: record.ending?.note ?? 'Your PIM role is no longer active.',
        tone: 'default',
      });
  }
}

function flagWords(record: ElevationRecord): string[] {
  const f = flags(record.environment, record.roleId ?? '');
  return [...(f.production ? ['⚠ Production environment'] : []), ...(f.globalAdministrator ? ['⚠ Global Administrator'] : [])];
}

/** A vote as a bullet; its time is shown under it with Teams' DATE()/TIME() (the viewer's own zone). */
function voteLine(vote: ApprovalVote): MessageItem {
  const who = vote.approverName ?? 'An approver';
  return { text: vote.decision === 'approve' ? `✔ ${who} approved` : `✖ ${who} denied: ${vote.reason ?? ''}`, at: vote.at };
}

/** The requester's card while approvers decide, and once they approved: **Activate** (on the requester's own token). */
function awaitingApprovalCard(record: ElevationRecord, windowMinutes: number): AdaptiveCard {
  const approval = record.approval;
  const role = record.roleName ?? 'the role';
  const asked = `${role} in ${record.environment.displayName} for ${formatDuration(parseIsoDuration(record.duration ?? 'PT1H') ?? 60)}`;
  const items = [...flagWords(record), ...(approval?.votes ?? []).map(voteLine)];
  if (approval?.status === 'approved') {
    const approvers = approval.votes.filter((v) => v.decision === 'approve').map((v) => v.approverName ?? 'an approver');
    const deadline = activationDeadline(approval, windowMinutes);
    return renderMessageCard({
      title: `✅ Approved by ${approvers.join(', ')}: activate ${role}`,
      text: `Your request for ${asked} is approved. Activate it${deadline ? ' in time' : ''}: PIM activation and System Administrator then run on your own sign-in.`,
      ...(deadline ? { when: { label: 'Activate by', at: deadline.toISOString() } } : {}),
      items,
      buttons: [
        { title: 'Activate', verb: VERBS.activate, data: { requestId: record.id } },
        { title: 'Cancel request', verb: VERBS.cancel, data: { requestId: record.id } },
      ],
      tone: 'good',
    });
  }
  const count = approval ? approvalCount(approval) : 0;
  const required = approval?.required ?? 1;
  return renderMessageCard({
    title: `⏳ Waiting for approval: ${asked}`,
    text: `${count} of ${required} approvals so far; ${required - count} more needed. The approvers have the request. Nothing changes in your tenant until it is approved and you activate it.`,
    ...(approval?.expiresAt ? { when: { label: 'Expires without a decision at', at: approval.expiresAt } } : {}),
    items,
    buttons: [{ title: 'Cancel request', verb: VERBS.cancel, data: { requestId: record.id } }],
  });
}

function requestCard(record: ElevationRecord, error?: string, viewer?: Viewer): AdaptiveCard {
  const selected = record.options.find((o) => o.roleId === record.roleId);
  const relevant = selected ? [selected] : record.options;
  return renderRequestCard({
    requestId: record.id,
    environment: record.environment,
    requesterName: record.requester.name,
    roles: record.options,
    defaultDuration: 'PT1H',
    ...(record.roleId ? { roleId: record.roleId } : {}),
    ...(record.duration ? { duration: record.duration } : {}),
    ...(record.justification ? { justification: record.justification } : {}),
    ...(record.ticketNumber ? { ticketNumber: record.ticketNumber } : {}),
    justificationRequired: relevant.some((o) => o.justificationRequired),
    ticketRequired: relevant.some((o) => o.ticketRequired),
    ...(error ? { error } : {}),
    ...(record.applicationUserMissing ? { warning: cannotUndoWarning(record) } : {}),
    ...(viewer ? { viewer } : {}),
  });
}

/** Said on the request card and to the security channel when Elevate cannot remove the role at expiry. */
export function cannotUndoWarning(record: ElevationRecord): string {
  return (
    `⚠ Elevate has no application user in ${record.environment.displayName}, so it cannot remove System Administrator when this elevation ends. ` +
    'Remove it yourself when you are done (Power Platform admin center), or ask an administrator to add Elevate there.'
  );
}

function progressSteps(record: ElevationRecord, progress?: ElevationProgress): ProgressStep[] {
  const activating = record.state === 'activating';
  const detail = progress?.detail;
  return [
    {
      label: `Activate ${record.roleName ?? 'the role'} in Privileged Identity Management`,
      state: activating ? 'running' : 'done',
      ...(activating && detail ? { detail } : {}),
    },
    {
      label: `Make you System Administrator in ${record.environment.displayName}`,
      state: activating ? 'pending' : 'running',
      ...(!activating && detail ? { detail } : {}),
      ...(!activating && record.propagation
        ? {
            times: [
              { label: 'Next try', at: record.propagation.nextTryAt },
              { label: 'Keeps trying until', at: record.propagation.deadline },
            ],
          }
        : {}),
    },
  ];
}

function correlationIds(record: ElevationRecord): CorrelationId[] {
  const ids: CorrelationId[] = [{ label: 'Elevate request id', value: record.id }];
  if (record.pimRequestId) ids.push({ label: 'PIM request id', value: record.pimRequestId });
  if (record.failure?.correlationId) ids.push({ label: 'Service correlation id', value: record.failure.correlationId });
  if (record.ppCorrelationId) ids.push({ label: 'Power Platform correlation id', value: record.ppCorrelationId });
  return ids;
}

const CHANNEL_OUTCOMES: Record<ElevationRecord['state'], ChannelOutcome> = {
  draft: 'requested',
  awaitingApproval: 'requested',
  activating: 'requested',
  elevating: 'requested',
  active: 'elevated',
  failed: 'failed',
  cancelled: 'cancelled',
  ended: 'expired',
};

/** The security channel's card for an elevation event. */
export function channelCard(record: ElevationRecord): AdaptiveCard {
  return renderChannelResultCard({
    outcome: record.state === 'ended' && record.ending?.reason === 'deactivated' ? 'deactivated' : CHANNEL_OUTCOMES[record.state],
    requester: { name: record.requester.name, aadObjectId: record.requester.aadObjectId },
    ...(record.roleName ? { roleName: record.roleName } : {}),
    environment: record.environment,
    ...(record.activeUntil ? { activeUntil: record.activeUntil } : {}),
    ...(record.justification ? { justification: record.justification } : {}),
    ...(record.ticketNumber ? { ticketNumber: record.ticketNumber } : {}),
    ...(record.pimRequestId ? { pimRequestId: record.pimRequestId } : {}),
    ...(record.ppCorrelationId ? { ppCorrelationId: record.ppCorrelationId } : {}),
    requestId: record.id,
    at: record.updatedAt,
    ...channelDetail(record),
  });
}

/** What the security channel reads under the facts: the failure, the ending, or that Elevate cannot undo this one. */
function channelDetail(record: ElevationRecord): { detail?: string } {
  if (record.failure) return { detail: `${record.failure.message}${record.failure.hint ? ` ${record.failure.hint}` : ''}` };
  if (record.ending) return { detail: record.ending.note };
  if (record.applicationUserMissing && record.state === 'active')
    return {
      detail: `⚠ Elevate has no application user in ${record.environment.displayName}: it cannot remove System Administrator from ${record.requester.name} at expiry. Check it then.`,
    };
  return {};
}

/** After Elevate lost the requester's token: one tap (signing in if needed) resumes the wait, never a second PIM request. */
export function continueCard(record: ElevationRecord): AdaptiveCard {
  return renderMessageCard({
    title: `Continue your elevation in ${record.environment.displayName}`,
    text:
      'Your PIM role is active and Elevate is waiting for Power Platform to recognise it, but it needs your sign-in again to go on. ' +
      'If Teams did not sign you in by itself, select Continue. The role is not activated again.',
    buttons: [{ title: 'Continue', verb: VERBS.continue, data: { requestId: record.id } }],
  });
}

export function helpCard(): AdaptiveCard {
  return renderHelpCard();
}

export function messageCard(data: MessageCardData): AdaptiveCard {
  return renderMessageCard(data);
}

/** Reminder before expiry, with **Deactivate now**. */
export function reminderCard(record: ElevationRecord, minutesLeft: number): AdaptiveCard {
  return renderMessageCard({
    title: `⏰ Your elevation in ${record.environment.displayName} ends in ${formatDuration(minutesLeft)}`,
    text: `${record.roleName ?? 'Your PIM role'} and System Administrator end then; Elevate cleans up automatically. Done already? Deactivate now.`,
    buttons: [{ title: 'Deactivate now', verb: VERBS.deactivate, data: { requestId: record.id } }],
    tone: 'warning',
  });
}

/** Told to the requester when an elevation ended. */
export function endedCard(record: ElevationRecord): AdaptiveCard {
  return renderMessageCard({
    title: `Elevation in ${record.environment.displayName} ${record.ending?.reason === 'deactivated' ? 'deactivated' : 'expired'}`,
    text: record.ending?.note ?? 'Your PIM role is no longer active.',
  });
}

/** PIM refuses deactivation in the first five minutes: say when, and offer to do it then. */
export function tooSoonCard(record: ElevationRecord, possibleAt: Date): AdaptiveCard {
  return renderMessageCard({
    title: 'Too early to deactivate',
    text: 'PIM allows deactivation 5 minutes after activation. Elevate can do it for you then.',
    when: { label: 'Possible from', at: possibleAt.toISOString() },
    buttons: [{ title: 'Deactivate when possible', verb: VERBS.deactivateLater, data: { requestId: record.id } }],
    tone: 'warning',
  });
}

const STEP_UP_REASONS: Record<string, string> = {
  consent: 'Elevate needs your consent to act for you in Microsoft Graph and Power Platform.',
  mfa: 'Your organisation requires multi-factor authentication for this.',
  authenticationContext: 'This role requires a stronger sign-in (Conditional Access authentication context).',
  interaction: 'Microsoft Entra ID needs you to sign in again.',
};

/** A command could not run without an interactive sign-in (consent, MFA). */
export function signInNeededCard(reason: string, signInUrl: string): AdaptiveCard {
  return renderFailureCard({
    title: 'Sign-in needed',
    message: STEP_UP_REASONS[reason] ?? STEP_UP_REASONS['interaction']!,
    hint: 'Select Sign in, complete the sign-in in the browser, then come back: Elevate continues your request.',
    requestId: '',
    signInUrl,
  });
}
