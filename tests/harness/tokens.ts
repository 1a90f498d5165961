import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { recordSecret } from './suite-record.js';

/**
 * Bad Bot Framework tokens for negative tests. The harness never verifies tokens (the bot does);
 * it decodes them to copy their claims, and signs forgeries with a key of its own that carries the
 * same `kid` as the simulator's real key, which is what an attacker who read the JWKS could do.
 */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function decodePart(part: string | undefined, what: string): Record<string, unknown> {
  if (!part) throw new Error(`not a JWT: no ${what}`);
  const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`not a JWT: ${what} is not an object`);
  return value as Record<string, unknown>;
}

/** Decodes without verifying. */
export function decodeJwt(token: string): DecodedJwt {
  const [header, payload, signature] = token.split('.');
  return { header: decodePart(header, 'header'), payload: decodePart(payload, 'payload'), signature: signature ?? '' };
}

let forgeryKey: KeyObject | undefined;

/** The harness's own RSA key, made once per test process. */
function harnessKey(): KeyObject {
  forgeryKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return forgeryKey;
}

/** Signs `header`.`payload` with RS256 and the harness's key (not the simulator's). */
export function signWithHarnessKey(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${base64url(JSON.stringify({ ...header, alg: 'RS256' }))}.${base64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(harnessKey());
  return recorded(`${input}.${base64url(signature)}`);
}

/** Same header (same `kid`) and claims as `genuine`, with `changes`, signed by the harness's own key. */
export function forgeToken(genuine: string, changes: Record<string, unknown> = {}): string {
  const { header, payload } = decodeJwt(genuine);
  return signWithHarnessKey(header, { ...payload, ...changes });
}

/** Changes claims of `genuine` but keeps its original signature, which then no longer matches. */
export function tamperToken(genuine: string, changes: Record<string, unknown>): string {
  const [header, , signature] = genuine.split('.');
  const { payload } = decodeJwt(genuine);
  return recorded(`${header}.${base64url(JSON.stringify({ ...payload, ...changes }))}.${signature}`);
}

/** The classic `alg: none` token: the claims of `genuine`, no signature. */
export function unsignedToken(genuine: string): string {
  const { header, payload } = decodeJwt(genuine);
  return recorded(`${base64url(JSON.stringify({ ...header, alg: 'none' }))}.${base64url(JSON.stringify(payload))}.`);
}

/** Every token the harness makes is one the suite-wide log scan looks for (suite-record.ts). */
function recorded(token: string): string {
  recordSecret(token);
  return token;
}
