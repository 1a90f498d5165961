import { createHash, randomBytes } from 'node:crypto';
import { BOTFRAMEWORK_TENANT_ID, TEAMS_CLIENT_ID } from '../tenant/seed.js';
import { newId, type SimContext } from '../core/state.js';
import type { AppRegistration, TenantUser } from '../tenant/model.js';
import { base64urlJson, seconds, signJwt, verifyJwt, type Claims, type Verified } from '../core/tokens.js';
import { recordIssued } from '../core/issued-log.js';

/**
 * Tokens as Entra ID issues them (README "Tokens"): RS256 with the Entra key, `iss`
 * `{baseUrl}/{tid}/v2.0`, `ver` 2.0, production audiences.
 */
export const ACCESS_TOKEN_SECONDS = 3600;

/** The user a delegated token speaks for, carried from the assertion into the new token. */
export interface Subject {
  oid: string;
  tid: string;
  name: string;
  preferred_username: string;
  amr: string[];
  acrs: string[];
}

export function entraIssuer(ctx: SimContext, tid: string): string {
  return `${ctx.baseUrl}/${tid}/v2.0`;
}

/** `common`, `organizations`, the demo tenant's id, `botframework.com` and their ids; others are unknown. */
export function resolveTenant(ctx: SimContext, segment: string): string | undefined {
  const value = segment.toLowerCase();
  if (value === 'botframework.com' || value === BOTFRAMEWORK_TENANT_ID) return BOTFRAMEWORK_TENANT_ID;
  if ([ctx.state.tenant.tenantId, 'common', 'organizations', 'contoso.example', 'contoso.onmicrosoft.com'].includes(value)) return ctx.state.tenant.tenantId;
  return undefined;
}

function times(ctx: SimContext, lifetimeSeconds: number): Claims {
  const now = seconds(ctx.state.now());
  return { iat: now, nbf: now, exp: now + lifetimeSeconds };
}

/** Pairwise `sub`: stable per user and app, like Entra's. */
function pairwiseSub(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}|${clientId}`).digest('base64url').slice(0, 43);
}

function tokenIds(): Claims {
  return { aio: randomBytes(24).toString('base64url'), uti: randomBytes(16).toString('base64url'), rh: `0.${randomBytes(24).toString('base64url')}.` };
}

export function subjectOf(user: TenantUser, tid: string, amr: string[] = ['pwd'], acrs: string[] = []): Subject {
  return { oid: user.id, tid, name: user.name, preferred_username: user.upn, amr, acrs };
}

export interface DelegatedTokenSpec {
  subject: Subject;
  client: AppRegistration;
  audience: string;
  scp: string[];
  /** Client capabilities the client declared (`cp1`). */
  xmsCc?: string[];
  lifetimeSeconds?: number;
}

export function mintDelegatedToken(ctx: SimContext, spec: DelegatedTokenSpec): string {
  const { subject, client } = spec;
  return signJwt(ctx.keys.entra, {
    aud: spec.audience,
    iss: entraIssuer(ctx, subject.tid),
    ...times(ctx, spec.lifetimeSeconds ?? ACCESS_TOKEN_SECONDS),
    ...(subject.acrs.length > 0 ? { acrs: subject.acrs } : {}),
    amr: subject.amr,
    appid: client.clientId,
    appidacr: '1',
    azp: client.clientId,
    azpacr: '1',
    idtyp: 'user',
    name: subject.name,
    oid: subject.oid,
    preferred_username: subject.preferred_username,
    scp: spec.scp.join(' '),
    sub: pairwiseSub(subject.oid, client.clientId),
    tid: subject.tid,
    upn: subject.preferred_username,
    ver: '2.0',
    ...(spec.xmsCc && spec.xmsCc.length > 0 ? { xms_cc: spec.xmsCc } : {}),
    ...tokenIds(),
  });
}

export function mintAppToken(ctx: SimContext, client: AppRegistration, audience: string, roles: string[], tid: string): string {
  return signJwt(ctx.keys.entra, {
    aud: audience,
    iss: entraIssuer(ctx, tid),
    ...times(ctx, ACCESS_TOKEN_SECONDS),
    appid: client.clientId,
    appidacr: '1',
    azp: client.clientId,
    azpacr: '1',
    idtyp: 'app',
    oid: client.servicePrincipalId,
    ...(roles.length > 0 ? { roles } : {}),
    sub: client.servicePrincipalId,
    tid,
    ver: '2.0',
    ...tokenIds(),
  });
}

/** `extra`: claims of the sign-in that asked for it (`nonce`). */
export function mintIdToken(ctx: SimContext, subject: Subject, client: AppRegistration, extra: Claims = {}): string {
  return signJwt(ctx.keys.entra, {
    aud: client.clientId,
    iss: entraIssuer(ctx, subject.tid),
    ...times(ctx, ACCESS_TOKEN_SECONDS),
    name: subject.name,
    oid: subject.oid,
    preferred_username: subject.preferred_username,
    sub: pairwiseSub(subject.oid, client.clientId),
    tid: subject.tid,
    uti: randomBytes(16).toString('base64url'),
    ver: '2.0',
    ...extra,
  });
}

/** MSAL builds the account's home id from it: base64url `{"uid": oid, "utid": tid}`. */
export function clientInfo(subject: Subject): string {
  return base64urlJson({ uid: subject.oid, utid: subject.tid });
}

export interface SsoTokenSpec {
  user: TenantUser;
  audience: string;
  lifetimeSeconds: number;
  claims?: Claims;
}

/** What the Teams client gets for the app's `webApplicationInfo` (a v2 token for the Elevate API). */
export function mintSsoToken(ctx: SimContext, spec: SsoTokenSpec): string {
  const tid = ctx.state.tenant.tenantId;
  return signJwt(ctx.keys.entra, {
    aud: spec.audience,
    iss: entraIssuer(ctx, tid),
    ...times(ctx, spec.lifetimeSeconds),
    amr: ['pwd'],
    azp: TEAMS_CLIENT_ID,
    azpacr: '0',
    idtyp: 'user',
    name: spec.user.name,
    oid: spec.user.id,
    preferred_username: spec.user.upn,
    scp: 'access_as_user',
    sub: pairwiseSub(spec.user.id, TEAMS_CLIENT_ID),
    tid,
    ver: '2.0',
    ...tokenIds(),
    ...spec.claims,
  });
}

/** Signature, lifetime and an issuer of this simulator; audience checks are the caller's. */
export function verifyEntraToken(ctx: SimContext, token: string): Verified {
  const verified = verifyJwt(token, [ctx.keys.entra], ctx.state.now());
  if (!verified.ok) return verified;
  const iss = verified.claims['iss'];
  if (typeof iss !== 'string' || !iss.startsWith(`${ctx.baseUrl}/`) || !iss.endsWith('/v2.0')) {
    return { ok: false, failure: 'signature', message: 'The token was not issued by this tenant simulator.' };
  }
  return verified;
}

export function newRefreshToken(): string {
  return recordIssued(`0.sim.${randomBytes(32).toString('base64url')}.${newId()}`);
}

export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? value.split(' ') : [];
}
