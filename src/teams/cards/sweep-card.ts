import type { SweepItem, SweepKeep, SweepRecord } from '../../use-cases/sweep-record.js';
import type { Texts } from '../locale/texts.js';
import { renderMessageCard, type MessageCardData } from './message-card.js';
import type { AdaptiveCard } from './render.js';
import { VERBS } from './verbs.js';

function keepReason(keep: Pick<SweepKeep, 'reason' | 'team'>, texts: Texts): string {
  const s = texts.c.standing;
  switch (keep.reason) {
    case 'elevation':
      return s.keepElevation;
    case 'expected':
      return s.keepExpected;
    case 'application':
      return s.keepApplication;
    case 'team':
      return texts.fill(s.keepTeam, { team: keep.team ?? '' });
    case 'lastAdministrator':
      return s.keepLastAdministrator;
  }
}

function itemLine(item: SweepItem, texts: Texts): string {
  const s = texts.c.standing;
  const params = { name: item.name, environment: item.environmentName };
  switch (item.status) {
    case 'pending':
      return texts.fill(s.removeLine, params);
    case 'removed':
      return texts.fill(s.itemRemoved, params);
    case 'alreadyGone':
      return texts.fill(s.itemGone, params);
    case 'kept':
      return texts.fill(s.itemKept, { ...params, reason: keepReason({ reason: (item.note ?? 'expected') as SweepKeep['reason'] }, texts) });
    case 'failed':
      return texts.fill(s.itemFailed, params);
  }
}

const who = (party: { name?: string; aadObjectId: string } | undefined): string => party?.name ?? party?.aadObjectId ?? '';

/** The preview: what would be removed and what is kept and why, with Confirm and Cancel. */
export function sweepPreviewCard(sweep: SweepRecord, texts: Texts, refusal?: string): AdaptiveCard {
  const s = texts.c.standing;
  const keeps = sweep.kept.map((k) => texts.fill(s.keepLine, { name: k.name, environment: k.environmentName, reason: keepReason(k, texts) }));
  const text = texts.fill(s.previewText, { requester: who(sweep.requestedBy), until: texts.time(sweep.expiresAt) });
  return renderMessageCard({
    title: texts.fill(s.previewTitle, { count: sweep.items.length }),
    text: refusal ? `${refusal} ${text}` : text,
    items: [...sweep.items.map((i) => itemLine(i, texts)), ...keeps],
    buttons: [
      { title: s.confirm, verb: VERBS.sweepConfirm, data: { sweepId: sweep.id } },
      { title: s.cancel, verb: VERBS.sweepCancel, data: { sweepId: sweep.id } },
    ],
    tone: refusal ? 'warning' : 'default',
  });
}

/** The sweep's card once confirmed: progress, then the summary; or why it did not run. */
export function sweepCard(sweep: SweepRecord, texts: Texts): AdaptiveCard {
  const s = texts.c.standing;
  if (sweep.state === 'preview') return sweepPreviewCard(sweep, texts);
  const count = (status: SweepItem['status']) => sweep.items.filter((i) => i.status === status).length;
  const people = { requester: who(sweep.requestedBy), confirmer: who(sweep.confirmedBy) };
  const items = sweep.items.map((i) => itemLine(i, texts));
  const data: MessageCardData =
    sweep.state === 'running'
      ? {
          title: texts.fill(s.runningTitle, { done: sweep.items.length - count('pending'), count: sweep.items.length }),
          text: texts.fill(s.runningText, people),
          items,
        }
      : sweep.state === 'done'
        ? {
            title: texts.fill(s.doneTitle, { removed: count('removed') }),
            text: texts.fill(s.doneText, { ...people, removed: count('removed'), gone: count('alreadyGone'), kept: count('kept'), failed: count('failed') }),
            items,
            tone: count('failed') > 0 ? 'warning' : 'good',
          }
        : sweep.state === 'cancelled'
          ? { title: s.cancelledTitle, text: texts.fill(s.cancelledText, { name: who(sweep.cancelledBy) }) }
          : { title: s.expiredTitle, text: s.expiredText };
  return renderMessageCard(data);
}
