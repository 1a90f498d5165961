import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { SignInRequiredError } from '../../domain/errors.js';
import type { HttpClient } from '../http/http-client.js';

export interface SsoTokenValidatorOptions {
  authorityHost: string;
  tenantId: string;
  /** Accepted `aud` values: the Elevate app's client id and its application id URI. */
  audiences: string[];
  http: HttpClient;
  /** The delegated scope Teams SSO tokens must carry. */
  requiredScope?: string;
  now?: () => number;
  /** A token with an unknown `kid` triggers at most one key refetch per this interval. */
  keyRefetchIntervalMs?: number;
}

export interface ValidatedSsoToken {
  aadObjectId: string;
  tenantId: string;
  name?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** `iat`, epoch milliseconds. */
  issuedAt?: number;
  /** `acrs`: authentication context ids the sign-in satisfied (docs/api-contracts.md §9). */
  acrs: string[];
}

interface OpenIdMetadata {
  issuer: string;
  jwks_uri: string;
}

const CLOCK_TOLERANCE_SECONDS = 300;

/**
 * Validates Teams SSO tokens: RS256, signed by a key of the tenant's JWKS (found through
 * `{authorityHost}/{tenantId}/v2.0/.well-known/openid-configuration`), issuer = that metadata's
 * issuer, audience = this app, tenant = the configured tenant, not expired (5 minutes of skew),
 * and a delegated `scp` holding `access_as_user`. Rejections are SignInRequiredError.
 */
export class SsoTokenValidator {
  private metadata: Promise<OpenIdMetadata> | undefined;
  private keys = new Map<string, KeyObject>();
  private keysFetchedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SsoTokenValidatorOptions) {
    this.now = options.now ?? Date.now;
  }

  async validate(token: string): Promise<ValidatedSsoToken> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw rejected('it is not a JWT');
    if (decoded.header.alg !== 'RS256') throw rejected(`it is signed with ${decoded.header.alg}, not RS256`);
    const kid = decoded.header.kid;
    if (!kid) throw rejected('it names no signing key');
    const metadata = await this.getMetadata();
    const key = await this.keyFor(kid, metadata);
    let claims: JwtPayload;
    try {
      claims = jwt.verify(token, key, {
        algorithms: ['RS256'],
        issuer: metadata.issuer,
        audience: this.options.audiences as [string, ...string[]],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        clockTimestamp: Math.floor(this.now() / 1000),
      }) as JwtPayload;
    } catch (error) {
      throw rejected((error as Error).message, error);
    }
    return this.checkClaims(claims);
  }

  private checkClaims(claims: JwtPayload): ValidatedSsoToken {
    if (claims.tid !== this.options.tenantId) throw rejected('it was issued for another tenant');
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    const required = this.options.requiredScope ?? 'access_as_user';
    if (!scopes.includes(required)) throw rejected(`it does not carry the delegated scope ${required}`);
    if (typeof claims.oid !== 'string' || claims.oid === '') throw rejected('it names no user (oid)');
    if (typeof claims.exp !== 'number') throw rejected('it has no expiry');
    const validated: ValidatedSsoToken = { aadObjectId: claims.oid, tenantId: claims.tid, expiresAt: claims.exp * 1000, acrs: acrsOf(claims['acrs']) };
    if (typeof claims.name === 'string') validated.name = claims.name;
    if (typeof claims.iat === 'number') validated.issuedAt = claims.iat * 1000;
    return validated;
  }

  private getMetadata(): Promise<OpenIdMetadata> {
    if (!this.metadata) {
      const url = `${this.options.authorityHost.replace(/\/+$/, '')}/${this.options.tenantId}/v2.0/.well-known/openid-configuration`;
      this.metadata = this.options.http.get<Partial<OpenIdMetadata>>(url).then(({ body }) => {
        if (!body?.issuer || !body.jwks_uri) throw new Error('the OpenID metadata has no issuer or jwks_uri');
        return { issuer: body.issuer, jwks_uri: body.jwks_uri };
      });
      this.metadata.catch(() => (this.metadata = undefined));
    }
    return this.metadata;
  }

  /** Cached keys; an unknown kid refetches the JWKS once (key rollover), rate-limited against junk kids. */
  private async keyFor(kid: string, metadata: OpenIdMetadata): Promise<KeyObject> {
    if (!this.keys.has(kid)) await this.refreshKeys(metadata.jwks_uri);
    const key = this.keys.get(kid);
    if (!key) throw rejected('its signing key is not published by the tenant');
    return key;
  }

  /** Concurrent callers share one fetch; a failed fetch does not count against the interval. */
  private refreshKeys(jwksUri: string): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (this.now() - this.keysFetchedAt < (this.options.keyRefetchIntervalMs ?? 60_000)) return Promise.resolve();
    this.refreshing = this.fetchKeys(jwksUri)
      .then((keys) => {
        this.keys = keys;
        this.keysFetchedAt = this.now();
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async fetchKeys(jwksUri: string): Promise<Map<string, KeyObject>> {
    const { body } = await this.options.http.get<{ keys?: (JsonWebKey & { kid?: string; use?: string })[] }>(jwksUri);
    const keys = new Map<string, KeyObject>();
    for (const jwk of body?.keys ?? []) {
      if (!jwk.kid || jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      try {
        keys.set(jwk.kid, createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' }));
      } catch {
        // A malformed key is skipped; tokens signed with it are rejected as unknown.
      }
    }
    return keys;
  }
}

/** `acrs` is a JSON array of ids (`["c1"]`) in v2 access tokens; a space-separated string is read too. */
function acrsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? value.split(' ').filter((v) => v !== '') : [];
}

function rejected(reason: string, cause?: unknown): SignInRequiredError {
  return new SignInRequiredError(`The sign-in token was rejected: ${reason}.`, cause === undefined ? undefined : { cause });
}
