import type { DeactivateOutcome } from '../../use-cases/deactivate-elevation.js';
import { elevationCard, messageCard, tooSoonCard, type AdaptiveCard } from './elevation-cards.js';
import type { TeamsServices } from '../services.js';

/** What the requester sees after asking to deactivate. */
export function deactivationCard(services: TeamsServices, outcome: DeactivateOutcome): AdaptiveCard {
  switch (outcome.kind) {
    case 'ended':
      return elevationCard(outcome.record, { activationWindowMinutes: services.elevation.settings.approvalActivationWindowMinutes });
    case 'tooSoon':
      return tooSoonCard(outcome.record, outcome.possibleAt);
    case 'notActive':
      return messageCard({ title: 'Nothing to deactivate', text: `Your elevation in ${outcome.record.environment.displayName} is not active.` });
    case 'stillActive':
      return messageCard({
        title: 'Not deactivated yet',
        text: 'PIM still shows your role as active. Try again in a minute; at expiry Elevate cleans up in any case.',
        tone: 'warning',
      });
    case 'notYours':
      return messageCard({ title: 'Refused', text: 'Only the person who was elevated can deactivate.' });
    case 'notFound':
      return messageCard({ title: 'Nothing to deactivate', text: 'This elevation no longer exists.' });
  }
}
