import {
  conversationIdFor,
  installActivity,
  invokeActivity,
  messageActivity,
  type ActivityContext,
  type ConversationSpec,
  type TeamsActivity,
} from './activities.js';
import { buildExecuteValue, buildRefreshValue, type ActionInputs, type BuildOptions } from './card-actions.js';
import { cardOf, oauthCardOf, type CardSource, type OAuthCardInfo } from './card-find.js';
import type { AdaptiveCard } from './cards.js';
import { channelTokenFor, type AuthMode } from './channel-auth.js';
import type { ControlClient, RecordedActivity, SsoTokenOptions } from './control.js';
import { request } from './https.js';
import { recordSecret } from './suite-record.js';
import { ActivityWatcher, type WaitOptions } from './activity-watcher.js';
import { BOT_ID, BOT_NAME, TENANT_ID, type TeamsUser } from './tenant.js';

export interface TeamsClientOptions {
  /**
   * The bot's base URL (`http://127.0.0.1:PORT`) or its `/api/messages` URL. Several: each activity
   * goes to the next one in turn (instances behind a load balancer), so a message, its token
   * exchange and the next tap reach different instances.
   */
  botUrl: string | readonly string[];
  sim: { baseUrl: string; control: ControlClient };
  user: TeamsUser;
  /** Default: the user's personal chat with the bot. */
  conversation?: ConversationSpec;
  botId?: string;
  botName?: string;
  tenantId?: string;
}

export interface SendOptions {
  /** Default 'valid'. */
  auth?: AuthMode;
  /** Use exactly this bearer token (wins over `auth`). */
  token?: string;
  timeoutMs?: number;
}

export interface SendResult<T = unknown> {
  status: number;
  /** For invokes: the invoke response body, e.g. `{ statusCode, type, value }`. */
  body: T;
  /** The activity that was sent (for `resend`). */
  activity: TeamsActivity;
}

export interface SignInOptions extends SendOptions {
  /** Answer this card (or login request) instead of waiting for a new OAuth card in the chat. */
  oauthCard?: OAuthCardInfo | CardSource | SendResult;
  /** Use this SSO token instead of minting one for the user. */
  ssoToken?: string;
  sso?: SsoTokenOptions;
  waitMs?: number;
}

export interface SignInResult extends SendResult {
  oauthCard: OAuthCardInfo;
}

export interface TapResult extends SendResult {
  /** The card of an `application/vnd.microsoft.card.adaptive` invoke response, now shown to this user. */
  card?: AdaptiveCard;
}

function isOAuthInfo(value: unknown): value is OAuthCardInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as OAuthCardInfo).id === 'string' &&
    typeof (value as OAuthCardInfo).connectionName === 'string'
  );
}

function isSendResult(value: unknown): value is SendResult {
  return typeof value === 'object' && value !== null && 'status' in value && 'activity' in value && 'body' in value;
}

/** The OAuth card in whatever the test handed over: the card info, an activity or record, or an invoke's result. */
function oauthCardIn(given: SignInOptions['oauthCard']): OAuthCardInfo {
  const info = isOAuthInfo(given) ? given : oauthCardOf((isSendResult(given) ? given.body : given) as CardSource);
  if (!info) throw new Error('signIn: the given source holds no OAuth card with a tokenExchangeResource');
  return info;
}

/**
 * One Teams user in one conversation with the bot: posts Teams-shaped activities with Bot
 * Framework tokens, answers OAuth cards with `signin/tokenExchange`, taps `Action.Execute`
 * buttons, and reads what the bot posted through the simulator's connector.
 */
export class TeamsClient extends ActivityWatcher {
  readonly user: TeamsUser;
  readonly conversationId: string;
  readonly serviceUrl: string;
  /** The last activity sent. */
  lastSent: TeamsActivity | undefined;
  private readonly messagesUrls: readonly string[];
  private sends = 0;
  /** Who and where this client is, for building activities by hand (activities.ts). */
  readonly context: ActivityContext;
  private readonly minted: string[] = [];
  private readonly exchanged = new Set<string>();

  constructor(options: TeamsClientOptions) {
    const conversation = options.conversation ?? { type: 'personal' };
    const conversationId = conversationIdFor(options.user, conversation);
    super(options.sim.control, conversationId, conversation.type === 'channel' ? conversation.channelId : undefined);
    this.user = options.user;
    this.conversationId = conversationId;
    this.serviceUrl = `${options.sim.baseUrl.replace(/\/+$/, '')}/connector/`;
    this.messagesUrls = (typeof options.botUrl === 'string' ? [options.botUrl] : options.botUrl).map((url) => {
      const bot = url.replace(/\/+$/, '');
      return bot.endsWith('/api/messages') ? bot : `${bot}/api/messages`;
    });
    this.context = {
      serviceUrl: this.serviceUrl,
      user: options.user,
      conversation,
      conversationId,
      tenantId: options.tenantId ?? TENANT_ID,
      botId: options.botId ?? BOT_ID,
      botName: options.botName ?? BOT_NAME,
    };
  }

  /** Every token this client minted or used (for `assertNoSecretsIn`). */
  tokens(): readonly string[] {
    return this.minted;
  }

  /** POSTs `activity` to the bot's `/api/messages` with a channel token (see `AuthMode`). */
  async send<T = unknown>(activity: TeamsActivity, options: SendOptions = {}): Promise<SendResult<T>> {
    const token = options.token ?? (await channelTokenFor(this.control, String(activity['serviceUrl'] ?? this.serviceUrl), options.auth ?? 'valid'));
    if (token) this.minted.push(token);
    if (options.token) recordSecret(options.token);
    this.lastSent = activity;
    const res = await request<T>(this.messagesUrls[this.sends++ % this.messagesUrls.length]!, {
      method: 'POST',
      body: activity,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    return { status: res.status, body: res.body, activity };
  }

  say(text: string, options?: SendOptions): Promise<SendResult> {
    return this.send(messageActivity(this.context, text), options);
  }

  /** Sends the same activity (same id) again, as a channel redelivering it does. */
  resend(activity: TeamsActivity | undefined = this.lastSent, options?: SendOptions): Promise<SendResult> {
    if (!activity) throw new Error('nothing was sent yet');
    return this.send(activity, options);
  }

  invoke<T = unknown>(name: string, value: unknown, replyToId?: string, options?: SendOptions): Promise<SendResult<T>> {
    return this.send<T>(invokeActivity(this.context, name, value, replyToId), options);
  }

  /** The `conversationUpdate` of installing the app in this conversation. */
  install(options?: SendOptions): Promise<SendResult> {
    return this.send(installActivity(this.context), options);
  }

  /**
   * Teams SSO: takes the newest OAuth card in this conversation that this client has not answered
   * yet (waiting for it), mints the user's SSO token and sends `signin/tokenExchange`
   * `{ id, connectionName, token }` (docs/api-contracts.md §5; msteams-docs bot-sso-code.md).
   */
  async signIn(options: SignInOptions = {}): Promise<SignInResult> {
    const card = await this.oauthCardToAnswer(options);
    const token = options.ssoToken ?? (await this.control.ssoToken(this.user.id, options.sso));
    this.minted.push(token);
    recordSecret(token);
    this.exchanged.add(card.id);
    const result = await this.invoke('signin/tokenExchange', { id: card.id, connectionName: card.connectionName, token }, undefined, options);
    return { ...result, oauthCard: card };
  }

  /**
   * Taps the `Action.Execute` with `verb` on the card of activity `card` (as this user sees it),
   * with `inputs` filled in; sends `adaptiveCard/action` with `replyToId` = the card's activity id.
   */
  async tap(card: string | RecordedActivity, verb: string, inputs: ActionInputs = {}, options: SendOptions & BuildOptions = {}): Promise<TapResult> {
    const record = typeof card === 'string' ? await this.recorded(card) : card;
    const value = buildExecuteValue(this.visibleCard(record), verb, inputs, options);
    return this.invokeCard(record, value, options);
  }

  /** What Teams does when it shows a card whose `refresh.userIds` lists this user. */
  async refresh(card: string | RecordedActivity, options: SendOptions = {}): Promise<TapResult> {
    const record = typeof card === 'string' ? await this.recorded(card) : card;
    return this.invokeCard(record, buildRefreshValue(this.visibleCard(record)), options);
  }

  private async invokeCard(record: RecordedActivity, value: unknown, options: SendOptions): Promise<TapResult> {
    const updatesBefore = record.updates.length;
    const result = await this.invoke('adaptiveCard/action', value, record.id, options);
    const card = cardOf(result.body as CardSource);
    if (card) this.showCard(record.id, card, updatesBefore);
    return card ? { ...result, card } : result;
  }

  private async oauthCardToAnswer(options: SignInOptions): Promise<OAuthCardInfo> {
    if (options.oauthCard !== undefined && options.oauthCard !== null) return oauthCardIn(options.oauthCard);
    return this.waitUntil(
      (records) => {
        const fresh = records.map((r) => oauthCardOf(r)).filter((c): c is OAuthCardInfo => c !== undefined && !this.exchanged.has(c.id));
        return fresh.at(-1);
      },
      { timeoutMs: options.waitMs ?? 10_000, what: 'an OAuth card not yet answered' },
    );
  }
}

export type { WaitOptions };
