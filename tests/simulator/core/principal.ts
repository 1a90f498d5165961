import { stringList, verifyEntraToken } from '../entra/tokens.js';
import { bearerToken, type SimRequest } from './http.js';
import type { SimContext } from './state.js';
import type { Claims } from './tokens.js';

/** Who called a simulated API, from a verified Entra bearer token. */
export type Principal =
  | { kind: 'user'; oid: string; tid: string; appid: string; name: string; upn: string; scopes: string[]; amr: string[]; acrs: string[]; claims: Claims }
  | { kind: 'app'; oid: string; tid: string; appid: string; roles: string[]; claims: Claims };

export type AuthFailureReason = 'missing' | 'invalid' | 'expired' | 'audience';
export type Authenticated = { ok: true; principal: Principal } | { ok: false; reason: AuthFailureReason; message: string };

function str(claims: Claims, key: string): string {
  const value = claims[key];
  return typeof value === 'string' ? value : '';
}

function toPrincipal(claims: Claims): Principal {
  const base = { oid: str(claims, 'oid'), tid: str(claims, 'tid'), appid: str(claims, 'appid') || str(claims, 'azp'), claims };
  if (claims['idtyp'] === 'app' || typeof claims['scp'] !== 'string') return { kind: 'app', ...base, roles: stringList(claims['roles']) };
  return {
    kind: 'user',
    ...base,
    name: str(claims, 'name'),
    upn: str(claims, 'preferred_username'),
    scopes: stringList(claims['scp']),
    amr: stringList(claims['amr']),
    acrs: stringList(claims['acrs']),
  };
}

/** Bearer token present, signed by the simulator's Entra key, unexpired, `aud` one of `audiences` (case-insensitive, no trailing slash). */
export function authenticate(ctx: SimContext, req: SimRequest, audiences: readonly string[]): Authenticated {
  const token = bearerToken(req);
  if (!token) return { ok: false, reason: 'missing', message: 'Access token is empty.' };
  const verified = verifyEntraToken(ctx, token);
  if (!verified.ok) {
    if (verified.failure === 'expired') return { ok: false, reason: 'expired', message: 'Lifetime validation failed, the token is expired.' };
    return { ok: false, reason: 'invalid', message: `Access token validation failure. ${verified.message}` };
  }
  const normalize = (v: string) => v.replace(/\/+$/, '').toLowerCase();
  const aud = normalize(str(verified.claims, 'aud'));
  if (!audiences.some((a) => normalize(a) === aud)) return { ok: false, reason: 'audience', message: 'Access token validation failure. Invalid audience.' };
  return { ok: true, principal: toPrincipal(verified.claims) };
}

/** Any of `delegated` in `scp` for users, any of `application` in `roles` for apps (case-insensitive). */
export function hasPermission(principal: Principal, delegated: readonly string[], application: readonly string[]): boolean {
  const held = (principal.kind === 'user' ? principal.scopes : principal.roles).map((p) => p.toLowerCase());
  const wanted = principal.kind === 'user' ? delegated : application;
  return wanted.some((p) => held.includes(p.toLowerCase()));
}
