import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

/**
 * A throw-away test CA and a server certificate for 127.0.0.1/localhost. Keys come from node:crypto
 * (forge's pure-JS key generation takes seconds); forge only builds and signs the certificates.
 */
export interface TlsMaterial {
  caPem: string;
  keyPem: string;
  certPem: string;
}

export interface RsaKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function newRsaKeyPair(): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

interface CertificateSpec {
  commonName: string;
  publicKeyPem: string;
  /** The issuer's key and name; self-signed when absent. */
  issuer?: { privateKeyPem: string; commonName: string };
  signingKeyPem: string;
  extensions: object[];
  validDays: number;
}

export function makeCertificate(spec: CertificateSpec): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  // A positive, minimally encoded DER serial: first byte 0x01. ("0" + hex gave a zero byte before a byte
  // below 0x80 about once in 32 certificates, which OpenSSL rejects: "illegal padding".)
  cert.serialNumber = `01${randomBytes(16).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60_000);
  cert.validity.notAfter = new Date(now + spec.validDays * 24 * 60 * 60_000);
  cert.setSubject([{ name: 'commonName', value: spec.commonName }]);
  cert.setIssuer([{ name: 'commonName', value: spec.issuer?.commonName ?? spec.commonName }]);
  cert.setExtensions(spec.extensions);
  cert.sign(forge.pki.privateKeyFromPem(spec.signingKeyPem), forge.md.sha256.create());
  return cert;
}

export function createTlsMaterial(): TlsMaterial {
  const caKeys = newRsaKeyPair();
  const caName = `Elevate tenant simulator test CA ${randomBytes(4).toString('hex')}`;
  const ca = makeCertificate({
    commonName: caName,
    publicKeyPem: caKeys.publicKeyPem,
    signingKeyPem: caKeys.privateKeyPem,
    validDays: 30,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  const leafKeys = newRsaKeyPair();
  const leaf = makeCertificate({
    commonName: '127.0.0.1',
    publicKeyPem: leafKeys.publicKeyPem,
    issuer: { privateKeyPem: caKeys.privateKeyPem, commonName: caName },
    signingKeyPem: caKeys.privateKeyPem,
    validDays: 30,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      // type 7 = IP address, type 2 = DNS name (RFC 5280 GeneralName).
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { caPem: forge.pki.certificateToPem(ca), keyPem: leafKeys.privateKeyPem, certPem: forge.pki.certificateToPem(leaf) };
}

/** Writes the CA to `<dataDir>/ca.pem` and returns its absolute path. */
export function writeCa(dataDir: string, caPem: string): string {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const caPath = path.join(dir, 'ca.pem');
  writeFileSync(caPath, caPem);
  return caPath;
}
