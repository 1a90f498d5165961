import type { DeactivateOutcome } from '../../use-cases/deactivate-elevation.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { elevationCard, messageCard, tooSoonCard, type AdaptiveCard } from './elevation-cards.js';
import type { TeamsServices } from '../services.js';

/** What the requester sees after asking to deactivate. */
export function deactivationCard(services: TeamsServices, outcome: DeactivateOutcome, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c.elevation;
  switch (outcome.kind) {
    case 'ended':
      return elevationCard(outcome.record, { activationWindowMinutes: services.elevation.settings.approvalActivationWindowMinutes, texts });
    case 'tooSoon':
      return tooSoonCard(outcome.record, outcome.possibleAt, texts);
    case 'notActive':
      return messageCard({ title: c.nothingToDeactivate, text: texts.fill(c.notActive, { environment: outcome.record.environment.displayName }) });
    case 'stillActive':
      return messageCard({ title: c.notDeactivatedTitle, text: c.notDeactivatedText, tone: 'warning' });
    case 'notYours':
      return messageCard({ title: c.refused, text: c.onlyElevated });
    case 'notFound':
      return messageCard({ title: c.nothingToDeactivate, text: c.noLongerExists });
  }
}
