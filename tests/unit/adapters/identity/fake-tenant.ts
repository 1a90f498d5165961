import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { HttpClient } from '../../../../src/adapters/http/http-client.js';

export const AUTHORITY = 'https://login.example';
export const TENANT = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';
export const CLIENT_ID = 'e1e7a7e0-55a0-4e1e-9a7e-0000000055a0';
export const APP_ID_URI = 'api://botid-0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7';
export const ISSUER = `${AUTHORITY}/${TENANT}/v2.0`;
export const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
export const NOW = Date.parse('2026-01-01T10:00:00Z');

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } };
}

/** Plays Entra's OpenID metadata and JWKS endpoints; `published` can change to simulate key rollover. */
export class FakeEntra {
  published: SigningKey[];
  readonly requests: string[] = [];

  constructor(...keys: SigningKey[]) {
    this.published = keys;
  }

  readonly fetch: typeof fetch = async (input) => {
    const url = String(input);
    this.requests.push(url);
    if (url === `${AUTHORITY}/${TENANT}/v2.0/.well-known/openid-configuration`) {
      return Response.json({
        issuer: ISSUER,
        jwks_uri: `${AUTHORITY}/${TENANT}/discovery/v2.0/keys`,
        token_endpoint: `${AUTHORITY}/${TENANT}/oauth2/v2.0/token`,
      });
    }
    if (url === `${AUTHORITY}/${TENANT}/discovery/v2.0/keys`) return Response.json({ keys: this.published.map((k) => k.jwk) });
    return new Response('not found', { status: 404 });
  };

  http(): HttpClient {
    return new HttpClient({ fetch: this.fetch, sleep: async () => {} });
  }
}

export const validClaims = (): Record<string, unknown> => ({
  iss: ISSUER,
  aud: CLIENT_ID,
  tid: TENANT,
  oid: ADELE,
  name: 'Adele Vance',
  scp: 'access_as_user',
  iat: Math.floor(NOW / 1000) - 60,
  nbf: Math.floor(NOW / 1000) - 60,
  exp: Math.floor(NOW / 1000) + 3600,
});

export function ssoToken(key: SigningKey, claims: Record<string, unknown> = validClaims(), algorithm: jwt.Algorithm = 'RS256'): string {
  return jwt.sign(claims, key.privateKey, { algorithm, keyid: key.kid });
}
