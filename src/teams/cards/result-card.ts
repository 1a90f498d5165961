import template from '../../../adaptive-cards/result-card.json';
import type { EnvironmentRef } from '../../domain/environment.js';
import { clip, environmentFacts, isProduction, roleFact, teamsTimestamp, textFact, timeFact, type FactRow } from './card-view.js';
import { compileCard, CardRenderError, type AdaptiveCard } from './render.js';

export interface ResultCardData {
  environment: EnvironmentRef;
  roleName: string;
  /** ISO instant when System Administrator (and the PIM activation) ends. */
  activeUntil: string;
  /** System Administrator was held before this elevation: standing access stays after expiry. */
  heldSystemAdminBefore: boolean;
  pimRequestId?: string;
  requestId: string;
}

interface ResultCardView {
  title: string;
  until: string;
  isProduction: boolean;
  facts: FactRow[];
  standingNote: string;
}

const compiled = compileCard<ResultCardView>('result-card', template);

function standingNote(data: ResultCardData): string {
  return data.heldSystemAdminBefore
    ? 'You already held System Administrator here before this elevation. That standing access is kept when the elevation ends.'
    : 'When the elevation ends, Elevate removes the System Administrator role it added.';
}

/** The requester's card after a successful elevation. Carries ids for support, never tokens. */
export function renderResultCard(data: ResultCardData): AdaptiveCard {
  const until = teamsTimestamp(data.activeUntil);
  if (!until) throw new CardRenderError('result-card', `activeUntil is not a timestamp: ${clip(data.activeUntil, 40)}`);
  const facts = [
    roleFact(data.roleName),
    ...environmentFacts(data.environment, true),
    timeFact('Until', until),
    textFact('Standing access', data.heldSystemAdminBefore ? 'Yes, kept after expiry' : 'No'),
    ...(data.pimRequestId ? [textFact('PIM request id', data.pimRequestId)] : []),
    textFact('Elevate request id', data.requestId),
  ];
  return compiled.expand({
    title: `✅ Elevated in ${clip(data.environment.displayName, 200)}`,
    until,
    isProduction: isProduction(data.environment),
    facts,
    standingNote: standingNote(data),
  });
}
