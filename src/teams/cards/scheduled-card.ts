import { parseIsoDuration } from '../../domain/duration.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import type { Texts } from '../locale/texts.js';
import { renderMessageCard, type CardButton } from './message-card.js';
import type { AdaptiveCard } from './render.js';
import { VERBS } from './verbs.js';

/**
 * The requester's card of a scheduled elevation (issue #16) before its start: what starts when (the
 * time in the viewer's own zone, Teams' DATE()/TIME()), **Cancel**, and **Start** once the start came
 * and Elevate asked for the requester's sign-in. Moving is a command (`move to …`): a card has no
 * time picker that works on every Teams client.
 */
export function scheduledCard(record: ElevationRecord, texts: Texts, flags: readonly string[]): AdaptiveCard {
  const s = texts.c.schedule;
  return renderMessageCard({
    title: texts.fill(s.scheduledTitle, {
      role: record.roleName ?? texts.c.common.theRole,
      environment: record.environment.displayName,
      duration: texts.duration(parseIsoDuration(record.duration ?? 'PT1H') ?? 60),
    }),
    text: s.scheduledText,
    ...(record.schedule ? { when: { label: s.startsAt, at: record.schedule.startAt } } : {}),
    items: flags,
    buttons: scheduleButtons(record, texts),
  });
}

/** **Start** (only once the start came without the requester's token) and **Cancel request**. */
export function scheduleButtons(record: ElevationRecord, texts: Texts): CardButton[] {
  const start: CardButton[] = record.schedule?.signInRequestedAt
    ? [{ title: texts.c.schedule.start, verb: VERBS.startScheduled, data: { requestId: record.id } }]
    : [];
  return [...start, { title: texts.c.common.cancelRequest, verb: VERBS.cancel, data: { requestId: record.id } }];
}

/** The card sent when the start came and Elevate needs the requester's sign-in: **Start** and **Cancel request**. */
export function dueCard(record: ElevationRecord, texts: Texts): AdaptiveCard {
  const s = texts.c.schedule;
  return renderMessageCard({
    title: texts.fill(s.dueTitle, { environment: record.environment.displayName }),
    text: s.dueText,
    ...(record.schedule ? { when: { label: s.startsAt, at: record.schedule.startAt } } : {}),
    buttons: scheduleButtons(record, texts),
  });
}

/** A new message at the start: the scheduled elevation is starting (its request card shows the progress). */
export function startingCard(record: ElevationRecord, texts: Texts): AdaptiveCard {
  const s = texts.c.schedule;
  return renderMessageCard({
    title: texts.fill(s.startingTitle, { environment: record.environment.displayName }),
    text: texts.fill(s.startingText, {
      role: record.roleName ?? texts.c.common.theRole,
      duration: texts.duration(parseIsoDuration(record.duration ?? 'PT1H') ?? 60),
    }),
  });
}
