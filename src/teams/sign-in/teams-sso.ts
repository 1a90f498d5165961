import type { Logger } from 'pino';
import type { SignedInUser, TokenBroker } from '../../ports/token-broker.js';
import { messageCard } from '../cards/elevation-cards.js';
import { textsFor } from '../locale/texts.js';
import type { Turn } from '../turn.js';

/** A message that arrived before the user was signed in; replayed after the token exchange. */
export interface PendingTurn {
  text: string;
  conversationId: string;
  at: number;
}

/** Gets a Teams-SSO-equivalent token without Teams (development sign-in, see README). */
export type DevSsoTokenSource = (aadObjectId: string) => Promise<string>;

const PENDING_TTL_MS = 10 * 60 * 1000;

/**
 * Teams SSO for the bot (docs/api-contracts.md §5): an OAuth card with a `tokenExchangeResource` makes the
 * Teams client mint a token for the app's `webApplicationInfo` resource silently and send it back in
 * a `signin/tokenExchange` invoke. The token is validated and kept in memory by the TokenBroker;
 * on-behalf-of exchanges happen when a use case needs Graph or Power Platform.
 */
export class SignIn {
  private readonly pending = new Map<string, PendingTurn>();
  private readonly exchanged = new Map<string, number>();
  /** Entra object id → the Teams user id (`from.id`) of the turn that signed it in (turn-gate.ts). */
  private readonly teamsUserIds = new Map<string, string>();

  constructor(
    private readonly tokens: TokenBroker,
    private readonly options: {
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
      this.bind(oid, turn.from.id);
      return true;
    }
    this.pending.set(oid, { text, conversationId: turn.chat.conversationId, at: Date.now() });
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
    if (value.id && this.exchanged.has(value.id)) {
      await turn.respond(200, body);
      return {};
    }
    try {
      if (!value.token || !oid) throw new Error('token exchange without token or sender');
      const user = await this.tokens.acceptSsoToken(value.token, oid);
      this.bind(oid, turn.from.id);
      if (value.id) this.remember(value.id);
      await turn.respond(200, body);
      const pending = this.pending.get(oid);
      this.pending.delete(oid);
      return pending && Date.now() - pending.at < PENDING_TTL_MS ? { user, pending } : { user };
    } catch (error) {
      this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'SSO token exchange refused');
      await turn.respond(412, { ...body, failureDetail: 'The sign-in token could not be used. Use the sign-in button.' });
      return {};
    }
  }

  /**
   * The Teams user id this object id signed in with (Teams SSO or development sign-in): later turns
   * that claim the object id must come from it, whatever the conversation (1:1 or a channel).
   */
  boundTeamsUserId(aadObjectId: string): string | undefined {
    return this.teamsUserIds.get(aadObjectId.toLowerCase());
  }

  private bind(aadObjectId: string, teamsUserId: string | undefined): void {
    if (teamsUserId) this.teamsUserIds.set(aadObjectId.toLowerCase(), teamsUserId);
  }

  private remember(id: string): void {
    const now = Date.now();
    this.exchanged.set(id, now);
    for (const [key, at] of this.exchanged) if (now - at > PENDING_TTL_MS) this.exchanged.delete(key);
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
