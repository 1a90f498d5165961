import template from '../../../adaptive-cards/result-card.json';
import type { EnvironmentRef } from '../../domain/environment.js';
import { clip, environmentFacts, isProduction, roleFact, teamsTimestamp, textFact, timeFact, type FactRow } from './card-view.js';
import { compileCard, CardRenderError, type AdaptiveCard } from './render.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, type Texts } from '../locale/texts.js';

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
  t: Catalogue;
  title: string;
  until: string;
  isProduction: boolean;
  facts: FactRow[];
  standingNote: string;
}

const compiled = compileCard<ResultCardView>('result-card', template);

function standingNote(data: ResultCardData, texts: Texts): string {
  return data.heldSystemAdminBefore ? texts.c.result.standingKept : texts.c.result.removedAtEnd;
}

/** The requester's card after a successful elevation. Carries ids for support, never tokens. */
export function renderResultCard(data: ResultCardData, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c;
  const until = teamsTimestamp(data.activeUntil);
  if (!until) throw new CardRenderError('result-card', `activeUntil is not a timestamp: ${clip(data.activeUntil, 40)}`);
  const facts = [
    roleFact(data.roleName, texts),
    ...environmentFacts(data.environment, true, texts),
    timeFact(c.common.until, until, texts),
    textFact(c.result.standingAccess, data.heldSystemAdminBefore ? c.result.standingYes : c.result.standingNo),
    ...(data.pimRequestId ? [textFact(c.common.pimRequestId, data.pimRequestId)] : []),
    textFact(c.common.elevateRequestId, data.requestId),
  ];
  return compiled.expand({
    t: c,
    title: texts.fill(c.result.title, { environment: clip(data.environment.displayName, 200) }),
    until,
    isProduction: isProduction(data.environment),
    facts,
    standingNote: standingNote(data, texts),
  });
}
