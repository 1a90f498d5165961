import type { TurnContext } from 'botbuilder';
import type { ElevationRecord } from '../../domain/elevation.js';
import { audit } from '../../use-cases/audit-trail.js';
import { elevationCard, messageCard, type AdaptiveCard } from '../elevation-cards.js';
import { referenceOf, replaceCard } from '../proactive.js';
import type { TeamsServices } from '../services.js';

export type CardData = Record<string, unknown>;
export type VerbHandler = (services: TeamsServices, context: TurnContext, data: CardData) => Promise<AdaptiveCard>;

export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Answers with a sign-in prompt when the tapper has no session (e.g. after a restart). */
export async function needsSignIn(services: TeamsServices, context: TurnContext, replay: string): Promise<AdaptiveCard | undefined> {
  if (await services.signIn.ensureSignedIn(context, replay)) return undefined;
  return messageCard({
    title: 'Sign-in needed',
    text: 'Your Elevate sign-in expired. Sign in with the card below; your request will continue from a fresh request card.',
  });
}

export async function refuseNotYours(services: TeamsServices, tapper: string, requestId: string): Promise<AdaptiveCard> {
  services.logger.warn({ tapper, requestId }, "refused a tap on another user's request");
  const record = (await services.elevation.store.getElevation(requestId))?.value;
  await audit(services.elevation, 'refusedTap', {
    ...(record ? { record } : {}),
    actor: { aadObjectId: tapper },
    details: { reason: 'not the requester', requestId },
  });
  return messageCard({
    title: 'Refused',
    text: 'Only the person who started this request can submit it. Type `elevate me in <environment>` to start your own.',
  });
}

/** The requester's card for the record's current state (approval window from the settings). */
export function recordCard(services: TeamsServices, record: ElevationRecord): AdaptiveCard {
  return elevationCard(record, { activationWindowMinutes: services.elevation.settings.approvalActivationWindowMinutes });
}

/**
 * Replaces the tapped card later (for work that outlives the invoke): the conversation reference
 * and the card's activity id are taken now, the update is sent proactively. Never throws.
 */
export function tappedCardUpdater(services: TeamsServices, context: TurnContext): (card: AdaptiveCard) => Promise<void> {
  const reference = referenceOf(context.activity);
  const cardId = context.activity.replyToId;
  return async (card) => {
    if (!cardId) return;
    try {
      await replaceCard(services.adapter, services.botId, reference, cardId, card);
    } catch (error) {
      services.logger.warn({ err: error }, 'could not update the tapped card');
    }
  };
}
