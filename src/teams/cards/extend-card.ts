import type { ElevationRecord } from '../../domain/elevation.js';
import type { ExtensionAllowance } from '../../domain/extension.js';
import type { ExtendOutcome } from '../../use-cases/apply-extension.js';
import type { ApprovedExtensionOutcome } from '../../use-cases/extension-approval.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { renderMessageCard, type MessageCardData } from './message-card.js';
import type { AdaptiveCard } from './render.js';

const messageCard = (data: MessageCardData): AdaptiveCard => renderMessageCard(data);

/** "You can extend it by up to 2 h more (1 extension left)", or that it cannot be extended any more. */
export function extensionLeftText(left: ExtensionAllowance, texts: Texts = ENGLISH): string {
  const e = texts.c.extend;
  return left.count > 0 && left.minutes >= 5 ? texts.fill(e.left, { duration: texts.duration(left.minutes), count: left.count }) : e.noneLeft;
}

/** What the requester sees after `extend` or a tap on **Extend**: the new end, the approval under way, or why not. */
export function extendOutcomeCard(outcome: ExtendOutcome | ApprovedExtensionOutcome, texts: Texts = ENGLISH, left?: ExtensionAllowance): AdaptiveCard {
  const e = texts.c.extend;
  switch (outcome.kind) {
    case 'extended':
      return extendedCard(outcome.record, outcome.minutes, texts, left);
    case 'approvalRequested':
      return messageCard({ title: e.approvalTitle, text: e.approvalText });
    case 'refused':
      return messageCard({ title: e.refusedTitle, text: refusalText(outcome, texts), tone: 'attention' });
    case 'tooSoon':
      return messageCard({ title: e.tooSoonTitle, text: e.tooSoonText, when: { label: texts.c.elevation.possibleFrom, at: outcome.possibleAt.toISOString() } });
    case 'busy':
      return messageCard({ title: e.refusedTitle, text: e.busy });
    case 'alreadyExtended':
      return messageCard({
        title: e.refusedTitle,
        text: e.alreadyExtended,
        ...(outcome.record.activeUntil ? { when: { label: texts.c.common.until, at: outcome.record.activeUntil } } : {}),
      });
    case 'notStarted':
      return messageCard({
        title: e.nothingToExtend,
        text: texts.fill(e.notStarted, { environment: outcome.record.environment.displayName }),
        ...(outcome.record.schedule ? { when: { label: texts.c.schedule.startsAt, at: outcome.record.schedule.startAt } } : {}),
      });
    case 'notActivatable':
      return messageCard({ title: e.nothingToExtend, text: texts.fill(e.notActive, { environment: outcome.record.environment.displayName }) });
    case 'notYours':
      return messageCard({ title: e.refusedTitle, text: e.onlyElevated, tone: 'attention' });
    case 'notFound':
      return messageCard({ title: e.nothingToExtend, text: e.noActive });
  }
}

function extendedCard(record: ElevationRecord, minutes: number, texts: Texts, left?: ExtensionAllowance): AdaptiveCard {
  const e = texts.c.extend;
  return messageCard({
    title: texts.fill(e.extendedTitle, { environment: record.environment.displayName, until: texts.time(record.activeUntil ?? '') }),
    text: texts.fill(e.extendedText, {
      role: record.roleName ?? texts.c.elevation.yourPimRole,
      duration: texts.duration(minutes),
      left: left ? extensionLeftText(left, texts) : '',
    }),
    ...(record.activeUntil ? { when: { label: texts.c.common.until, at: record.activeUntil } } : {}),
  });
}

function refusalText(outcome: Extract<ExtendOutcome, { kind: 'refused' }>, texts: Texts): string {
  const e = texts.c.extend;
  const params = {
    environment: outcome.record.environment.displayName,
    role: outcome.record.roleName ?? texts.c.elevation.yourPimRole,
    duration: texts.duration(outcome.reason === 'pimMaximum' ? Number(outcome.detail ?? 0) : outcome.left.minutes),
    detail: outcome.detail ?? '',
  };
  return texts.fill(e[outcome.reason], params);
}
