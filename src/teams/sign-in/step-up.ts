import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { StepUp } from '../../domain/elevation.js';
import { ElevateError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { DurableTimer, TimerOutcome, TimerStore } from '../../ports/timer-store.js';
import type { SignedInUser, TokenBroker } from '../../ports/token-broker.js';
import { PendingSignIns, type Continuation } from './pending-sign-ins.js';

export { SIGN_IN_EXPIRY_KIND, type ApprovalContinuation, type Continuation } from './pending-sign-ins.js';

/** The browser came back signed in as someone else than the user the sign-in was started for. */
export class SignInOfAnotherUser extends ElevateError {
  constructor(
    readonly expectedObjectId: string,
    readonly signedInAs: SignedInUser,
    readonly continuation: Continuation,
  ) {
    super('signed in as another user than the one who asked', 'SignInOfAnotherUser');
  }
}

export const CALLBACK_PATH = '/auth/callback';

/**
 * `<object id, base64url>.<32 random characters of base64url>`: the object id finds the user's
 * pending sign-ins (it is the authorize URL's login_hint too: not a secret).
 */
const STATE = /^([A-Za-z0-9_-]{1,200})\.[A-Za-z0-9_-]{32}$/;

export interface StepUpOptions {
  publicUrl: () => string;
  logger: Logger;
  store: Pick<ElevationStore, 'getDocument' | 'putDocument' | 'deleteDocument'>;
  /** Where the timer that removes expired sign-ins goes. */
  timers: Pick<TimerStore, 'schedule'>;
  clock: Clock;
  verifierKey: string;
}

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/**
 * Interactive sign-in for what Teams SSO cannot do silently: consent, MFA and authentication-context
 * step-up (docs/api-contracts.md §1, §2 "Step-up"). The card's **Sign in** opens Entra's authorize URL
 * (authorization code + PKCE, with the claims challenge); Entra redirects to `/auth/callback`, where
 * the code is redeemed for a token to Elevate's own API that then serves as the user's assertion for
 * on-behalf-of, and the interrupted work continues.
 *
 * The pending sign-in is kept in the store (so the link survives a restart and works on any
 * instance) among the user's few pending ones, under a hash of its `state`, and is single-use
 * (removed with compare-and-swap on completion): see pending-sign-ins.ts. The PKCE verifier is
 * never stored: it is an HMAC of the state under a key only the bot instances hold (derived from
 * the app's client secret), so a copy of the store cannot redeem a code.
 */
export class StepUpSignIn {
  private readonly pending: PendingSignIns;

  constructor(
    private readonly tokens: TokenBroker,
    private readonly options: StepUpOptions,
  ) {
    this.pending = new PendingSignIns(options.store, options.timers, options.clock);
  }

  /** The URL for the card's **Sign in** button. */
  async url(aadObjectId: string, continuation: Continuation, stepUp?: StepUp): Promise<string> {
    const state = `${base64url(Buffer.from(aadObjectId, 'utf8'))}.${base64url(randomBytes(24))}`;
    const verifier = this.verifierOf(state);
    await this.pending.add(aadObjectId, stateHash(state), continuation);
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
    // A state of an earlier release (no object id in it) is unknown here: its page says to start again.
    const encoded = STATE.exec(state)?.[1];
    const aadObjectId = encoded === undefined ? undefined : Buffer.from(encoded, 'base64url').toString('utf8');
    // Single use, across instances and restarts: taking the entry removes it, so a replayed callback finds nothing.
    const continuation = aadObjectId ? await this.pending.take(aadObjectId, stateHash(state)) : undefined;
    if (!aadObjectId || !continuation) throw new Error('unknown, expired or already used sign-in state');
    const user = await this.tokens.redeemSignIn({ code, redirectUri: this.redirectUri(), codeVerifier: this.verifierOf(state) });
    if (user.aadObjectId !== aadObjectId) {
      this.tokens.forget(user.aadObjectId);
      throw new SignInOfAnotherUser(aadObjectId, user, continuation);
    }
    return { user, continuation };
  }

  /** Timer handler (`SIGN_IN_EXPIRY_KIND`): removes a user's pending sign-ins once all expired. */
  expire(timer: DurableTimer): Promise<TimerOutcome> {
    return this.pending.expire(timer);
  }

  private redirectUri(): string {
    return `${this.options.publicUrl().replace(/\/+$/, '')}${CALLBACK_PATH}`;
  }

  /** PKCE verifier (43 characters of base64url, the RFC 7636 minimum) bound to the state by the bot's key. */
  private verifierOf(state: string): string {
    return base64url(createHmac('sha256', this.options.verifierKey).update(`pkce:${state}`).digest());
  }
}

/** What identifies a pending sign-in in the store: a hash of the state, so the state itself is not stored. */
function stateHash(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}
