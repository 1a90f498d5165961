import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { StepUp } from '../../domain/elevation.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { SignedInUser, TokenBroker } from '../../ports/token-broker.js';

/** What to do once the user has signed in. */
export type Continuation = { kind: 'elevation'; elevationId: string } | { kind: 'command'; text: string; conversationId: string };

/** What is stored per sign-in: no secret (the PKCE verifier is derived from the state, never stored). */
interface Pending {
  aadObjectId: string;
  continuation: Continuation;
  at: number;
}

const TTL_MS = 15 * 60_000;
export const CALLBACK_PATH = '/auth/callback';

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/**
 * Interactive sign-in for what Teams SSO cannot do silently: consent, MFA and authentication-context
 * step-up (docs/api-contracts.md §1, §2 "Step-up"). The card's **Sign in** opens Entra's authorize URL
 * (authorization code + PKCE, with the claims challenge); Entra redirects to `/auth/callback`, where
 * the code is redeemed for a token to Elevate's own API that then serves as the user's assertion for
 * on-behalf-of, and the interrupted work continues.
 *
 * The pending sign-in is kept in the store under a hash of its `state` (so the link survives a
 * restart and works on any instance) and is single-use (claimed on completion). The PKCE verifier
 * is never stored: it is an HMAC of the state under a key only the bot instances hold (derived
 * from the app's client secret), so a copy of the store cannot redeem a code.
 */
export class StepUpSignIn {
  constructor(
    private readonly tokens: TokenBroker,
    private readonly options: { publicUrl: () => string; logger: Logger; store: ElevationStore; verifierKey: string },
  ) {}

  /** The URL for the card's **Sign in** button. */
  async url(aadObjectId: string, continuation: Continuation, stepUp?: StepUp): Promise<string> {
    const state = base64url(randomBytes(24));
    const verifier = this.verifierOf(state);
    const pending: Pending = { aadObjectId, continuation, at: Date.now() };
    if (!(await this.options.store.putDocument(pendingKey(state), pending))) throw new Error('could not keep the sign-in state');
    return this.tokens.signInUrl({
      redirectUri: this.redirectUri(),
      state,
      codeChallenge: base64url(createHash('sha256').update(verifier).digest()),
      loginHint: aadObjectId,
      ...(stepUp?.claims ? { claims: stepUp.claims } : {}),
    });
  }

  /** Redeems the code of `state`; the signed-in user must be the one the sign-in was started for. */
  async complete(code: string, state: string): Promise<{ user: SignedInUser; continuation: Continuation }> {
    const pending = (await this.options.store.getDocument<Pending>(pendingKey(state)))?.value;
    if (!pending || Date.now() - pending.at > TTL_MS) throw new Error('unknown or expired sign-in state');
    // Single use, across instances and restarts: a replayed callback finds the state spent.
    if (!(await this.options.store.claimOnce(`${pendingKey(state)}:used`, new Date()))) throw new Error('sign-in state already used');
    const user = await this.tokens.redeemSignIn({ code, redirectUri: this.redirectUri(), codeVerifier: this.verifierOf(state) });
    if (user.aadObjectId !== pending.aadObjectId) {
      this.tokens.forget(user.aadObjectId);
      throw new Error('signed in as another user than the one who asked');
    }
    return { user, continuation: pending.continuation };
  }

  private redirectUri(): string {
    return `${this.options.publicUrl().replace(/\/+$/, '')}${CALLBACK_PATH}`;
  }

  /** PKCE verifier (43 characters of base64url, the RFC 7636 minimum) bound to the state by the bot's key. */
  private verifierOf(state: string): string {
    return base64url(createHmac('sha256', this.options.verifierKey).update(`pkce:${state}`).digest());
  }
}

/** The store key of a pending sign-in: a hash of the state, so the state itself is not stored either. */
function pendingKey(state: string): string {
  return `signin:${createHash('sha256').update(state).digest('hex')}`;
}
