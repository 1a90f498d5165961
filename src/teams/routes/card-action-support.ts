import { elevationById } from '../../use-cases/requester-status.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { RETENTION } from '../../domain/retention.js';
import { audit } from '../../use-cases/audit-trail.js';
import { elevationCard, messageCard, type AdaptiveCard } from '../cards/elevation-cards.js';
import { VERBS } from '../cards/verbs.js';
import type { Turn } from '../turn.js';
import type { TeamsServices } from '../services.js';
import { ENGLISH, textsFor, type Texts } from '../locale/texts.js';

export type CardData = Record<string, unknown>;
export type VerbHandler = (services: TeamsServices, turn: Turn, data: CardData) => Promise<AdaptiveCard>;

export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Answers with a sign-in prompt when the tapper has no session (e.g. after a restart). */
export async function needsSignIn(services: TeamsServices, turn: Turn, replay: string): Promise<AdaptiveCard | undefined> {
  if (await services.signIn.ensureSignedIn(turn, replay)) return undefined;
  const { c } = textsFor(turn.chat);
  return messageCard({ title: c.chat.signingIn, text: c.chat.signingInText });
}

const ISSUED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A request card whose request is gone: Elevate removes unsubmitted requests after a day, and all
 * but a requester's newest few (README "What Elevate keeps and for how long"). **Start again**
 * carries the environment id of the tapped card: the new request re-checks it like a typed one.
 */
export function expiredRequestCard(data: CardData, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c.chat;
  // Not an id Elevate hands out (a random UUID): nothing expired, the card was not Elevate's.
  if (!ISSUED_ID.test(text(data.requestId) ?? '')) return messageCard({ title: c.requestNotFound, text: c.requestGone });
  const environmentId = text(data.environmentId)?.slice(0, 200);
  return messageCard({
    title: c.requestExpired,
    text: texts.fill(c.requestExpiredText, { hours: RETENTION.draftHours, count: RETENTION.unsubmittedPerRequester }),
    ...(environmentId ? { buttons: [{ title: c.startAgain, verb: VERBS.start, data: { environmentId } }] } : {}),
  });
}

export async function refuseNotYours(services: TeamsServices, tapper: string, requestId: string, texts: Texts = ENGLISH): Promise<AdaptiveCard> {
  services.logger.warn({ tapper, requestId }, "refused a tap on another user's request");
  const record = await elevationById(services.elevation, requestId);
  await audit(services.elevation, 'refusedTap', {
    ...(record ? { record } : {}),
    actor: { aadObjectId: tapper },
    details: { reason: 'not the requester', requestId },
  });
  return messageCard({ title: texts.c.chat.refused, text: texts.c.chat.onlyStarterSubmit });
}

/** The requester's card for the record's current state (approval window from the settings). */
export function recordCard(services: TeamsServices, record: ElevationRecord, texts: Texts = ENGLISH): AdaptiveCard {
  return elevationCard(record, { activationWindowMinutes: services.elevation.settings.approvalActivationWindowMinutes, texts });
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
  const { c } = textsFor(turn.chat);
  const card = messageCard({ title: c.chat.unknownButton, text: c.chat.unknownButtonText, tone: 'warning' });
  await answerWithCard(turn, card);
}
