import template from '../../../adaptive-cards/channel-result-card.json';
import type { EnvironmentRef } from '../../domain/environment.js';
import { clip, environmentFacts, isProduction, roleFact, textFact, timeFact, type FactRow, type TextColor } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, type Texts } from '../locale/texts.js';

export type ChannelOutcome = 'requested' | 'scheduled' | 'moved' | 'started' | 'elevated' | 'extended' | 'failed' | 'cancelled' | 'deactivated' | 'expired';

export interface ChannelResultCardData {
  outcome: ChannelOutcome;
  requester: { name: string; upn?: string; aadObjectId: string };
  roleName?: string;
  environment: EnvironmentRef;
  /** ISO instant the elevation ends. */
  activeUntil?: string;
  /** ISO instant a scheduled elevation starts (issue #16). */
  startsAt?: string;
  justification?: string;
  ticketNumber?: string;
  pimRequestId?: string;
  ppCorrelationId?: string;
  requestId: string;
  /** ISO instant of the event. */
  at: string;
  /** e.g. the failure message. */
  detail?: string;
  /** What the requester did during the elevation (Dataverse auditing), or why it is not known. */
  changes?: string;
  /** The first records they changed, in one line. */
  changedRecords?: string;
}

interface ChannelResultCardView {
  t: Catalogue;
  headline: string;
  color: TextColor;
  isProduction: boolean;
  hasDetail: boolean;
  detail: string;
  facts: FactRow[];
}

/** Each outcome's icon and colour; its word is the catalogue's `channel.<outcome>`. */
const OUTCOMES: Readonly<Record<ChannelOutcome, { icon: string; color: TextColor }>> = {
  requested: { icon: '📝', color: 'Default' },
  scheduled: { icon: '🗓️', color: 'Default' },
  moved: { icon: '🗓️', color: 'Default' },
  started: { icon: '▶️', color: 'Default' },
  elevated: { icon: '✅', color: 'Default' },
  extended: { icon: '⏩', color: 'Default' },
  failed: { icon: '❌', color: 'Attention' },
  cancelled: { icon: '⛔', color: 'Default' },
  deactivated: { icon: '⏹️', color: 'Default' },
  expired: { icon: '⌛', color: 'Default' },
};

const compiled = compileCard<ChannelResultCardView>('channel-result-card', template);

function who(requester: ChannelResultCardData['requester']): string {
  const ids = [requester.upn, requester.aadObjectId].filter((part): part is string => Boolean(part));
  return `${clip(requester.name, 200)} (${ids.join(', ')})`;
}

function optional(label: string, value: string | undefined): FactRow[] {
  return value ? [textFact(label, value)] : [];
}

/** The security channel's record of one elevation event: who, what, where, until, why, ids. */
export function renderChannelResultCard(data: ChannelResultCardData, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c;
  const outcome = OUTCOMES[data.outcome];
  const label = c.channel[data.outcome];
  const detail = clip(data.detail ?? '', 500);
  const facts = [
    textFact(c.channel.outcome, `${outcome.icon} ${label}`, outcome.color),
    textFact(c.channel.who, who(data.requester)),
    ...(data.roleName ? [roleFact(data.roleName, texts)] : []),
    ...environmentFacts(data.environment, true, texts),
    ...(data.startsAt ? [timeFact(c.schedule.startsAt, data.startsAt, texts)] : []),
    ...(data.activeUntil ? [timeFact(c.common.until, data.activeUntil, texts)] : []),
    textFact(c.common.justification, data.justification?.trim() ? clip(data.justification, 500) : c.common.none),
    ...optional(c.common.ticket, data.ticketNumber),
    ...optional(c.common.pimRequestId, data.pimRequestId),
    ...optional(c.common.powerPlatformCorrelationId, data.ppCorrelationId),
    textFact(c.common.elevateRequestId, data.requestId),
    timeFact(c.channel.time, data.at, texts),
    ...optional(c.changes.heading, data.changes),
    ...optional(c.changes.firstRecords, data.changedRecords),
  ];
  return compiled.expand({
    t: c,
    headline: texts.fill(c.channel.headline, {
      icon: outcome.icon,
      outcome: label,
      requester: clip(data.requester.name, 200),
      environment: clip(data.environment.displayName, 200),
    }),
    color: outcome.color,
    isProduction: isProduction(data.environment),
    hasDetail: detail !== '',
    detail,
    facts,
  });
}
