/**
 * Elevate's own words for where a message goes and how it gets there, so that nothing outside
 * `src/teams/host/` (and nothing in the store) depends on the Bot Framework SDK: a move to the Teams
 * SDK or the Microsoft 365 Agents SDK replaces `host/` only (docs/api-contracts.md §8, "SDK status").
 */

/** A Teams chat or channel Elevate can write to later (stored: ids and the service URL, no secrets). */
export interface ChatAddress {
  /** Teams conversation id: `a:…` (1:1), `19:…@thread.tacv2` (a channel), with `;messageid=N` for a thread. */
  conversationId: string;
  /** The Bot Framework service URL of the tenant's Teams region. */
  serviceUrl: string;
  tenantId?: string;
  conversationType?: string;
  /** The bot's Teams id (`28:<app id>`) as Teams addressed it. */
  botId?: string;
  /** 1:1 chats: the user's Teams id (`29:…`) and Entra object id. */
  user?: { id: string; aadObjectId?: string; name?: string };
  /** The user's Teams locale and time zone, kept for proactive messages (they have no activity to read them from). */
  locale?: string;
  timezone?: string;
}

/** A message Elevate posted, to update it in place later. */
export interface PostedMessage {
  chat: ChatAddress;
  messageId: string;
}

/** What Elevate sends: an Adaptive Card (with the notification text Teams shows), plain text, or a Teams SSO sign-in card. */
export type OutboundMessage = { card: object; summary?: string } | { text: string } | { signIn: { title: string; text: string; link: string } };

/** Sends and updates messages outside a user's turn (proactive): implemented in `host/messenger.ts`. */
export interface Messenger {
  /** A new message in the chat; its message id. */
  send(chat: ChatAddress, message: OutboundMessage): Promise<string | undefined>;
  /** Replaces the card of a message in place. */
  replace(chat: ChatAddress, messageId: string, card: object): Promise<void>;
  /** A new thread in a team channel (`channelId`), through the channel's team chat. */
  startThread(channel: { chat: ChatAddress; channelId: string }, message: OutboundMessage): Promise<PostedMessage>;
  /** A new 1:1 chat with a user of the tenant (by Entra object id) and a first message in it. */
  openPersonalChat(target: { serviceUrl: string; tenantId: string; aadObjectId: string }, message: OutboundMessage): Promise<PostedMessage>;
}

/**
 * A chat address from what the store holds: this version's `ChatAddress`, or a Bot Framework
 * `ConversationReference` that earlier versions stored (`{ serviceUrl, conversation: { id, … }, bot, user, locale }`).
 * Undefined for anything else.
 */
export function chatAddressOf(stored: unknown): ChatAddress | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const value = stored as Record<string, unknown>;
  if (typeof value['conversationId'] === 'string' && typeof value['serviceUrl'] === 'string') return value as unknown as ChatAddress;
  const conversation = value['conversation'] as { id?: unknown; tenantId?: unknown; conversationType?: unknown } | undefined;
  if (typeof conversation?.id !== 'string' || typeof value['serviceUrl'] !== 'string') return undefined;
  const bot = value['bot'] as { id?: unknown } | undefined;
  const user = value['user'] as { id?: unknown; aadObjectId?: unknown; name?: unknown } | undefined;
  return {
    conversationId: conversation.id,
    serviceUrl: value['serviceUrl'],
    ...(typeof conversation.tenantId === 'string' ? { tenantId: conversation.tenantId } : {}),
    ...(typeof conversation.conversationType === 'string' ? { conversationType: conversation.conversationType } : {}),
    ...(typeof bot?.id === 'string' ? { botId: bot.id } : {}),
    ...(typeof user?.id === 'string'
      ? {
          user: {
            id: user.id,
            ...(typeof user.aadObjectId === 'string' ? { aadObjectId: user.aadObjectId } : {}),
            ...(typeof user.name === 'string' ? { name: user.name } : {}),
          },
        }
      : {}),
    ...(typeof value['locale'] === 'string' ? { locale: value['locale'] } : {}),
  };
}

/** Whether the stored value is already this version's shape (no migration needed). */
export function isChatAddress(stored: unknown): stored is ChatAddress {
  return typeof stored === 'object' && stored !== null && typeof (stored as { conversationId?: unknown }).conversationId === 'string';
}
