import type { Logger } from 'pino';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { SignedInUser, TokenBroker } from '../../ports/token-broker.js';
import { compareAndSwap, documentAccess } from '../../use-cases/compare-and-swap.js';
import { messageCard } from '../cards/elevation-cards.js';
import { textsFor } from '../locale/texts.js';
import type { Turn } from '../turn.js';

/** A message that arrived before the user was signed in; replayed after the token exchange. */
export interface PendingTurn {
  text: string;
  conversationId: string;
  at: number;
  /**
   * A card tap that needed the sign-in (on an instance without the user's token): replayed as the
   * same tap, which updates the tapped card, instead of `text` (a fresh request card to fill again).
   */
  action?: PendingAction;
}

export interface PendingAction {
  verb: string;
  data: Record<string, unknown>;
  /** The tapped card's message. */
  replyToId: string;
}

/** Card data above this (JSON) is not kept for a replay; the text replay still runs. */
const MAX_ACTION_BYTES = 8 * 1024;

/** The tap of an `adaptiveCard/action` turn, when it can be replayed after sign-in. */
function pendingAction(turn: Turn): PendingAction | undefined {
  if (turn.name !== 'adaptiveCard/action' || !turn.replyToId) return undefined;
  const action = (turn.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  if (typeof action?.verb !== 'string' || typeof action.data !== 'object' || action.data === null || Array.isArray(action.data)) return undefined;
  if (JSON.stringify(action.data).length > MAX_ACTION_BYTES) return undefined;
  return { verb: action.verb, data: action.data as Record<string, unknown>, replyToId: turn.replyToId };
}

/** Gets a Teams-SSO-equivalent token without Teams (development sign-in, see README). */
export type DevSsoTokenSource = (aadObjectId: string) => Promise<string>;

const PENDING_TTL_MS = 10 * 60 * 1000;

/** Store documents (one per user, so bounded by the tenant's users): any instance may take the next activity. */
const pendingKey = (aadObjectId: string) => `sso-pending:${aadObjectId.toLowerCase()}`;
const bindingKey = (aadObjectId: string) => `teams-user:${aadObjectId.toLowerCase()}`;
/**
 * How long a binding holds after the sign-in that made it: about a sign-in session, as when it lived
 * in one process's memory (a user whose Teams id changed is not shut out for longer).
 */
const BINDING_TTL_MS = 24 * 60 * 60 * 1000;
interface Binding {
  teamsUserId: string;
  at: number;
}
/** A `signin/tokenExchange` id acted on (Teams sends one per client endpoint), as a store claim. */
const exchangeClaim = (id: string) => `sso-exchange:${id}`;

/**
 * Teams SSO for the bot (docs/api-contracts.md §5): an OAuth card with a `tokenExchangeResource` makes the
 * Teams client mint a token for the app's `webApplicationInfo` resource silently and send it back in
 * a `signin/tokenExchange` invoke. The token is validated and kept in memory by the TokenBroker;
 * on-behalf-of exchanges happen when a use case needs Graph or Power Platform.
 */
export class SignIn {
  /** Entra object id → the Teams user id (`from.id`) of the turn that signed it in (turn-gate.ts); the store's, cached. */
  private readonly bindings = new Map<string, Binding>();

  constructor(
    private readonly tokens: TokenBroker,
    private readonly options: {
      /** Pending turns, exchange ids and bindings live here: the exchange may reach another instance than the message. */
      store: Pick<ElevationStore, 'getDocument' | 'putDocument' | 'deleteDocument' | 'claimOnce'>;
      /** The sign-in button's link when silent SSO fails (Teams opens it): the interactive sign-in, which then replays `text`. */
      fallbackLink: (aadObjectId: string, text: string, conversationId: string) => Promise<string>;
      devSso?: DevSsoTokenSource;
      logger: Logger;
    },
  ) {}

  /**
   * True when the sender has a session. Otherwise starts sign-in (OAuth card, or the development
   * sign-in) and remembers `text` so it runs once the user is signed in.
   */
  async ensureSignedIn(turn: Turn, text: string): Promise<boolean> {
    const oid = turn.from.aadObjectId;
    if (!oid) {
      const { c } = textsFor(turn.chat);
      await turn.send({ card: messageCard({ title: c.signIn.whoTitle, text: c.signIn.whoText }) });
      return false;
    }
    if (this.tokens.hasSession(oid)) return true;
    if (this.options.devSso) {
      await this.tokens.acceptSsoToken(await this.options.devSso(oid));
      await this.bind(oid, turn.from.id);
      return true;
    }
    // The newest message wins (one per user); what it replaces was waiting for the same sign-in.
    const action = pendingAction(turn);
    const pending: PendingTurn = { text, conversationId: turn.chat.conversationId, at: Date.now(), ...(action ? { action } : {}) };
    await compareAndSwap(documentAccess<PendingTurn>(this.options.store, pendingKey(oid)), () => pending);
    const link = await this.options.fallbackLink(oid, text, turn.chat.conversationId);
    const { c } = textsFor(turn.chat);
    await turn.send({ signIn: { title: c.notice.signInTitle, text: c.signIn.prompt, link } });
    return false;
  }

  /**
   * Handles `signin/tokenExchange`. Teams may send the same exchange once per client endpoint:
   * only the first is acted on. Answers 412 (so Teams falls back to the sign-in button) when the
   * token is not valid for this app or not the sender's.
   */
  async exchange(turn: Turn): Promise<{ user?: SignedInUser; pending?: PendingTurn }> {
    const value = (turn.value ?? {}) as { id?: string; connectionName?: string; token?: string };
    const oid = turn.from.aadObjectId;
    const body = { id: value.id, connectionName: value.connectionName };
    let user: SignedInUser;
    try {
      if (!value.token || !oid) throw new Error('token exchange without token or sender');
      user = await this.tokens.acceptSsoToken(value.token, oid);
    } catch (error) {
      this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'SSO token exchange refused');
      await turn.respond(412, { ...body, failureDetail: 'The sign-in token could not be used. Use the sign-in button.' });
      return {};
    }
    // Every instance that gets the exchange keeps the token; only the first acts on the pending turn.
    await this.bind(oid, turn.from.id);
    await turn.respond(200, body);
    if (value.id && !(await this.options.store.claimOnce(exchangeClaim(value.id), new Date()))) return {};
    return { user, ...(await this.takePending(oid)) };
  }

  /** The turn waiting for this user's sign-in, removed (compare-and-swap: one instance replays it). */
  private async takePending(aadObjectId: string): Promise<{ pending?: PendingTurn }> {
    const stored = await this.options.store.getDocument<PendingTurn>(pendingKey(aadObjectId));
    if (!stored || !(await this.options.store.deleteDocument(pendingKey(aadObjectId), stored.version))) return {};
    return Date.now() - stored.value.at < PENDING_TTL_MS ? { pending: stored.value } : {};
  }

  /**
   * The Teams user id this object id signed in with (Teams SSO or development sign-in): later turns
   * that claim the object id must come from it, whatever the conversation (1:1 or a channel).
   */
  async boundTeamsUserId(aadObjectId: string): Promise<string | undefined> {
    const oid = aadObjectId.toLowerCase();
    const fresh = (binding: Binding | undefined) => (binding && Date.now() - binding.at <= BINDING_TTL_MS ? binding : undefined);
    const cached = fresh(this.bindings.get(oid));
    if (cached) return cached.teamsUserId;
    // Signed in through another instance: its binding is in the store. Only found ones are cached
    // (a user who signs in later, anywhere, is then seen at once).
    const stored = fresh((await this.options.store.getDocument<Binding>(bindingKey(oid)))?.value);
    if (stored) this.bindings.set(oid, stored);
    return stored?.teamsUserId;
  }

  private async bind(aadObjectId: string, teamsUserId: string | undefined): Promise<void> {
    if (!teamsUserId) return;
    const oid = aadObjectId.toLowerCase();
    const binding = { teamsUserId, at: Date.now() };
    this.bindings.set(oid, binding);
    await compareAndSwap(documentAccess<Binding>(this.options.store, bindingKey(oid)), () => binding);
  }
}

/** Development sign-in against the tenant simulator's `/_dev/sso-token` (config refuses it elsewhere). */
export function simulatorDevSso(authorityHost: string): DevSsoTokenSource {
  return async (aadObjectId) => {
    const response = await fetch(`${authorityHost}/_dev/sso-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: aadObjectId }),
    });
    if (!response.ok) throw new Error(`development sign-in failed with HTTP ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  };
}
