import jwt from 'jsonwebtoken';
import { recordIssued } from './issued-log.js';
import type { SigningKey } from './keys.js';

/** RS256 JWTs: minting with a simulator key, verifying against a set of them, decoding for the log. */
export type Claims = Record<string, unknown>;

export function signJwt(key: SigningKey, claims: Claims): string {
  // The claims carry their own iat/nbf/exp from the simulator clock. Not `noTimestamp`: jsonwebtoken then
  // deletes `iat`, and Entra's tokens always carry it (access-token-claims-reference: "iat", "Specifies when the
  // authentication for this token occurred"); Elevate's fresh sign-in check reads it (docs/api-contracts.md §9).
  // With `iat` in the claims jsonwebtoken keeps it as given.
  return recordIssued(jwt.sign(claims, key.privateKey, { algorithm: 'RS256', keyid: key.kid, header: { alg: 'RS256', typ: 'JWT', x5t: key.kid } }));
}

export type VerifyFailure = 'malformed' | 'unknown_key' | 'signature' | 'expired' | 'not_yet_valid';
export type Verified = { ok: true; claims: Claims } | { ok: false; failure: VerifyFailure; message: string };

/** Checks signature (by `kid` among `keys`), `exp` and `nbf` against `nowMs`; no audience or issuer checks. */
export function verifyJwt(token: string, keys: readonly SigningKey[], nowMs: number): Verified {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') return { ok: false, failure: 'malformed', message: 'The token is not a JWT.' };
  if (decoded.header.alg !== 'RS256') return { ok: false, failure: 'signature', message: `The token is signed with ${decoded.header.alg}, not RS256.` };
  const key = keys.find((k) => k.kid === decoded.header.kid);
  if (!key) return { ok: false, failure: 'unknown_key', message: 'The signing key of the token is not known.' };
  try {
    const claims = jwt.verify(token, key.publicKey, { algorithms: ['RS256'], clockTimestamp: Math.floor(nowMs / 1000) });
    return { ok: true, claims: claims as Claims };
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) return { ok: false, failure: 'expired', message: 'The token is expired.' };
    if (error instanceof jwt.NotBeforeError) return { ok: false, failure: 'not_yet_valid', message: 'The token is not valid yet.' };
    return { ok: false, failure: 'signature', message: 'The token signature is invalid.' };
  }
}

/** Claims without verification (request log only). */
export function decodeClaims(token: string): Claims | undefined {
  const payload = jwt.decode(token);
  return payload && typeof payload === 'object' ? (payload as Claims) : undefined;
}

export function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
