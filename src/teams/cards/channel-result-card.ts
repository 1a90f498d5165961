import template from '../../../adaptive-cards/channel-result-card.json';
import type { EnvironmentRef } from '../../domain/environment.js';
import { clip, environmentFacts, isProduction, roleFact, textFact, timeFact, type FactRow, type TextColor } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';

export type ChannelOutcome = 'requested' | 'elevated' | 'failed' | 'cancelled' | 'deactivated' | 'expired';

export interface ChannelResultCardData {
  outcome: ChannelOutcome;
  requester: { name: string; upn?: string; aadObjectId: string };
  roleName?: string;
  environment: EnvironmentRef;
  /** ISO instant the elevation ends. */
  activeUntil?: string;
  justification?: string;
  ticketNumber?: string;
  pimRequestId?: string;
  ppCorrelationId?: string;
  requestId: string;
  /** ISO instant of the event. */
  at: string;
  /** e.g. the failure message. */
  detail?: string;
}

interface ChannelResultCardView {
  headline: string;
  color: TextColor;
  isProduction: boolean;
  hasDetail: boolean;
  detail: string;
  facts: FactRow[];
}

const OUTCOMES: Readonly<Record<ChannelOutcome, { label: string; icon: string; color: TextColor }>> = {
  requested: { label: 'Requested', icon: '📝', color: 'Default' },
  elevated: { label: 'Elevated', icon: '✅', color: 'Default' },
  failed: { label: 'Failed', icon: '❌', color: 'Attention' },
  cancelled: { label: 'Cancelled', icon: '⛔', color: 'Default' },
  deactivated: { label: 'Deactivated', icon: '⏹️', color: 'Default' },
  expired: { label: 'Expired', icon: '⌛', color: 'Default' },
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
export function renderChannelResultCard(data: ChannelResultCardData): AdaptiveCard {
  const outcome = OUTCOMES[data.outcome];
  const detail = clip(data.detail ?? '', 500);
  const facts = [
    textFact('Outcome', `${outcome.icon} ${outcome.label}`, outcome.color),
    textFact('Who', who(data.requester)),
    ...(data.roleName ? [roleFact(data.roleName)] : []),
    ...environmentFacts(data.environment, true),
    ...(data.activeUntil ? [timeFact('Until', data.activeUntil)] : []),
    textFact('Justification', data.justification?.trim() ? clip(data.justification, 500) : '(none)'),
    ...optional('Ticket', data.ticketNumber),
    ...optional('PIM request id', data.pimRequestId),
    ...optional('Power Platform correlation id', data.ppCorrelationId),
    textFact('Elevate request id', data.requestId),
    timeFact('Time', data.at),
  ];
  return compiled.expand({
    headline: `${outcome.icon} ${outcome.label}: ${clip(data.requester.name, 200)} in ${clip(data.environment.displayName, 200)}`,
    color: outcome.color,
    isProduction: isProduction(data.environment),
    hasDetail: detail !== '',
    detail,
    facts,
  });
}
