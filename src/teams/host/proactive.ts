import { CardFactory, TeamsInfo, TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';

/**
 * Proactive Bot Framework calls Elevate makes outside a user's turn: the conversation reference
 * kept for later, replacing a card in place, and a new thread in a team channel. Errors propagate
 * (a proactive turn has nobody to show them to): callers log or retry.
 */

/** The conversation reference of an activity, without the activity id (no secrets: ids and the service URL). */
export function referenceOf(activity: Partial<Activity>): Partial<ConversationReference> {
  const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(activity);
  return reference;
}

/** Replaces the card of message `activityId` in the conversation of `reference` (`conversationId` when it differs). */
export async function replaceCard(
  adapter: CloudAdapter,
  botId: string,
  reference: Partial<ConversationReference>,
  activityId: string,
  card: object,
  conversationId = reference.conversation?.id,
): Promise<void> {
  await adapter.continueConversationAsync(botId, reference, async (context) => {
    await context.updateActivity({
      type: 'message',
      id: activityId,
      conversation: { ...reference.conversation!, id: conversationId! },
      attachments: [CardFactory.adaptiveCard(card)],
    });
  });
}

/**
 * Posts `activity` as a new thread in a team channel; answers where it landed (the thread's
 * reference and the post's id), to update it later. Without a bot id (the Agents Playground) it
 * is sent to the reference's conversation.
 */
export async function postToChannel(
  adapter: CloudAdapter,
  botId: string,
  channel: { reference: Partial<ConversationReference>; channelId: string },
  activity: Partial<Activity>,
): Promise<{ reference: Partial<ConversationReference>; activityId: string }> {
  let posted = { reference: channel.reference, activityId: '' };
  await adapter.continueConversationAsync(botId, channel.reference, async (context) => {
    if (botId) {
      const [reference, created] = await TeamsInfo.sendMessageToTeamsChannel(context, activity as Activity, channel.channelId, botId);
      const { activityId: _activityId, ...thread } = reference;
      posted = { reference: thread, activityId: rootMessageId(created, reference) };
    } else {
      const sent = await context.sendActivity(activity);
      posted = { reference: channel.reference, activityId: sent?.id ?? '' };
    }
  });
  return posted;
}

/**
 * The id of a new channel post. Under CloudAdapter, `sendMessageToTeamsChannel` hands back the new
 * conversation's id ("<channel>;messageid=<root>") where an activity id is expected; the post is the
 * thread's root message, so its id is the `messageid` part.
 */
function rootMessageId(created: string, reference: Partial<ConversationReference>): string {
  const thread = /;messageid=([^;]+)$/.exec(created) ?? /;messageid=([^;]+)$/.exec(reference.conversation?.id ?? '');
  return thread?.[1] ?? created;
}
