import { randomUUID } from 'node:crypto';
import type { TeamsUser } from './tenant.js';

/**
 * Activities shaped as Teams sends them to a bot. Sources: Teams "Conversation basics", full
 * inbound schema example (MicrosoftDocs/msteams-docs, bots/how-to/conversations/conversation-basics.md:
 * `from.id` "29:…" with `aadObjectId`, `recipient.id` "28:<bot id>", personal `conversation.id`
 * "a:…", `clientInfo` entity, `channelData.tenant.id`, `locale`); the invoke example in
 * msteams-docs (ids "f:…", `conversation.tenantId`); channel conversations and mentions
 * (bots/how-to/conversations/channel-and-group-conversations.md: `<at>Name</at>` text plus a
 * `mention` entity; `channelData.team`/`channel`; thread id "19:…@thread.tacv2;messageid=…").
 */
export type ConversationSpec =
  | { type?: 'personal'; id?: string }
  | {
      type: 'channel';
      /** Team id (the General channel's thread id), e.g. "19:…@thread.tacv2". */
      teamId: string;
      /** Channel thread id, e.g. "19:…@thread.tacv2". */
      channelId: string;
      name?: string;
      teamName?: string;
      /** Root message id of the reply chain; default: a new one per client. */
      threadId?: string;
    };

export interface ActivityContext {
  serviceUrl: string;
  user: TeamsUser;
  conversation: ConversationSpec;
  conversationId: string;
  tenantId: string;
  botId: string;
  botName: string;
}

/** A Teams activity as posted to the bot (loosely typed: tests may change any field). */
export type TeamsActivity = Record<string, unknown> & { type: string; id: string };

let lastMessageId = 0;

/** Teams message ids are epoch milliseconds as text ("1485983408511"); unique within the process. */
export function newMessageId(): string {
  lastMessageId = Math.max(Date.now(), lastMessageId + 1);
  return String(lastMessageId);
}

/** Invoke activities carry ids like "f:<guid>". */
export function newInvokeId(): string {
  return `f:${randomUUID()}`;
}

/** "a:1-<objectId>" for a personal chat, "<channelId>;messageid=<root>" for a channel reply chain. */
export function conversationIdFor(user: TeamsUser, spec: ConversationSpec): string {
  if (spec.type === 'channel') return `${spec.channelId};messageid=${spec.threadId ?? newMessageId()}`;
  return spec.id ?? `a:1-${user.id}`;
}

function conversationOf(ctx: ActivityContext): Record<string, unknown> {
  const spec = ctx.conversation;
  if (spec.type !== 'channel') return { id: ctx.conversationId, conversationType: 'personal', tenantId: ctx.tenantId };
  return { id: ctx.conversationId, conversationType: 'channel', isGroup: true, tenantId: ctx.tenantId, ...(spec.name ? { name: spec.name } : {}) };
}

function channelDataOf(ctx: ActivityContext): Record<string, unknown> {
  const spec = ctx.conversation;
  const tenant = { id: ctx.tenantId };
  if (spec.type !== 'channel') return { tenant };
  return {
    teamsChannelId: spec.channelId,
    teamsTeamId: spec.teamId,
    channel: { id: spec.channelId, ...(spec.name ? { name: spec.name } : {}) },
    team: { id: spec.teamId, ...(spec.teamName ? { name: spec.teamName } : {}) },
    tenant,
  };
}

/** The fields every activity from this user in this conversation shares. */
export function baseActivity(ctx: ActivityContext, type: string, id: string): TeamsActivity {
  return {
    type,
    id,
    timestamp: new Date().toISOString(),
    serviceUrl: ctx.serviceUrl,
    channelId: 'msteams',
    from: { id: `29:${ctx.user.id}`, name: ctx.user.name, aadObjectId: ctx.user.id },
    conversation: conversationOf(ctx),
    recipient: { id: `28:${ctx.botId}`, name: ctx.botName },
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/London' }],
    channelData: channelDataOf(ctx),
    locale: 'en-US',
  };
}

/** A typed message; in a channel it @mentions the bot, as a channel message must to reach it. */
export function messageActivity(ctx: ActivityContext, text: string): TeamsActivity {
  const activity = baseActivity(ctx, 'message', newMessageId());
  if (ctx.conversation.type !== 'channel') return { ...activity, text, textFormat: 'plain' };
  const at = `<at>${ctx.botName}</at>`;
  const mention = { type: 'mention', text: at, mentioned: { id: `28:${ctx.botId}`, name: ctx.botName } };
  return { ...activity, text: `${at} ${text}`, textFormat: 'plain', entities: [...(activity['entities'] as unknown[]), mention] };
}

export function invokeActivity(ctx: ActivityContext, name: string, value: unknown, replyToId?: string): TeamsActivity {
  return { ...baseActivity(ctx, 'invoke', newInvokeId()), name, value, ...(replyToId ? { replyToId } : {}) };
}

/** The `conversationUpdate` Teams sends when the app is installed (the bot and the user added). */
export function installActivity(ctx: ActivityContext): TeamsActivity {
  const activity = baseActivity(ctx, 'conversationUpdate', newInvokeId());
  const membersAdded = [{ id: `28:${ctx.botId}` }, { id: `29:${ctx.user.id}`, aadObjectId: ctx.user.id }];
  const channelData = ctx.conversation.type === 'channel' ? { ...(activity['channelData'] as object), eventType: 'teamMemberAdded' } : activity['channelData'];
  return { ...activity, membersAdded, channelData };
}
