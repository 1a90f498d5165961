import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { makeCertificate, newRsaKeyPair } from '../simulator/core/ca.js';
import type { KeyCredential } from '../simulator/tenant/model.js';
import { ELEVATE_IDENTITY, IDENTITY_HEADER } from './tenant.js';

/**
 * Secretless credentials for tests: a certificate for Elevate's app (the PEM file the bot reads
 * through AAD_APP_CLIENT_CERTIFICATE_PATH, and the keyCredential to register in the simulated
 * tenant), and the environment App Service gives a process with a managed identity.
 */
export interface AppCertificate {
  /** Certificate and private key in one PEM file (0600 in a temporary folder). */
  pemPath: string;
  pem: string;
  /** The private key alone, for assertions that must never appear in output. */
  privateKeyPem: string;
  /** What to add to the app's `keyCredentials` in the tenant model. */
  keyCredential: KeyCredential;
  /** Hex SHA-1 thumbprint (Graph's customKeyIdentifier). */
  thumbprint: string;
}

export function makeAppCertificate(options: { validDays?: number; commonName?: string } = {}): AppCertificate {
  const keys = newRsaKeyPair();
  const cert = makeCertificate({
    commonName: options.commonName ?? 'Elevate app credential (test)',
    publicKeyPem: keys.publicKeyPem,
    signingKeyPem: keys.privateKeyPem,
    validDays: options.validDays ?? 30,
    extensions: [{ name: 'keyUsage', digitalSignature: true, critical: true }],
  });
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  const certificatePem = forge.pki.certificateToPem(cert);
  const pem = `${certificatePem}${keys.privateKeyPem}`;
  const pemPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'elevate-cert-')), 'elevate-app.pem');
  writeFileSync(pemPath, pem, { mode: 0o600 });
  return {
    pemPath,
    pem,
    privateKeyPem: keys.privateKeyPem,
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    keyCredential: {
      keyId: randomUUID(),
      displayName: `CN=${options.commonName ?? 'Elevate app credential (test)'}`,
      certificate: der.toString('base64'),
      startDateTime: cert.validity.notBefore.toISOString(),
      endDateTime: cert.validity.notAfter.toISOString(),
    },
  };
}

/** IDENTITY_ENDPOINT and IDENTITY_HEADER as App Service sets them, pointing at the simulator's endpoint. */
export function managedIdentityEnv(sim: { baseUrl: string }): Record<string, string> {
  return { IDENTITY_ENDPOINT: `${sim.baseUrl.replace(/\/+$/, '')}/msi/token`, IDENTITY_HEADER };
}

export { ELEVATE_IDENTITY };
