import type { SignedInUser } from '../ports/token-broker.js';
import type { ChatAddress, Courier, OutboundMessage } from './chat.js';

/** Who sent an activity, as Teams states it. */
export interface TurnSender {
  /** Teams user id (`29:…`). */
  id: string;
  /** Entra object id: how Elevate identifies users, never by name or email. */
  aadObjectId?: string;
  name?: string;
}

/**
 * One activity Elevate handles, in Elevate's own terms: what came in (who, where, what) and how to
 * answer. Routes see only this; `host/teams-turn.ts` makes it from the SDK's turn, and
 * `replayTurn` makes one for a command replayed after sign-in.
 */
export interface Turn {
  /** `message`, `invoke`, `conversationUpdate`, … */
  readonly type: string;
  /** The invoke's name (`adaptiveCard/action`, `signin/tokenExchange`). */
  readonly name: string | undefined;
  readonly text: string;
  readonly value: unknown;
  readonly activityId: string | undefined;
  /** The message a card action was tapped on. */
  readonly replyToId: string | undefined;
  readonly from: TurnSender;
  /** This conversation, to write to it later. */
  readonly chat: ChatAddress;
  /** In a team channel: the team and channel as Teams names them. */
  readonly team: { teamId?: string; channelId?: string; channelName?: string } | undefined;
  /** Minutes east of UTC of the sender's clock (for times typed in commands); 0 when unknown. */
  readonly utcOffsetMinutes: number;
  /** A new message in this conversation; its id (undefined when it was queued, not sent yet). */
  send(message: OutboundMessage): Promise<string | undefined>;
  /** Replaces a message of this conversation. */
  update(messageId: string, card: object): Promise<void>;
  /** The answer to an invoke (status and body). */
  respond(status: number, body?: unknown): Promise<void>;
}

/** The sender as a signed-in user would be: by Entra object id, with the tenant the activity comes from. */
export function turnUser(turn: Pick<Turn, 'from' | 'chat'>): (SignedInUser & { name: string }) | undefined {
  const { aadObjectId, name } = turn.from;
  if (!aadObjectId) return undefined;
  return { aadObjectId, tenantId: turn.chat.tenantId ?? '', name: name ?? aadObjectId };
}

/** Whether this is a 1:1 chat (Teams leaves `conversationType` out in some 1:1 activities). */
export function isPersonal(turn: Pick<Turn, 'chat'>): boolean {
  return turn.chat.conversationType === undefined || turn.chat.conversationType === 'personal';
}

/**
 * A turn outside Teams' request: the message that started sign-in, run again once the user signed
 * in (Teams SSO or the interactive sign-in), answering in the same chat through the outbox.
 */
export function replayTurn(courier: Courier, chat: ChatAddress, from: TurnSender, text: string, replyToId?: string): Turn {
  return {
    type: 'message',
    name: undefined,
    text,
    value: undefined,
    activityId: undefined,
    replyToId,
    from,
    chat,
    team: undefined,
    utcOffsetMinutes: 0,
    send: async (message) => {
      await courier.send(chat, message);
      return undefined;
    },
    update: (messageId, card) => courier.replace(chat, messageId, card),
    respond: async () => undefined,
  };
}
