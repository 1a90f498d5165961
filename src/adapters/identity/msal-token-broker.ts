import { ConfidentialClientApplication, LogLevel, type AuthenticationResult } from '@azure/msal-node';
import type { Logger } from 'pino';
import { ElevateError, SignInRequiredError } from '../../domain/errors.js';
import type { SignedInUser, TokenBroker, TokenSource, UserResource } from '../../ports/token-broker.js';
import { HttpClient } from '../http/http-client.js';
import type { MsalClientCredential } from './app-credential.js';
import { mapOboError, tokenFailure } from './msal-errors.js';
import { delegatedScopes } from './permissions.js';
import { SsoTokenValidator } from './sso-token-validator.js';

/**
 * The delegated Graph permissions of the permission list (permissions.ts), as scopes of the Graph
 * resource (`https://graph.microsoft.com` in the public cloud): exactly what the README asks an
 * administrator to consent to, never more (docs/api-contracts.md §8).
 */
export function graphScopes(resource: string): readonly string[] {
  return delegatedScopes('graph', resource);
}

export const GRAPH_SCOPES: readonly string[] = graphScopes('https://graph.microsoft.com');

/**
 * `.default`: every Power Platform API scope granted to Elevate. Microsoft's self-elevation sample asks
 * for it, and the scope `applyAdminRole` needs is not in Microsoft's permission reference
 * (docs/api-contracts.md §8), so naming one could ask for something nobody consented.
 */
export const POWER_PLATFORM_RESOURCE = 'https://api.powerplatform.com';
export const POWER_PLATFORM_SCOPE = `${POWER_PLATFORM_RESOURCE}/.default`;

/** The calls Elevate makes on msal-node's ConfidentialClientApplication (a fake in unit tests). */
export type ConfidentialClient = Pick<
  ConfidentialClientApplication,
  'acquireTokenOnBehalfOf' | 'acquireTokenByClientCredential' | 'getAuthCodeUrl' | 'acquireTokenByCode' | 'clearCache'
>;

export interface MsalTokenBrokerOptions {
  clientId: string;
  /** The app's secret, certificate or federated assertion (app-credential.ts). */
  credential: MsalClientCredential;
  tenantId: string;
  /** `https://login.microsoftonline.com`, or the tenant simulator (must be https for MSAL). */
  authorityHost: string;
  graphScopes?: readonly string[];
  powerPlatformScope?: string;
  /** The delegated scope of Elevate's own API that the interactive sign-in asks for (`api://botid-…/access_as_user`). */
  signInScope?: string;
  /** Accepted SSO audiences besides the client id (e.g. `api://botid-...`). */
  ssoAudience?: string | readonly string[];
  logger?: Logger;
  /** For the OpenID metadata and JWKS fetches. */
  http?: HttpClient;
  now?: () => number;
  /** Replaces the msal-node client (unit tests). */
  confidentialClient?: ConfidentialClient;
  /** Users whose on-behalf-of tokens are kept (least recently used dropped first); default 5,000. */
  maxCachedUsers?: number;
}

interface Session {
  assertion: string;
  expiresAt: number;
}

/** An on-behalf-of token kept for reuse: for one user, one resource, from one SSO assertion. */
interface CachedToken {
  assertion: string;
  token: string;
  expiresAt: number;
}

/** A token this close to its end is not reused (a long step must not run out midway). */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** At most this many users' tokens are kept; the least recently used go first. */
const MAX_CACHED_USERS = 5_000;

/** An SSO token this close to expiry no longer counts as a session: sign in again rather than fail midway. */
const SESSION_MARGIN_MS = 60_000;
/** Expired sessions are kept this long in case their on-behalf-of tokens (userTokens) are still valid. */
const EXPIRED_SESSION_GRACE_MS = 60 * 60_000;

/**
 * TokenBroker on msal-node: Teams SSO tokens are validated and kept in memory (by object id),
 * exchanged on-behalf-of when a token is missing or near its end (kept per user and resource), and the
 * bot's own tokens come from client credentials (kept per resource). The authority is listed in `knownAuthorities` so that msal-node skips
 * instance discovery and reads only `{authority}/v2.0/.well-known/openid-configuration`
 * (docs/api-contracts.md §1, §7); `cp1` declares that Elevate handles claims challenges (CAE, step-up).
 */
export class MsalTokenBroker implements TokenBroker {
  private readonly sessions = new Map<string, Session>();
  /**
   * On-behalf-of tokens per user and resource, in memory only (never logged or stored). msal-node's
   * own cache is one shared store scanned in full on every lookup (most of the bot's CPU with
   * hundreds of users, issue #13), so lookups here are by key and msal-node is asked with
   * `skipCache` only when a token is missing or near its end. Map order is recency (LRU).
   */
  private readonly userTokens = new Map<string, Map<UserResource, CachedToken>>();
  /** Exchanges in flight, shared by concurrent callers for the same user and resource. */
  private readonly inFlight = new Map<string, Promise<string>>();
  /** The bot's own tokens per resource (client credentials), kept until TOKEN_MARGIN_MS before their end. */
  private readonly appTokens = new Map<string, { token: string; reuseUntil: number }>();
  private readonly appInFlight = new Map<string, Promise<string>>();
  private readonly client: ConfidentialClient;
  private readonly validator: SsoTokenValidator;
  private readonly now: () => number;

  constructor(private readonly options: MsalTokenBrokerOptions) {
    this.now = options.now ?? Date.now;
    this.client = options.confidentialClient ?? createConfidentialClient(options);
    const extra = typeof options.ssoAudience === 'string' ? [options.ssoAudience] : (options.ssoAudience ?? []);
    this.validator = new SsoTokenValidator({
      authorityHost: options.authorityHost,
      tenantId: options.tenantId,
      audiences: [...new Set([options.clientId, ...extra])],
      http: options.http ?? new HttpClient({ maxAttempts: 2 }),
      now: this.now,
    });
  }

  async acceptSsoToken(ssoToken: string, expectedObjectId?: string): Promise<SignedInUser> {
    const validated = await this.validator.validate(ssoToken);
    if (expectedObjectId !== undefined && validated.aadObjectId !== expectedObjectId) {
      throw new ElevateError('The sign-in token belongs to another user.', 'SsoTokenOfAnotherUser');
    }
    this.prune();
    this.sessions.set(validated.aadObjectId, { assertion: ssoToken, expiresAt: validated.expiresAt });
    const user: SignedInUser = { aadObjectId: validated.aadObjectId, tenantId: validated.tenantId, acrs: validated.acrs };
    if (validated.name) user.name = validated.name;
    if (validated.issuedAt !== undefined) user.issuedAt = new Date(validated.issuedAt).toISOString();
    return user;
  }

  hasSession(aadObjectId: string): boolean {
    const session = this.sessions.get(aadObjectId);
    return session !== undefined && session.expiresAt - SESSION_MARGIN_MS > this.now();
  }

  forget(aadObjectId: string): void {
    this.sessions.delete(aadObjectId);
    this.userTokens.delete(aadObjectId);
  }

  forUser(aadObjectId: string, resource: UserResource): TokenSource {
    const rejected = (token: string): void => {
      const tokens = this.userTokens.get(aadObjectId);
      if (tokens?.get(resource)?.token === token) tokens.delete(resource);
    };
    return Object.assign(
      async () => {
        const session = this.sessions.get(aadObjectId);
        if (!session) throw new SignInRequiredError();
        const cached = this.cachedToken(aadObjectId, resource, session);
        if (cached) return cached;
        const key = `${aadObjectId}\u0000${resource}`;
        const running = this.inFlight.get(key);
        if (running) return running;
        const exchange = this.exchange(aadObjectId, resource, session).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, exchange);
        return exchange;
      },
      { rejected },
    );
  }

  private cachedToken(aadObjectId: string, resource: UserResource, session: Session): string | undefined {
    const tokens = this.userTokens.get(aadObjectId);
    const cached = tokens?.get(resource);
    if (!tokens || !cached || cached.assertion !== session.assertion || cached.expiresAt - TOKEN_MARGIN_MS <= this.now()) return undefined;
    // Most recently used last: eviction takes the first entries.
    this.userTokens.delete(aadObjectId);
    this.userTokens.set(aadObjectId, tokens);
    return cached.token;
  }

  private async exchange(aadObjectId: string, resource: UserResource, session: Session): Promise<string> {
    const scopes = resource === 'graph' ? [...(this.options.graphScopes ?? GRAPH_SCOPES)] : [this.options.powerPlatformScope ?? POWER_PLATFORM_SCOPE];
    let result: AuthenticationResult | null;
    try {
      result = await this.client.acquireTokenOnBehalfOf({ oboAssertion: session.assertion, scopes, skipCache: true });
      this.dropMsalCache();
    } catch (error) {
      const failure = mapOboError(error);
      if (failure.forgetSession && this.sessions.get(aadObjectId) === session) this.forget(aadObjectId);
      this.options.logger?.info({ aadObjectId, resource, code: (failure.error as ElevateError).code }, 'on-behalf-of exchange refused');
      throw failure.error;
    }
    const token = accessToken(result, 'the on-behalf-of exchange');
    const expiresAt = result?.expiresOn ? result.expiresOn.getTime() : this.now() + 10 * 60_000;
    this.keep(aadObjectId, resource, { assertion: session.assertion, token, expiresAt });
    return token;
  }

  private keep(aadObjectId: string, resource: UserResource, entry: CachedToken): void {
    const tokens = this.userTokens.get(aadObjectId) ?? new Map<UserResource, CachedToken>();
    tokens.set(resource, entry);
    this.userTokens.delete(aadObjectId);
    this.userTokens.set(aadObjectId, tokens);
    while (this.userTokens.size > (this.options.maxCachedUsers ?? MAX_CACHED_USERS)) {
      const oldest = this.userTokens.keys().next().value;
      if (oldest === undefined) break;
      this.userTokens.delete(oldest);
    }
  }

  forApp(resource: string): TokenSource {
    const scope = `${resource.replace(/\/+$/, '')}/.default`;
    const rejected = (token: string): void => {
      if (this.appTokens.get(scope)?.token === token) this.appTokens.delete(scope);
    };
    return Object.assign(
      async () => {
        const cached = this.appTokens.get(scope);
        if (cached && cached.reuseUntil > this.now()) return cached.token;
        const running = this.appInFlight.get(scope);
        if (running) return running;
        const request = this.appToken(scope, resource).finally(() => this.appInFlight.delete(scope));
        this.appInFlight.set(scope, request);
        return request;
      },
      { rejected },
    );
  }

  private async appToken(scope: string, resource: string): Promise<string> {
    let result: AuthenticationResult | null;
    try {
      result = await this.client.acquireTokenByClientCredential({ scopes: [scope], skipCache: true });
    } catch (error) {
      throw tokenFailure(error, 'AppTokenFailed', `an application token for ${resource}`);
    }
    this.dropMsalCache();
    const token = accessToken(result, `an application token for ${resource}`);
    // Without an expiry there is nothing to keep it by: asked again next time.
    // Until msal-node's `refreshOn` (Entra's refresh_in: half the life of a long-lived CAE token) if it
    // comes first, else until TOKEN_MARGIN_MS before the end.
    if (result?.expiresOn) {
      const end = result.expiresOn.getTime() - TOKEN_MARGIN_MS;
      this.appTokens.set(scope, { token, reuseUntil: result.refreshOn ? Math.min(result.refreshOn.getTime(), end) : end });
    }
    return token;
  }

  /**
   * Every token is kept here (above), so msal-node's own cache only grows: cleared after each call,
   * it stays small and is never scanned in full (msal-node keeps its authority metadata). Nothing in it
   * is needed afterwards: every call to msal-node is made with `skipCache`.
   */
  private dropMsalCache(): void {
    this.client.clearCache();
  }

  async signInUrl(request: { redirectUri: string; state: string; codeChallenge: string; claims?: string; loginHint?: string }): Promise<string> {
    return this.client.getAuthCodeUrl({
      scopes: [this.signInScope()],
      redirectUri: request.redirectUri,
      state: request.state,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: 'S256',
      ...(request.claims ? { claims: request.claims } : {}),
      ...(request.loginHint ? { loginHint: request.loginHint } : {}),
    });
  }

  async redeemSignIn(request: { code: string; redirectUri: string; codeVerifier: string }): Promise<SignedInUser> {
    let result: AuthenticationResult | null;
    try {
      result = await this.client.acquireTokenByCode({
        code: request.code,
        redirectUri: request.redirectUri,
        codeVerifier: request.codeVerifier,
        scopes: [this.signInScope()],
      });
      this.dropMsalCache();
    } catch (error) {
      throw tokenFailure(error, 'SignInFailed', 'the interactive sign-in');
    }
    // A token to Elevate's own API with the claims the sign-in satisfied: an SSO-equivalent assertion.
    return this.acceptSsoToken(accessToken(result, 'the interactive sign-in'));
  }

  private signInScope(): string {
    if (this.options.signInScope) return this.options.signInScope;
    const audiences = typeof this.options.ssoAudience === 'string' ? [this.options.ssoAudience] : [...(this.options.ssoAudience ?? [])];
    const uri = audiences.find((a) => a.startsWith('api://')) ?? `api://${this.options.clientId}`;
    return `${uri}/access_as_user`;
  }

  private prune(): void {
    const cutoff = this.now() - EXPIRED_SESSION_GRACE_MS;
    for (const [oid, session] of this.sessions) {
      if (session.expiresAt >= cutoff) continue;
      this.sessions.delete(oid);
      this.userTokens.delete(oid);
    }
  }
}

function accessToken(result: AuthenticationResult | null, what: string): string {
  if (!result?.accessToken) throw new ElevateError(`Microsoft Entra ID returned no access token for ${what}.`, 'TokenExchangeFailed');
  return result.accessToken;
}

function createConfidentialClient(options: MsalTokenBrokerOptions): ConfidentialClientApplication {
  const host = options.authorityHost.replace(/\/+$/, '');
  const logger = options.logger;
  return new ConfidentialClientApplication({
    auth: {
      clientId: options.clientId,
      ...options.credential,
      authority: `${host}/${options.tenantId}`,
      knownAuthorities: [new URL(host).host],
      clientCapabilities: ['cp1'],
    },
    system: {
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message, containsPii) => {
          if (containsPii || !logger) return;
          if (level <= LogLevel.Warning) logger.warn({ msal: message }, 'msal-node');
        },
      },
    },
  });
}
