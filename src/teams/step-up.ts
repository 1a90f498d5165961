import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { StepUp } from '../domain/elevation.js';
import type { SignedInUser, TokenBroker } from '../ports/token-broker.js';

/** What to do once the user has signed in. */
export type Continuation = { kind: 'elevation'; elevationId: string } | { kind: 'command'; text: string; conversationId: string };

interface Pending {
  aadObjectId: string;
  verifier: string;
  continuation: Continuation;
  at: number;
}

const TTL_MS = 15 * 60_000;
export const CALLBACK_PATH = '/auth/callback';

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/**
 * Interactive sign-in for what Teams SSO cannot do silently: consent, MFA and authentication-context
 * step-up (api-contracts §1, §2 "Step-up"). The card's **Sign in** opens Entra's authorize URL
 * (authorization code + PKCE, with the claims challenge); Entra redirects to `/auth/callback`, where
 * the code is redeemed for a token to Elevate's own API that then serves as the user's assertion for
 * on-behalf-of, and the interrupted work continues. State is kept in memory and single-use.
 */
export class StepUpSignIn {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly tokens: TokenBroker,
    private readonly options: { publicUrl: () => string; logger: Logger },
  ) {}

  /** The URL for the card's **Sign in** button. */
  async url(aadObjectId: string, continuation: Continuation, stepUp?: StepUp): Promise<string> {
    this.prune();
    const state = base64url(randomBytes(24));
    const verifier = base64url(randomBytes(48));
    this.pending.set(state, { aadObjectId, verifier, continuation, at: Date.now() });
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
    const pending = this.pending.get(state);
    this.pending.delete(state);
    if (!pending || Date.now() - pending.at > TTL_MS) throw new Error('unknown or expired sign-in state');
    const user = await this.tokens.redeemSignIn({ code, redirectUri: this.redirectUri(), codeVerifier: pending.verifier });
    if (user.aadObjectId !== pending.aadObjectId) {
      this.tokens.forget(user.aadObjectId);
      throw new Error('signed in as another user than the one who asked');
    }
    return { user, continuation: pending.continuation };
  }

  private redirectUri(): string {
    return `${this.options.publicUrl().replace(/\/+$/, '')}${CALLBACK_PATH}`;
  }

  private prune(): void {
    const now = Date.now();
    for (const [state, pending] of this.pending) if (now - pending.at > TTL_MS) this.pending.delete(state);
  }
}
