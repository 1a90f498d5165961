import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { makeCertificate, newRsaKeyPair } from './ca.js';

/**
 * The simulator's token signing keys: one for Entra ID (all tenants share it) and the Bot Framework
 * channel keys, each published with `kid`, `x5t` (SHA-1 thumbprint of its certificate, base64url)
 * and `x5c`, like the real JWKS. Bot Framework keys carry the channels that endorse them.
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Record<string, unknown>;
  endorsements: string[];
}

export interface KeySet {
  entra: SigningKey;
  /** The first key is endorsed for `msteams`; the second for other channels (negative tests). */
  botFramework: SigningKey[];
}

function signingKey(name: string, endorsements: string[]): SigningKey {
  const pair = newRsaKeyPair();
  const cert = makeCertificate({
    commonName: name,
    publicKeyPem: pair.publicKeyPem,
    signingKeyPem: pair.privateKeyPem,
    validDays: 30,
    extensions: [{ name: 'keyUsage', digitalSignature: true }],
  });
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  const x5t = createHash('sha1').update(der).digest('base64url');
  const publicKey = createPublicKey(pair.publicKeyPem);
  const { n, e } = publicKey.export({ format: 'jwk' });
  const jwk: Record<string, unknown> = { kty: 'RSA', use: 'sig', kid: x5t, x5t, n, e, x5c: [der.toString('base64')] };
  if (endorsements.length > 0) jwk['endorsements'] = endorsements;
  return { kid: x5t, privateKey: createPrivateKey(pair.privateKeyPem), publicKey, jwk, endorsements };
}

export function createKeySet(): KeySet {
  return {
    entra: signingKey('Entra ID token signing (simulator)', []),
    botFramework: [signingKey('Bot Framework (simulator)', ['msteams']), signingKey('Bot Framework other channels (simulator)', ['webchat', 'directline'])],
  };
}

export function jwks(keys: readonly SigningKey[]): { keys: Record<string, unknown>[] } {
  return { keys: keys.map((k) => k.jwk) };
}
