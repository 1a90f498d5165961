import { CardFactory, TeamsInfo, TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ChatAddress, Messenger, OutboundMessage, PostedMessage } from '../chat.js';
import { chatOf, referenceTo, toActivity } from './teams-turn.js';

/**
 * The Bot Framework calls Elevate makes outside a user's turn (proactive): a new message, a card
 * replaced in place, a new thread in a team channel, a new 1:1 chat. Errors propagate (a proactive
 * turn has nobody to show them to): callers log or retry through the outbox.
 */
export class BotMessenger implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async send(chat: ChatAddress, message: OutboundMessage): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, referenceTo(chat, this.botAppId), async (context) => {
      id = (await context.sendActivity(toActivity(message)))?.id;
    });
    return id;
  }

  async replace(chat: ChatAddress, messageId: string, card: object): Promise<void> {
    const reference = referenceTo(chat, this.botAppId);
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      await context.updateActivity({ type: 'message', id: messageId, conversation: reference.conversation!, attachments: [CardFactory.adaptiveCard(card)] });
    });
  }

  /**
   * Without a bot id (the Agents Playground) the message goes to the chat itself: the Playground has no
   * team channels to start a thread in.
   */
  async startThread(channel: { chat: ChatAddress; channelId: string }, message: OutboundMessage): Promise<PostedMessage> {
    let posted: PostedMessage = { chat: channel.chat, messageId: '' };
    await this.adapter.continueConversationAsync(this.botAppId, referenceTo(channel.chat, this.botAppId), async (context) => {
      if (!this.botAppId) {
        posted = { chat: channel.chat, messageId: (await context.sendActivity(toActivity(message)))?.id ?? '' };
        return;
      }
      const [reference, created] = await TeamsInfo.sendMessageToTeamsChannel(context, toActivity(message) as Activity, channel.channelId, this.botAppId);
      const { activityId: _activityId, ...thread } = reference;
      posted = { chat: chatOf(asActivity(thread)), messageId: rootMessageId(created, reference) };
    });
    return posted;
  }

  async openPersonalChat(target: { serviceUrl: string; tenantId: string; aadObjectId: string }, message: OutboundMessage): Promise<PostedMessage> {
    let posted: PostedMessage | undefined;
    const parameters = {
      isGroup: false,
      bot: { id: `28:${this.botAppId}`, name: 'Elevate' },
      // Teams accepts the user's Entra object id as the member id of a new 1:1 conversation.
      members: [{ id: target.aadObjectId, aadObjectId: target.aadObjectId, name: '' }],
      tenantId: target.tenantId,
      channelData: { tenant: { id: target.tenantId } },
    };
    await this.adapter.createConversationAsync(
      this.botAppId,
      'msteams',
      target.serviceUrl,
      undefined as unknown as string,
      parameters as never,
      async (context) => {
        const sent = await context.sendActivity(toActivity(message));
        posted = { chat: chatOf(context.activity), messageId: sent?.id ?? '' };
      },
    );
    if (!posted) throw new Error('Teams created no conversation');
    return posted;
  }
}

/** A conversation reference read back as the activity it came from (for `chatOf`). */
function asActivity(reference: Partial<ConversationReference>): Partial<Activity> {
  return TurnContext.applyConversationReference({}, reference, true);
}

/**
 * The id of a new channel post. Under CloudAdapter, `sendMessageToTeamsChannel` hands back the new
 * conversation's id ("<channel>;messageid=<root>") where an activity id is expected; the post is the
 * thread's root message, so its id is the `messageid` part (docs/api-contracts.md §7).
 */
function rootMessageId(created: string, reference: Partial<ConversationReference>): string {
  const thread = /;messageid=([^;]+)$/.exec(created) ?? /;messageid=([^;]+)$/.exec(reference.conversation?.id ?? '');
  return thread?.[1] ?? created;
}
