import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CertificateFileError, federatedAssertion, loadCertificate, msalClientCredential } from '../../../../src/adapters/identity/app-credential.js';
import { makeAppCertificate } from '../../../harness/app-credentials.js';
import { newRsaKeyPair } from '../../../simulator/core/ca.js';

function refusal(run: () => unknown): CertificateFileError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof CertificateFileError, `expected CertificateFileError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the file to be refused');
}

describe("Elevate's app credential for msal-node", () => {
  const certificate = makeAppCertificate();
  const certificatePem = certificate.pem.slice(0, certificate.pem.indexOf('-----BEGIN PRIVATE KEY-----'));
  const write = (name: string, text: string) => {
    const file = path.join(path.dirname(certificate.pemPath), name);
    writeFileSync(file, text);
    return file;
  };

  it('reads the certificate and its key from one PEM file: SHA-256 thumbprint, PKCS#8 key, the certificate as x5c', () => {
    const loaded = loadCertificate(certificate.pemPath);
    const der = new X509Certificate(certificatePem).raw;
    assert.equal(loaded.thumbprintSha256, createHash('sha256').update(der).digest('hex'));
    assert.match(loaded.privateKey, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(loaded.x5c, /^-----BEGIN CERTIFICATE-----/);
    assert.ok(loaded.validTo.getTime() > Date.now());
  });

  it('takes the key before the certificate too', () => {
    const file = write('key-first.pem', `${certificate.privateKeyPem}${certificatePem}`);
    assert.equal(loadCertificate(file).thumbprintSha256, loadCertificate(certificate.pemPath).thumbprintSha256);
  });

  const refused: [string, () => string, RegExp][] = [
    ['a missing file', () => path.join(path.dirname(certificate.pemPath), 'absent.pem'), /cannot be read \(ENOENT\)/],
    ['a file without a key', () => write('no-key.pem', certificatePem), /no PEM private key/],
    ['a file without a certificate', () => write('no-cert.pem', certificate.privateKeyPem), /no PEM certificate/],
    ['a key of another certificate', () => write('other-key.pem', `${certificatePem}${newRsaKeyPair().privateKeyPem}`), /not the certificate's/],
    [
      'an encrypted key',
      () => write('encrypted.pem', `${certificatePem}-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n`),
      /encrypted private key/,
    ],
  ];
  for (const [name, file, message] of refused) {
    it(`refuses ${name} at start, with a message that holds no key material`, () => {
      const error = refusal(() => loadCertificate(file()));
      assert.match(error.message, message);
      assert.ok(!error.message.includes(certificate.privateKeyPem.split('\n')[1]!), 'no key material in the message');
    });
  }

  it('maps each configured credential to the msal-node field that carries it', () => {
    assert.deepEqual(msalClientCredential({ kind: 'secret', secret: 's3cr3t' }), { clientSecret: 's3cr3t' });
    assert.equal(
      msalClientCredential({ kind: 'certificate', path: certificate.pemPath }).clientCertificate?.thumbprintSha256,
      loadCertificate(certificate.pemPath).thumbprintSha256,
    );
    const identity = { getToken: async () => ({ token: 'msi-token', expiresOnTimestamp: Date.now() + 60_000 }) };
    const federated = msalClientCredential(
      { kind: 'federatedManagedIdentity', managedIdentityClientId: 'id', audience: 'api://AzureADTokenExchange' },
      { managedIdentity: identity },
    );
    assert.equal(typeof federated.clientAssertion, 'function');
  });

  it("asks the managed identity for the federated audience's .default scope on every assertion", async () => {
    const asked: string[] = [];
    const assertion = federatedAssertion(
      { getToken: async (scope) => (asked.push(String(scope)), { token: `t${asked.length}`, expiresOnTimestamp: Date.now() + 60_000 }) },
      'api://AzureADTokenExchange/',
    );
    assert.deepEqual([await assertion(), await assertion()], ['t1', 't2']);
    assert.deepEqual(asked, ['api://AzureADTokenExchange/.default', 'api://AzureADTokenExchange/.default']);
    await assert.rejects(federatedAssertion({ getToken: async () => null }, 'api://AzureADTokenExchange')(), /no token/);
  });
});
