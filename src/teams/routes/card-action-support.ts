import { elevationById } from '../../use-cases/requester-status.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { RETENTION } from '../../domain/retention.js';
import { audit } from '../../use-cases/audit-trail.js';
import { elevationCard, messageCard, type AdaptiveCard } from '../cards/elevation-cards.js';
import { VERBS } from '../cards/verbs.js';
import type { Turn } from '../turn.js';
import type { TeamsServices } from '../services.js';

export type CardData = Record<string, unknown>;
export type VerbHandler = (services: TeamsServices, turn: Turn, data: CardData) => Promise<AdaptiveCard>;

export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Answers with a sign-in prompt when the tapper has no session (e.g. after a restart). */
export async function needsSignIn(services: TeamsServices, turn: Turn, replay: string): Promise<AdaptiveCard | undefined> {
  if (await services.signIn.ensureSignedIn(turn, replay)) return undefined;
  return messageCard({
    title: 'Sign-in needed',
    text: 'Your Elevate sign-in expired. Sign in with the card below; your request will continue from a fresh request card.',
  });
}

/**
 * A request card whose request is gone: Elevate removes unsubmitted requests after a day, and all
 * but a requester's newest few (README "What Elevate keeps and for how long"). **Start again**
 * carries the environment id of the tapped card: the new request re-checks it like a typed one.
 */
export function expiredRequestCard(data: CardData): AdaptiveCard {
  const environmentId = text(data.environmentId)?.slice(0, 200);
  return messageCard({
    title: 'This request expired',
    text:
      `Elevate removes requests that are not submitted within ${RETENTION.draftHours} hours, and keeps only your ${RETENTION.unsubmittedPerRequester} newest. ` +
      'Nothing was sent to PIM. Type "elevate me in <environment>" to start a new one.',
    ...(environmentId ? { buttons: [{ title: 'Start again', verb: VERBS.start, data: { environmentId } }] } : {}),
  });
}

export async function refuseNotYours(services: TeamsServices, tapper: string, requestId: string): Promise<AdaptiveCard> {
  services.logger.warn({ tapper, requestId }, "refused a tap on another user's request");
  const record = await elevationById(services.elevation, requestId);
  await audit(services.elevation, 'refusedTap', {
    ...(record ? { record } : {}),
    actor: { aadObjectId: tapper },
    details: { reason: 'not the requester', requestId },
  });
  return messageCard({
    title: 'Refused',
    text: 'Only the person who started this request can submit it. Type "elevate me in <environment>" to start your own.',
  });
}

/** The requester's card for the record's current state (approval window from the settings). */
export function recordCard(services: TeamsServices, record: ElevationRecord): AdaptiveCard {
  return elevationCard(record, { activationWindowMinutes: services.elevation.settings.approvalActivationWindowMinutes });
}

/**
 * Replaces the tapped card later (for work that outlives the invoke): the chat and the card's
 * message id are taken now, the update goes through the outbox. Never throws.
 */
export function tappedCardUpdater(services: TeamsServices, turn: Turn): (card: AdaptiveCard) => Promise<void> {
  const chat = turn.chat;
  const cardId = turn.replyToId;
  return async (card) => {
    if (!cardId) return;
    try {
      await services.courier.replace(chat, cardId, card);
    } catch (error) {
      services.logger.warn({ err: error }, 'could not queue the tapped card update');
    }
  };
}

/** The invoke answer that shows `card` in place of the tapped one (Universal Actions). */
export async function answerWithCard(turn: Turn, card: AdaptiveCard): Promise<void> {
  await turn.respond(200, { statusCode: 200, type: ADAPTIVE_CARD, value: card });
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * A tap on a button Elevate has no verb for (a card of an older version, or a changed one), or an
 * `adaptiveCard/action` that is not an `Action.Execute`: a clear card instead of botbuilder's 501 with
 * an empty body, which Teams shows as a generic error. Nothing else happens.
 */
export async function answerUnknownAction(services: TeamsServices, turn: Turn): Promise<void> {
  // The verb is not logged: it is whatever the sender put there.
  services.logger.info({ event: 'unknownCardAction', activityId: turn.activityId }, 'card action Elevate does not have');
  const card = messageCard({
    title: 'This button is no longer supported',
    text: 'Elevate does not know this action: the card may be from an older version. Type "status" to see your elevations, or "help" for what Elevate can do.',
    tone: 'warning',
  });
  await answerWithCard(turn, card);
}
