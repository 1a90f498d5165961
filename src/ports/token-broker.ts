/**
 * Returns a bearer token for one call; called again on retry so long waits never use a stale token.
 * `rejected`, when present, is told that a service answered 401 to this token (revoked, or a claims
 * challenge), so a kept copy is not handed out again.
 */
export type TokenSource = (() => Promise<string>) & { rejected?: (token: string) => void };

export interface SignedInUser {
  aadObjectId: string;
  tenantId: string;
  name?: string;
  /** The token's `acrs`: Conditional Access authentication contexts the sign-in satisfied (absent claim: none). */
  acrs?: string[];
  /** The token's `iat`, ISO: when Entra issued it. */
  issuedAt?: string;
}

/**
 * Turns the user's Teams SSO token into on-behalf-of tokens and gives the bot its own
 * application tokens. Tokens stay in memory only: never logged, stored or rendered.
 */
export interface TokenBroker {
  /**
   * Validates a Teams SSO token (signature, issuer, audience, expiry) and keeps it in memory. With
   * `expectedObjectId`, a token of anyone else is refused before it can replace that user's session.
   */
  acceptSsoToken(ssoToken: string, expectedObjectId?: string): Promise<SignedInUser>;
  /** True when a usable SSO token for this user is in memory. */
  hasSession(aadObjectId: string): boolean;
  /** Forgets the user's in-memory session (e.g. after an invalid_grant). */
  forget(aadObjectId: string): void;
  /** On-behalf-of token source for the user. Throws SignInRequiredError or StepUpRequiredError. */
  forUser(aadObjectId: string, resource: UserResource): TokenSource;
  /** Client-credentials token source for the bot's own identity (scope `<resource>/.default`). */
  forApp(resource: string): TokenSource;
  /** The interactive sign-in URL (authorization code flow with PKCE) for consent, MFA or an authentication context (`claims`). */
  signInUrl(request: { redirectUri: string; state: string; codeChallenge: string; claims?: string; loginHint?: string }): Promise<string>;
  /** Redeems the sign-in's code for a token to this app, validated and kept in memory like a Teams SSO token. */
  redeemSignIn(request: { code: string; redirectUri: string; codeVerifier: string }): Promise<SignedInUser>;
}

export type UserResource = 'graph' | 'powerPlatform';
