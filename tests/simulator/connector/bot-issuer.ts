import { json } from '../core/http.js';
import { jwks } from '../core/keys.js';
import { route, type Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';
import { seconds, signJwt } from '../core/tokens.js';

/**
 * The Bot Framework token issuer that signs the activities Teams sends to the bot (docs/api-contracts.md §5):
 * OpenID metadata with issuer `https://api.botframework.com` and the JWKS whose keys carry the
 * channels that endorse them. The real `jwks_uri` is `.../v1/.well-known/keys`; both paths answer.
 */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface ChannelTokenSpec {
  serviceUrl: string;
  audience: string;
  expiresInSeconds?: number;
  notBeforeSeconds?: number;
  /** Picks the key endorsed for this channel; default `msteams`. */
  channelId?: string;
  /** Negative tests: claims to add or replace; `null` leaves the claim out (a token Microsoft would not mint). */
  claims?: Record<string, unknown>;
}

/** A channel's activity JWT: `{iss, aud, serviceurl, nbf, exp}`, RS256 with the endorsed key's `kid`; undefined for an unknown channel. */
export function mintChannelToken(ctx: SimContext, spec: ChannelTokenSpec): string | undefined {
  const channelId = spec.channelId ?? 'msteams';
  const key = ctx.keys.botFramework.find((k) => k.endorsements.includes(channelId));
  if (!key) return undefined;
  const now = seconds(ctx.state.now());
  const exp = now + (spec.expiresInSeconds ?? 3600);
  // An already expired token (negative lifetime) still has nbf < exp.
  const nbf = spec.notBeforeSeconds !== undefined ? now + spec.notBeforeSeconds : Math.min(now, exp - 300);
  const claims: Record<string, unknown> = { serviceurl: spec.serviceUrl, nbf, exp, iss: BOT_FRAMEWORK_ISSUER, aud: spec.audience, ...spec.claims };
  for (const [name, value] of Object.entries(claims)) if (value === null) delete claims[name];
  return signJwt(key, claims);
}

function openIdConfiguration(ctx: SimContext): Record<string, unknown> {
  return {
    issuer: BOT_FRAMEWORK_ISSUER,
    authorization_endpoint: 'https://invalid.botframework.com',
    jwks_uri: `${ctx.baseUrl}/botframework/v1/keys`,
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
  };
}

export const botIssuerRoutes: Route<SimContext>[] = [
  route('GET', '/botframework/v1/.well-known/openidconfiguration', (_req, _p, ctx) => json(200, openIdConfiguration(ctx))),
  route('GET', '/botframework/v1/keys', (_req, _p, ctx) => json(200, jwks(ctx.keys.botFramework))),
  route('GET', '/botframework/v1/.well-known/keys', (_req, _p, ctx) => json(200, jwks(ctx.keys.botFramework))),
];
