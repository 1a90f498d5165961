import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { NodeAuthOptions } from '@azure/msal-node';
import type { AppCredentialConfig } from '../../config.js';

/**
 * Elevate's Entra app credential as msal-node takes it (`auth.clientSecret`, `auth.clientCertificate`
 * or `auth.clientAssertion`), for the token broker (on-behalf-of, app-only Graph, Power Platform and
 * Dataverse tokens, the interactive sign-in) and the doctor. [S] msal-node signs a certificate
 * assertion itself (RFC 7523: `iss` = `sub` = client id, `aud` = the token endpoint, `jti`, `nbf`,
 * `exp` ten minutes on; `x5t#S256` and PS256 with `thumbprintSha256`, plus `x5c` when given), and
 * calls `clientAssertion` for every token request it sends.
 */
export type MsalClientCredential = Pick<NodeAuthOptions, 'clientSecret' | 'clientCertificate' | 'clientAssertion'>;

/** A certificate file that cannot be used: the caller names AAD_APP_CLIENT_CERTIFICATE_PATH. */
export class CertificateFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertificateFileError';
  }
}

export interface LoadedCertificate {
  /** Hex SHA-256 thumbprint of the certificate's DER encoding. */
  thumbprintSha256: string;
  /** PKCS#8 PEM of the private key (unencrypted: msal-node signs with it). */
  privateKey: string;
  /** The certificate PEM, sent as `x5c`. */
  x5c: string;
  /** When the certificate stops being valid (for logs and readiness). */
  validTo: Date;
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * Reads a PEM file holding the certificate registered on the app and its private key (the form
 * `openssl req -x509 -newkey rsa:2048 -nodes` or Key Vault's PEM export gives). Refuses a key that
 * does not belong to the certificate, so a wrong file fails at start rather than at the first token.
 */
export function loadCertificate(path: string): LoadedCertificate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CertificateFileError(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => ({ type: m[1]!, pem: m[0] }));
  const certificatePem = blocks.find((b) => b.type === 'CERTIFICATE')?.pem;
  const keyPem = blocks.find((b) => b.type.endsWith('PRIVATE KEY'))?.pem;
  if (!certificatePem) throw new CertificateFileError('holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  if (!keyPem) throw new CertificateFileError('holds no PEM private key (-----BEGIN PRIVATE KEY-----)');
  if (keyPem.includes('ENCRYPTED')) throw new CertificateFileError('holds an encrypted private key; msal-node needs it unencrypted');
  let certificate: X509Certificate;
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    certificate = new X509Certificate(certificatePem);
    privateKey = createPrivateKey(keyPem);
  } catch (error) {
    throw new CertificateFileError('holds a certificate or key that cannot be parsed', { cause: error });
  }
  if (!certificate.checkPrivateKey(privateKey)) throw new CertificateFileError("holds a private key that is not the certificate's");
  return {
    thumbprintSha256: certificate.fingerprint256.replace(/:/g, '').toLowerCase(),
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    x5c: certificatePem,
    validTo: new Date(certificate.validTo),
  };
}

/**
 * A managed identity's token for the token exchange audience, used as the app's client assertion
 * (workload identity federation: the app lists the identity as a federated identity credential with
 * issuer `https://login.microsoftonline.com/{tenant}/v2.0`, subject = the identity's object id and
 * audience `api://AzureADTokenExchange`; learn.microsoft.com, Graph `federatedIdentityCredential`).
 * ManagedIdentityCredential reads the App Service endpoint from IDENTITY_ENDPOINT/IDENTITY_HEADER and
 * caches the token until it nears its end.
 */
export function federatedAssertion(credential: TokenCredential, audience: string): () => Promise<string> {
  const scope = `${audience.replace(/\/+$/, '')}/.default`;
  return async () => {
    const token = await credential.getToken(scope);
    if (!token?.token) throw new Error('The managed identity returned no token for the federated credential.');
    return token.token;
  };
}

/** The msal-node credential fields for `config`; reads the certificate file once. */
export function msalClientCredential(config: AppCredentialConfig, options: { managedIdentity?: TokenCredential } = {}): MsalClientCredential {
  switch (config.kind) {
    case 'secret':
      return { clientSecret: config.secret };
    case 'certificate': {
      const { thumbprintSha256, privateKey, x5c } = loadCertificate(config.path);
      return { clientCertificate: { thumbprintSha256, privateKey, x5c } };
    }
    case 'federatedManagedIdentity': {
      const identity = options.managedIdentity ?? new ManagedIdentityCredential({ clientId: config.managedIdentityClientId });
      return { clientAssertion: federatedAssertion(identity, config.audience) };
    }
  }
}
