import { changesText } from './changes-view.js';
import { endingNote, failureHint, failureMessage } from '../locale/record-words.js';
import type { ElevationProgress } from '../../ports/elevation-presenter.js';
import { activationDeadline, approvalCount, type ApprovalVote } from '../../domain/approval.js';
import { flags } from '../../domain/elevate-policy.js';
import { FINAL_FAILURES, PIM_APPROVAL_APPROVED } from '../../domain/failures.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { parseIsoDuration } from '../../domain/duration.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { renderFailureCard, type CorrelationId } from './failure-card.js';
import { renderMessageCard, type MessageItem } from './message-card.js';
import { renderProgressCard, type ProgressStep } from './progress-card.js';
import type { AdaptiveCard } from './render.js';
import { renderRequestCard } from './request-card.js';
import { renderResultCard } from './result-card.js';
import { VERBS } from './verbs.js';
import { scheduleButtons, scheduledCard } from './scheduled-card.js';

export interface ElevationCardOptions {
  /** How long an approved request waits for Activate (ELEVATE_APPROVAL_ACTIVATION_WINDOW_MINUTES): always the configured one. */
  activationWindowMinutes: number;
  /** Transient detail of a running step. */
  progress?: ElevationProgress;
  /** Why the last submission was refused (request card). */
  error?: string;
  /** The interactive sign-in a failure needs. */
  signInUrl?: string;
  /** The requester's language, locale and zone (from the turn, or stored with the chat); English and UTC when unknown. */
  texts?: Texts;
}

/** The card the requester sees for an elevation in its current state (one card, updated in place). */
export function elevationCard(record: ElevationRecord, options: ElevationCardOptions): AdaptiveCard {
  const card = stateCard(record, options, options.texts ?? ENGLISH);
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

function stateCard(record: ElevationRecord, options: ElevationCardOptions, texts: Texts): AdaptiveCard {
  const c = texts.c;
  const environment = record.environment.displayName;
  switch (record.state) {
    case 'draft':
      return requestCard(record, texts, options.error);
    case 'scheduled':
      return scheduledCard(record, texts, flagWords(record, texts));
    case 'activating':
    case 'elevating':
      return renderProgressCard(
        {
          environment: record.environment,
          roleName: record.roleName ?? c.common.administratorRole,
          duration: record.duration ?? 'PT1H',
          steps: progressSteps(record, texts, options.progress),
        },
        texts,
      );
    case 'active':
      if (!record.activeUntil) return renderMessageCard({ title: texts.fill(c.elevation.elevatedNoEnd, { environment }), text: c.result.noEnd, tone: 'good' });
      return renderResultCard(
        {
          environment: record.environment,
          roleName: record.roleName ?? '',
          activeUntil: record.activeUntil,
          heldSystemAdminBefore: record.heldSystemAdminBefore === true,
          ...(record.pimRequestId ? { pimRequestId: record.pimRequestId } : {}),
          requestId: record.id,
        },
        texts,
      );
    case 'failed':
      return failedCard(record, texts, options.signInUrl);
    case 'cancelled':
      return renderMessageCard({ title: c.elevation.cancelledTitle, text: texts.fill(c.elevation.cancelledText, { environment }) });
    case 'awaitingApproval':
      return awaitingApprovalCard(record, options.activationWindowMinutes, texts);
    case 'ended':
      return renderMessageCard({
        title: texts.fill(c.elevation.endedTitle, { environment }),
        text: [
          record.ending ? endingNote(record.ending, texts) : c.elevation.roleNoLongerActive,
          changesText(record.ending?.changes, environment, c.changes.youWho, texts),
        ]
          .filter((part): part is string => part !== undefined)
          .join('\n\n'),
      });
  }
}

function failedCard(record: ElevationRecord, texts: Texts, signInUrl: string | undefined): AdaptiveCard {
  const c = texts.c;
  const environment = record.environment.displayName;
  if (record.failure?.code === PIM_APPROVAL_APPROVED) {
    // Not a failure any more: PIM approved; one tap finishes (retry finds the role active).
    return renderMessageCard({
      title: texts.fill(c.elevation.pimApprovedTitle, { environment }),
      text: texts.fill(c.elevation.pimApprovedText, {
        approver: record.pimDecision?.name ?? c.elevation.aPimApprover,
        role: record.roleName ?? c.common.theRole,
      }),
      items: flagWords(record, texts),
      buttons: [{ title: c.elevation.finish, verb: VERBS.retry, data: { requestId: record.id } }],
      tone: 'good',
    });
  }
  const hint = record.failure ? failureHint(record.failure, texts) : undefined;
  return renderFailureCard(
    {
      title: texts.fill(c.failure.title, { environment }),
      message: record.failure ? failureMessage(record.failure, texts) : c.failure.didNotComplete,
      ...(hint ? { hint } : {}),
      correlationIds: correlationIds(record, texts),
      // A denied, expired or lapsed approval cannot be retried (a new request is needed).
      retryable: !FINAL_FAILURES.has(record.failure?.code ?? ''),
      requestId: record.id,
      ...(signInUrl ? { signInUrl } : {}),
    },
    texts,
  );
}

/** "⚠ Production environment", "⚠ Global Administrator" as bullets. */
export function flagWords(record: ElevationRecord, texts: Texts = ENGLISH): string[] {
  const f = flags(record.environment, record.roleId ?? '');
  return [...(f.production ? [texts.c.elevation.flagProduction] : []), ...(f.globalAdministrator ? [texts.c.elevation.flagGlobal] : [])];
}

/** A vote as a bullet; its time is shown under it with Teams' DATE()/TIME() (the viewer's own zone). */
function voteLine(vote: ApprovalVote, texts: Texts): MessageItem {
  const name = vote.approverName ?? texts.c.common.anApprover;
  const text =
    vote.decision === 'approve'
      ? texts.fill(texts.c.elevation.voteApproved, { name })
      : texts.fill(texts.c.elevation.voteDenied, { name, reason: vote.reason ?? '' });
  return { text, at: vote.at };
}

/** The requester's card while approvers decide, and once they approved: **Activate** (on the requester's own token). */
function awaitingApprovalCard(record: ElevationRecord, windowMinutes: number, texts: Texts): AdaptiveCard {
  const c = texts.c;
  const approval = record.approval;
  const role = record.roleName ?? c.common.theRole;
  const duration = texts.duration(parseIsoDuration(record.duration ?? 'PT1H') ?? 60);
  const asked = texts.fill(c.elevation.asked, { role, environment: record.environment.displayName, duration });
  const items = [...flagWords(record, texts), ...(approval?.votes ?? []).map((v) => voteLine(v, texts))];
  const cancel = { title: c.common.cancelRequest, verb: VERBS.cancel, data: { requestId: record.id } };
  if (approval?.status === 'approved') {
    const approvers = approval.votes.filter((v) => v.decision === 'approve').map((v) => v.approverName ?? c.common.anApprover);
    const deadline = activationDeadline(approval, windowMinutes, record.schedule?.startAt);
    // Approved ahead of its scheduled start (issue #16): it starts by itself; Start appears once it is due.
    if (record.schedule)
      return renderMessageCard({
        title: texts.fill(c.elevation.approvedTitle, { approvers: texts.list(approvers), role }),
        text: texts.fill(c.schedule.approvedText, { asked }),
        when: { label: c.schedule.startsAt, at: record.schedule.startAt },
        items,
        buttons: scheduleButtons(record, texts),
        tone: 'good',
      });
    return renderMessageCard({
      title: texts.fill(c.elevation.approvedTitle, { approvers: texts.list(approvers), role }),
      text: texts.fill(c.elevation.approvedText, { asked }),
      ...(deadline ? { when: { label: c.elevation.activateBy, at: deadline.toISOString() } } : {}),
      items,
      buttons: [{ title: c.elevation.activate, verb: VERBS.activate, data: { requestId: record.id } }, cancel],
      tone: 'good',
    });
  }
  const count = approval ? approvalCount(approval) : 0;
  const required = approval?.required ?? 1;
  return renderMessageCard({
    title: texts.fill(c.elevation.waitingTitle, { asked }),
    text: [texts.fill(c.elevation.waitingText, { count, required, more: required - count }), record.schedule ? c.schedule.waitingNote : '']
      .filter(Boolean)
      .join(' '),
    ...(approval?.expiresAt ? { when: { label: c.elevation.expiresAt, at: approval.expiresAt } } : {}),
    items: record.schedule ? [...items, { text: c.schedule.startsAt, at: record.schedule.startAt }] : items,
    buttons: [cancel],
  });
}

function requestCard(record: ElevationRecord, texts: Texts, error?: string): AdaptiveCard {
  const selected = record.options.find((o) => o.roleId === record.roleId);
  const relevant = selected ? [selected] : record.options;
  return renderRequestCard(
    {
      requestId: record.id,
      environment: record.environment,
      requesterName: record.requester.name,
      roles: record.options,
      defaultDuration: 'PT1H',
      ...(record.roleId ? { roleId: record.roleId } : {}),
      ...(record.duration ? { duration: record.duration } : {}),
      ...(record.justification ? { justification: record.justification } : {}),
      ...(record.ticketNumber ? { ticketNumber: record.ticketNumber } : {}),
      // Break glass always asks for the incident.
      justificationRequired: record.breakGlass === true || relevant.some((o) => o.justificationRequired),
      ticketRequired: relevant.some((o) => o.ticketRequired),
      ...(error ? { error } : {}),
      ...(record.applicationUserMissing || record.breakGlass || record.schedule ? { warning: requestWarning(record, texts) } : {}),
    },
    texts,
  );
}

/** Break glass's terms, and that Elevate cannot undo the elevation here, as they apply. */
function requestWarning(record: ElevationRecord, texts: Texts): string {
  const longest = Math.max(0, ...record.options.map((o) => parseIsoDuration(o.maximumDuration) ?? 0));
  const breakGlass = record.breakGlass ? texts.fill(texts.c.breakGlass.requestBanner, { duration: texts.duration(longest) }) : '';
  const scheduled = record.schedule ? texts.fill(texts.c.schedule.requestNote, { start: texts.time(record.schedule.startAt) }) : '';
  return [scheduled, breakGlass, record.applicationUserMissing ? cannotUndoWarning(record, texts) : ''].filter(Boolean).join(' ');
}

/** Said on the request card when Elevate cannot remove the role at expiry. */
export function cannotUndoWarning(record: ElevationRecord, texts: Texts = ENGLISH): string {
  return texts.fill(texts.c.request.cannotUndo, { environment: record.environment.displayName });
}

function progressSteps(record: ElevationRecord, texts: Texts, progress?: ElevationProgress): ProgressStep[] {
  const c = texts.c.progress;
  const activating = record.state === 'activating';
  const words = progress?.words;
  const detail = words ? texts.fill(texts.c.progressDetail[words.key], { check: words.check ?? '', attempt: words.attempt ?? '' }) : progress?.detail;
  const wait = record.propagation;
  return [
    {
      label: texts.fill(c.activate, { role: record.roleName ?? texts.c.common.theRole }),
      state: activating ? 'running' : 'done',
      ...(activating && detail ? { detail } : {}),
    },
    {
      label: texts.fill(c.elevate, { environment: record.environment.displayName }),
      state: activating ? 'pending' : 'running',
      ...(!activating && detail ? { detail } : {}),
      ...(!activating && wait
        ? {
            times: [
              { label: c.nextTry, at: wait.nextTryAt },
              { label: c.keepsTrying, at: wait.deadline },
            ],
          }
        : {}),
    },
  ];
}

function correlationIds(record: ElevationRecord, texts: Texts): CorrelationId[] {
  const c = texts.c.common;
  const ids: CorrelationId[] = [{ label: c.elevateRequestId, value: record.id }];
  if (record.pimRequestId) ids.push({ label: c.pimRequestId, value: record.pimRequestId });
  if (record.failure?.correlationId) ids.push({ label: c.serviceCorrelationId, value: record.failure.correlationId });
  if (record.ppCorrelationId) ids.push({ label: c.powerPlatformCorrelationId, value: record.ppCorrelationId });
  return ids;
}
