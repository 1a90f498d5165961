import { DEFAULT_EXTENSION_MINUTES, type ExtensionAllowance } from '../../domain/extension.js';
import { PIM_MINIMUM_MINUTES } from '../../domain/duration.js';
import { extensionLeftText } from './extend-card.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { endingNote, failureHint, failureMessage } from '../locale/record-words.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { changesItems, changesRecords, changesText } from './changes-view.js';
import { renderChannelResultCard, type ChannelOutcome } from './channel-result-card.js';
import { renderFailureCard } from './failure-card.js';
import { renderHelpCard } from './help-card.js';
import { renderMessageCard, type MessageCardData } from './message-card.js';
import type { AdaptiveCard } from './render.js';
import { VERBS } from './verbs.js';
import { MOVED_NOTE } from '../../domain/scheduled-start.js';

export type { AdaptiveCard };
export { cannotUndoWarning, elevationCard, type ElevationCardOptions } from './requester-card.js';

const CHANNEL_OUTCOMES: Record<ElevationRecord['state'], ChannelOutcome> = {
  draft: 'requested',
  scheduled: 'scheduled',
  awaitingApproval: 'requested',
  activating: 'requested',
  elevating: 'requested',
  active: 'elevated',
  failed: 'failed',
  cancelled: 'cancelled',
  ended: 'expired',
};

/** What an elevation's state is called in the security channel (a deactivation is an ending of its own). */
export function channelOutcome(record: ElevationRecord): ChannelOutcome {
  if (record.state === 'ended' && record.ending?.reason === 'deactivated') return 'deactivated';
  if (record.state === 'active' && (record.extensions?.length ?? 0) > 0) return 'extended';
  return scheduleOutcome(record) ?? CHANNEL_OUTCOMES[record.state];
}

/** The security channel's card for an elevation event, in the channel's language (as stored when `notify here` was said). */
export function channelCard(record: ElevationRecord, texts: Texts = ENGLISH): AdaptiveCard {
  return renderChannelResultCard(
    {
      outcome: channelOutcome(record),
      requester: { name: record.requester.name, aadObjectId: record.requester.aadObjectId },
      ...(record.roleName ? { roleName: record.roleName } : {}),
      environment: record.environment,
      ...(record.activeUntil ? { activeUntil: record.activeUntil } : {}),
      ...(record.schedule && !record.activeUntil ? { startsAt: record.schedule.startAt } : {}),
      ...(record.justification ? { justification: record.justification } : {}),
      ...(record.ticketNumber ? { ticketNumber: record.ticketNumber } : {}),
      ...(record.pimRequestId ? { pimRequestId: record.pimRequestId } : {}),
      ...(record.ppCorrelationId ? { ppCorrelationId: record.ppCorrelationId } : {}),
      requestId: record.id,
      at: record.updatedAt,
      ...channelDetail(record, texts),
      ...channelChanges(record, texts),
    },
    texts,
  );
}

/** A scheduled elevation's own steps in the channel (issue #16): moved before its start, started by its timer. */
function scheduleOutcome(record: ElevationRecord): ChannelOutcome | undefined {
  if (!record.schedule) return undefined;
  if (record.state === 'activating' || record.state === 'elevating') return 'started';
  const moved = record.history[record.history.length - 1]?.note?.startsWith(MOVED_NOTE) === true;
  return moved && (record.state === 'scheduled' || record.state === 'awaitingApproval') ? 'moved' : undefined;
}

/** What the security channel reads under the facts: the failure, the ending, or that Elevate cannot undo this one. */
function channelDetail(record: ElevationRecord, texts: Texts): { detail?: string } {
  if (record.failure) return { detail: [failureMessage(record.failure, texts), failureHint(record.failure, texts)].filter(Boolean).join(' ') };
  if (record.ending) return { detail: endingNote(record.ending, texts) };
  if (record.applicationUserMissing && record.state === 'active')
    return { detail: texts.fill(texts.c.channel.cannotUndo, { environment: record.environment.displayName, requester: record.requester.name }) };
  const extension = record.state === 'active' ? record.extensions?.at(-1) : undefined;
  if (extension)
    return {
      detail: texts.fill(texts.c.channel.extendedDetail, {
        count: record.extensions!.length,
        duration: texts.duration(extension.minutes),
        from: texts.time(extension.from),
      }),
    };
  return {};
}

/** The security channel's "what changed" rows of an ended elevation. */
function channelChanges(record: ElevationRecord, texts: Texts): { changes?: string; changedRecords?: string } {
  const changes = changesText(record.ending?.changes, record.environment.displayName, record.requester.name, texts);
  const changedRecords = changesRecords(record.ending?.changes, texts);
  return { ...(changes ? { changes } : {}), ...(changedRecords ? { changedRecords } : {}) };
}

/** After Elevate lost the requester's token: one tap (signing in if needed) resumes the wait, never a second PIM request. */
export function continueCard(record: ElevationRecord, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c.elevation;
  return renderMessageCard({
    title: texts.fill(c.continueTitle, { environment: record.environment.displayName }),
    text: c.continueText,
    buttons: [{ title: c.continue, verb: VERBS.continue, data: { requestId: record.id } }],
  });
}

export function helpCard(texts: Texts = ENGLISH): AdaptiveCard {
  return renderHelpCard({}, texts);
}

export function messageCard(data: MessageCardData): AdaptiveCard {
  return renderMessageCard(data);
}

/** Reminder before expiry, with **Deactivate now**. */
export function reminderCard(record: ElevationRecord, minutesLeft: number, texts: Texts = ENGLISH, extension?: ExtensionAllowance): AdaptiveCard {
  const c = texts.c.elevation;
  // Issue #16: how much extension is left, and **Extend** (the default hour, or what is left) while any is.
  const extendBy = extension && extension.count > 0 ? Math.min(DEFAULT_EXTENSION_MINUTES, extension.minutes) : 0;
  const extend =
    extendBy >= PIM_MINIMUM_MINUTES && record.activeUntil
      ? [
          {
            title: texts.fill(texts.c.extend.extend, { duration: texts.duration(extendBy) }),
            verb: VERBS.extend,
            data: { requestId: record.id, from: record.activeUntil, minutes: String(extendBy) },
          },
        ]
      : [];
  const left = extension ? ` ${extensionLeftText(extension, texts)}` : '';
  return renderMessageCard({
    title: texts.fill(c.reminderTitle, { environment: record.environment.displayName, duration: texts.duration(minutesLeft) }),
    text: texts.fill(c.reminderText, { role: record.roleName ?? c.yourPimRole }) + left,
    buttons: [...extend, { title: c.deactivateNow, verb: VERBS.deactivate, data: { requestId: record.id } }],
    tone: 'warning',
  });
}

/** The security channel's copy of a reminder (policy `remindChannel`, issue #16): who, where, how long, which request; no button. */
export function channelReminderCard(record: ElevationRecord, minutesLeft: number, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c.channel;
  return renderMessageCard({
    title: texts.fill(c.reminderTitle, {
      requester: record.requester.name,
      environment: record.environment.displayName,
      duration: texts.duration(minutesLeft),
    }),
    text: texts.fill(c.reminderText, { role: record.roleName ?? texts.c.common.administratorRole, id: record.id }),
    ...(record.activeUntil ? { when: { label: texts.c.common.until, at: record.activeUntil } } : {}),
    tone: 'warning',
  });
}

/** Told to the requester when an elevation ended. */
export function endedCard(record: ElevationRecord, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c.elevation;
  return renderMessageCard({
    title: texts.fill(record.ending?.reason === 'deactivated' ? c.deactivatedTitle : c.expiredTitle, { environment: record.environment.displayName }),
    text: [
      record.ending ? endingNote(record.ending, texts) : c.roleNoLongerActive,
      changesText(record.ending?.changes, record.environment.displayName, texts.c.changes.youWho, texts),
    ]
      .filter((part): part is string => part !== undefined)
      .join('\n\n'),
    items: changesItems(record.ending?.changes, texts),
  });
}

/** PIM refuses deactivation in the first five minutes: say when, and offer to do it then. */
export function tooSoonCard(record: ElevationRecord, possibleAt: Date, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c.elevation;
  return renderMessageCard({
    title: c.tooEarlyTitle,
    text: c.tooEarlyText,
    when: { label: c.possibleFrom, at: possibleAt.toISOString() },
    buttons: [{ title: c.deactivateWhenPossible, verb: VERBS.deactivateLater, data: { requestId: record.id } }],
    tone: 'warning',
  });
}

const STEP_UP_REASONS = ['consent', 'mfa', 'authenticationContext', 'interaction'] as const;

/** A command could not run without an interactive sign-in (consent, MFA). */
export function signInNeededCard(reason: string, signInUrl: string, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c.failure;
  const known = STEP_UP_REASONS.find((r) => r === reason) ?? 'interaction';
  return renderFailureCard({ title: c.signInNeeded, message: c[known], hint: c.signInHint, requestId: '', signInUrl }, texts);
}
