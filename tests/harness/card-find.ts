import { ADAPTIVE_CARD, type AdaptiveCard } from './cards.js';
import type { BotActivity, RecordedActivity } from './control.js';

/**
 * Getting at the cards in what the bot sent: a recorded activity (its latest version), a plain
 * activity, or an invoke response (`{ statusCode, type, value }`, docs/api-contracts.md §5).
 */
export type CardSource = RecordedActivity | BotActivity | { statusCode?: number; type?: string; value?: unknown } | undefined | null;

export const OAUTH_CARD = 'application/vnd.microsoft.card.oauth';
export const LOGIN_REQUEST = 'application/vnd.microsoft.activity.loginRequest';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function activityOf(source: CardSource): BotActivity | undefined {
  if (!isObject(source)) return undefined;
  const inner = (source as Record<string, unknown>)['activity'];
  if (isObject(inner) && 'updates' in source) return inner as BotActivity;
  return source as BotActivity;
}

function attachmentContent(source: CardSource, contentType: string): unknown {
  const activity = activityOf(source);
  const attachments = Array.isArray(activity?.attachments) ? activity.attachments : [];
  return attachments.find((a) => isObject(a) && a.contentType === contentType)?.content;
}

/** The Adaptive Card in `source`, or `undefined`. */
export function cardOf(source: CardSource): AdaptiveCard | undefined {
  if (isObject(source) && source['type'] === ADAPTIVE_CARD && isObject(source['value'])) return source['value'] as AdaptiveCard;
  const content = attachmentContent(source, ADAPTIVE_CARD);
  return isObject(content) && content['type'] === 'AdaptiveCard' ? (content as AdaptiveCard) : undefined;
}

/** The Adaptive Card in `source` (for a recorded activity: its latest version); throws when there is none. */
export function latestCard(source: CardSource): AdaptiveCard {
  const card = cardOf(source);
  if (!card) {
    const activity = activityOf(source);
    throw new Error(`no Adaptive Card in ${JSON.stringify(activity ?? source)?.slice(0, 300)}`);
  }
  return card;
}

export interface OAuthCardInfo {
  /** `tokenExchangeResource.id`, echoed in `signin/tokenExchange`. */
  id: string;
  connectionName: string;
  uri?: string;
}

function oauthInfo(content: unknown): OAuthCardInfo | undefined {
  if (!isObject(content) || !isObject(content['tokenExchangeResource'])) return undefined;
  const id = content['tokenExchangeResource']['id'];
  const connectionName = content['connectionName'];
  if (typeof id !== 'string' || typeof connectionName !== 'string') return undefined;
  const uri = content['tokenExchangeResource']['uri'];
  return { id, connectionName, ...(typeof uri === 'string' ? { uri } : {}) };
}

/**
 * The SSO part of an OAuth card (attachment `application/vnd.microsoft.card.oauth`) or of a
 * Universal Actions login request (401 `application/vnd.microsoft.activity.loginRequest`).
 */
export function oauthCardOf(source: CardSource): OAuthCardInfo | undefined {
  if (isObject(source) && source['type'] === LOGIN_REQUEST) return oauthInfo(source['value']);
  return oauthInfo(attachmentContent(source, OAUTH_CARD));
}
