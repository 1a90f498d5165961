import { ActivityTypes, CardFactory, MessageFactory, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ChatAddress, OutboundMessage } from '../chat.js';
import type { Turn } from '../turn.js';
import { randomUUID } from 'node:crypto';

/** The Elevate turn of one SDK turn: the facts routes read, and the three ways to answer. */
export function teamsTurn(context: TurnContext): Turn {
  const { activity } = context;
  const data = (activity.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string; name?: string } };
  return {
    type: activity.type,
    name: activity.name,
    text: typeof activity.text === 'string' ? activity.text : '',
    value: activity.value,
    activityId: activity.id,
    replyToId: activity.replyToId,
    from: {
      id: activity.from?.id ?? '',
      ...(activity.from?.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
      ...(activity.from?.name ? { name: activity.from.name } : {}),
    },
    chat: chatOf(activity),
    team:
      data.channel?.id || data.team?.id
        ? {
            ...(data.team?.id ? { teamId: data.team.id } : {}),
            ...(data.channel?.id ? { channelId: data.channel.id } : {}),
            ...(data.channel?.name ? { channelName: data.channel.name } : {}),
          }
        : undefined,
    utcOffsetMinutes: utcOffset(activity),
    send: async (message) => (await context.sendActivity(toActivity(message)))?.id,
    update: async (messageId, card) => {
      await context.updateActivity({ type: 'message', id: messageId, conversation: activity.conversation, attachments: [CardFactory.adaptiveCard(card)] });
    },
    respond: async (status, body) => {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
    },
  };
}

/** Where an activity came from, in Elevate's terms (ids, the service URL, the user's locale and time zone). */
export function chatOf(activity: Partial<Activity>): ChatAddress {
  const reference = TurnContext.getConversationReference(activity);
  const user = activity.from;
  // Teams sends the IANA zone as the activity's `localTimezone` and in its `clientInfo` entity; either is kept.
  const timezone = activity.localTimezone ?? (activity.entities ?? []).find((e) => e.type === 'clientInfo')?.['timezone'];
  return {
    conversationId: reference.conversation?.id ?? '',
    serviceUrl: reference.serviceUrl ?? '',
    ...(reference.conversation?.tenantId ? { tenantId: reference.conversation.tenantId } : {}),
    ...(reference.conversation?.conversationType ? { conversationType: reference.conversation.conversationType } : {}),
    ...(reference.bot?.id ? { botId: reference.bot.id } : {}),
    ...(user?.id && isPersonalConversation(reference)
      ? { user: { id: user.id, ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}), ...(user.name ? { name: user.name } : {}) } }
      : {}),
    ...(activity.locale ? { locale: activity.locale } : {}),
    ...(typeof timezone === 'string' ? { timezone } : {}),
  };
}

function isPersonalConversation(reference: Partial<ConversationReference>): boolean {
  const type = reference.conversation?.conversationType;
  return type === undefined || type === 'personal';
}

/** The SDK's conversation reference of a chat address, for proactive calls. */
export function referenceTo(chat: ChatAddress, botAppId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: chat.serviceUrl,
    conversation: {
      id: chat.conversationId,
      isGroup: chat.conversationType !== undefined && chat.conversationType !== 'personal',
      conversationType: chat.conversationType ?? 'personal',
      ...(chat.tenantId ? { tenantId: chat.tenantId } : {}),
      name: '',
    },
    bot: { id: chat.botId ?? `28:${botAppId}`, name: 'Elevate' },
    ...(chat.user ? { user: { id: chat.user.id, name: chat.user.name ?? '', ...(chat.user.aadObjectId ? { aadObjectId: chat.user.aadObjectId } : {}) } } : {}),
    ...(chat.locale ? { locale: chat.locale } : {}),
  };
}

/** An outbound message as an activity: an Adaptive Card with its notification text, or a Teams SSO OAuth card. */
export function toActivity(message: OutboundMessage): Partial<Activity> {
  if ('signIn' in message) {
    const { title, text, link } = message.signIn;
    // A token exchange resource makes the Teams client answer silently with `signin/tokenExchange` (docs/api-contracts.md §5).
    return MessageFactory.attachment(CardFactory.oauthCard('', title, text, link, { id: `${randomUUID()}-elevate-sso` }));
  }
  if ('text' in message) return MessageFactory.text(message.text);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(message.card));
  if (message.summary) activity.summary = message.summary;
  return activity;
}

/** Minutes east of UTC from the Teams `localTimestamp` (for `until 17:00`), 0 when absent. */
function utcOffset(activity: Activity): number {
  const raw = (activity as { rawLocalTimestamp?: string }).rawLocalTimestamp;
  const match = raw?.match(/([+-])(\d{2}):(\d{2})$/);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
