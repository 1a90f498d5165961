import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

const VALID = {
  BOT_ID: '0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7',
  BOT_PASSWORD: 'bot-secret',
  AAD_APP_CLIENT_ID: 'e1e7a7e0-55a0-4e1e-9a7e-0000000055a0',
  AAD_APP_CLIENT_SECRET: 'sso-secret',
  AAD_APP_TENANT_ID: '4d3c2b1a-0f9e-4d8c-b7a6-958473625140',
  SECURITY_GROUP_ID: '5ec0a11d-0000-4000-8000-000000000001',
  ELEVATE_PUBLIC_URL: 'https://elevate.contoso.example',
  ELEVATE_AUDIT_KEYS: `2026-03:${Buffer.alloc(32, 1).toString('base64')}`,
};
const RBAC_ID = 'e1e7a7e0-8bac-4000-8000-0000000008ac';

function refusedVariable(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.variable;
  }
  return assert.fail('expected a refusal');
}

describe('loadConfig: the optional RBAC identity (issue #14)', () => {
  it('is off unless ELEVATE_RBAC_CLIENT_ID is set', () => {
    assert.equal(loadConfig(VALID).rbac, undefined);
  });

  it('takes a secret, a certificate file or a federated managed identity, exactly one', () => {
    assert.deepEqual(loadConfig({ ...VALID, ELEVATE_RBAC_CLIENT_ID: RBAC_ID, ELEVATE_RBAC_CLIENT_SECRET: 's' }).rbac, {
      clientId: RBAC_ID,
      credential: { kind: 'secret', secret: 's' },
    });
    const msi = loadConfig({ ...VALID, ELEVATE_RBAC_CLIENT_ID: RBAC_ID, ELEVATE_RBAC_FEDERATED_MSI_CLIENT_ID: 'a1d0e5a1-0000-4000-8000-00000000a1d0' }).rbac;
    assert.equal(msi?.credential.kind, 'federatedManagedIdentity');
    assert.equal(refusedVariable({ ...VALID, ELEVATE_RBAC_CLIENT_ID: RBAC_ID }), 'ELEVATE_RBAC_CLIENT_SECRET');
    assert.equal(
      refusedVariable({ ...VALID, ELEVATE_RBAC_CLIENT_ID: RBAC_ID, ELEVATE_RBAC_CLIENT_SECRET: 's', ELEVATE_RBAC_CLIENT_CERTIFICATE_PATH: '/x.pem' }),
      'ELEVATE_RBAC_CLIENT_CERTIFICATE_PATH',
    );
  });

  it("refuses Elevate's own app as the RBAC identity, and a credential without a client id", () => {
    assert.equal(refusedVariable({ ...VALID, ELEVATE_RBAC_CLIENT_ID: VALID.AAD_APP_CLIENT_ID, ELEVATE_RBAC_CLIENT_SECRET: 's' }), 'ELEVATE_RBAC_CLIENT_ID');
    assert.equal(refusedVariable({ ...VALID, ELEVATE_RBAC_CLIENT_SECRET: 's' }), 'ELEVATE_RBAC_CLIENT_SECRET');
    assert.equal(refusedVariable({ ...VALID, ELEVATE_RBAC_CLIENT_ID: 'not-a-guid', ELEVATE_RBAC_CLIENT_SECRET: 's' }), 'ELEVATE_RBAC_CLIENT_ID');
  });
});
