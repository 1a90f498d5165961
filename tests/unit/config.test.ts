import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ConfigError, developmentAuditKey, loadConfig, verificationAuditKeys } from '../../src/config.js';

const TENANT = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';
const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(48, 2).toString('base64url');
const VALID = {
  BOT_ID: '0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7',
  BOT_PASSWORD: 'bot-secret',
  AAD_APP_CLIENT_ID: 'e1e7a7e0-55a0-4e1e-9a7e-0000000055a0',
  AAD_APP_CLIENT_SECRET: 'sso-secret',
  AAD_APP_TENANT_ID: TENANT,
  SECURITY_GROUP_ID: '5ec0a11d-0000-4000-8000-000000000001',
  ELEVATE_PUBLIC_URL: 'https://elevate.contoso.example',
  ELEVATE_AUDIT_KEYS: `2026-03:${KEY_A}`,
};
const DEV = { ...VALID, BOT_ID: '', BOT_PASSWORD: '', ELEVATE_DEV_SIGNIN: 'true', HOST: '127.0.0.1', AAD_APP_OAUTH_AUTHORITY_HOST: 'https://127.0.0.1:9443' };

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('applies production defaults for a minimal real-tenant configuration', () => {
    const config = loadConfig(VALID);
    assert.equal(config.graphBaseUrl, 'https://graph.microsoft.com');
    assert.equal(config.powerPlatformApiUrl, 'https://api.powerplatform.com');
    assert.equal(config.bot.loginUrl, 'https://login.microsoftonline.com/botframework.com');
    assert.equal(config.bot.openIdMetadataUrl, 'https://login.botframework.com/v1/.well-known/openidconfiguration');
    assert.equal(config.store, 'sqlite:./data/elevate.db');
    assert.equal(config.port, 3978);
    assert.equal(config.devSignIn, false);
    assert.deepEqual(config.aad.ssoAudiences, [VALID.AAD_APP_CLIENT_ID, `api://botid-${VALID.BOT_ID}`]);
  });

  it("takes Graph's token audience from GRAPH_RESOURCE (sovereign clouds), the public cloud's by default", () => {
    assert.equal(loadConfig(VALID).graphResource, 'https://graph.microsoft.com');
    assert.equal(loadConfig({ ...VALID, GRAPH_RESOURCE: 'https://graph.microsoft.us/' }).graphResource, 'https://graph.microsoft.us');
    assert.equal(refusal({ ...VALID, GRAPH_RESOURCE: 'http://graph.microsoft.us' }).variable, 'GRAPH_RESOURCE');
  });

  it('takes the managed identity for an Azure Tables endpoint from AZURE_CLIENT_ID, as @azure/identity would', () => {
    const clientId = '7a3c1e5b-0000-4000-8000-00000000a2c1';
    assert.equal(loadConfig(VALID).azureClientId, undefined);
    assert.equal(
      loadConfig({ ...VALID, ELEVATE_STORE: 'azuretables:https://contoso.table.core.windows.net', AZURE_CLIENT_ID: clientId }).azureClientId,
      clientId,
    );
    assert.equal(refusal({ ...VALID, AZURE_CLIENT_ID: 'my-identity' }).variable, 'AZURE_CLIENT_ID');
  });

  it('uses the bot tenant in the login URL of a single-tenant bot', () => {
    const config = loadConfig({ ...VALID, BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: TENANT });
    assert.equal(config.bot.loginUrl, `https://login.microsoftonline.com/${TENANT}`);
  });

  const cases: { name: string; env: Record<string, string>; variable: string }[] = [
    { name: 'a missing Elevate app id', env: { ...VALID, AAD_APP_CLIENT_ID: '' }, variable: 'AAD_APP_CLIENT_ID' },
    { name: 'a security group that is not a GUID', env: { ...VALID, SECURITY_GROUP_ID: 'security-team' }, variable: 'SECURITY_GROUP_ID' },
    { name: 'an http Graph URL', env: { ...VALID, GRAPH_BASE_URL: 'http://graph.microsoft.com' }, variable: 'GRAPH_BASE_URL' },
    { name: 'a port that is not a number', env: { ...VALID, PORT: 'eighty' }, variable: 'PORT' },
    { name: 'an empty bot id outside development sign-in', env: { ...VALID, BOT_ID: '' }, variable: 'BOT_ID' },
    { name: 'a missing bot password', env: { ...VALID, BOT_PASSWORD: '' }, variable: 'BOT_PASSWORD' },
    { name: 'a single-tenant bot without tenant', env: { ...VALID, BOT_TYPE: 'SingleTenant' }, variable: 'BOT_TENANT_ID' },
    { name: 'a role that cannot self-elevate', env: { ...VALID, ELEVATE_ROLES: 'fe930be7-5e62-47db-91af-98c3a49a38b1' }, variable: 'ELEVATE_ROLES' },
    { name: 'development sign-in with a bot id', env: { ...DEV, BOT_ID: VALID.BOT_ID }, variable: 'ELEVATE_DEV_SIGNIN' },
    {
      name: 'development sign-in against real Entra ID',
      env: { ...DEV, AAD_APP_OAUTH_AUTHORITY_HOST: 'https://login.microsoftonline.com' },
      variable: 'ELEVATE_DEV_SIGNIN',
    },
    { name: 'development sign-in listening on every interface', env: { ...DEV, HOST: '0.0.0.0' }, variable: 'ELEVATE_DEV_SIGNIN' },
    { name: 'a deployment (listening on every interface) without a public URL', env: { ...VALID, ELEVATE_PUBLIC_URL: '' }, variable: 'ELEVATE_PUBLIC_URL' },
    { name: 'an http public URL', env: { ...VALID, ELEVATE_PUBLIC_URL: 'http://elevate.contoso.example' }, variable: 'ELEVATE_PUBLIC_URL' },
    { name: 'a deployment without audit keys', env: { ...VALID, ELEVATE_AUDIT_KEYS: '' }, variable: 'ELEVATE_AUDIT_KEYS' },
    { name: 'an audit key without an id', env: { ...VALID, ELEVATE_AUDIT_KEYS: KEY_A }, variable: 'ELEVATE_AUDIT_KEYS' },
    { name: 'an audit key that is not base64', env: { ...VALID, ELEVATE_AUDIT_KEYS: 'k1:not base64!' }, variable: 'ELEVATE_AUDIT_KEYS' },
    {
      name: 'an audit key shorter than 32 bytes',
      env: { ...VALID, ELEVATE_AUDIT_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` },
      variable: 'ELEVATE_AUDIT_KEYS',
    },
    { name: 'an audit key id listed twice', env: { ...VALID, ELEVATE_AUDIT_KEYS: `k1:${KEY_A},k1:${KEY_B}` }, variable: 'ELEVATE_AUDIT_KEYS' },
    { name: 'an anchor interval longer than a week', env: { ...VALID, ELEVATE_AUDIT_ANCHOR_MINUTES: '20000' }, variable: 'ELEVATE_AUDIT_ANCHOR_MINUTES' },
    { name: 'an app without any credential', env: { ...VALID, AAD_APP_CLIENT_SECRET: '' }, variable: 'AAD_APP_CLIENT_SECRET' },
    {
      name: 'a certificate beside a client secret',
      env: { ...VALID, AAD_APP_CLIENT_CERTIFICATE_PATH: '/etc/elevate/app.pem' },
      variable: 'AAD_APP_CLIENT_CERTIFICATE_PATH',
    },
    {
      name: 'a federated managed identity that is not a GUID',
      env: { ...VALID, AAD_APP_CLIENT_SECRET: '', AAD_APP_FEDERATED_MSI_CLIENT_ID: 'elevate-identity' },
      variable: 'AAD_APP_FEDERATED_MSI_CLIENT_ID',
    },
    { name: 'a managed-identity bot with a password', env: { ...VALID, BOT_TYPE: 'UserAssignedMSI' }, variable: 'BOT_PASSWORD' },
    { name: 'an unknown bot type', env: { ...VALID, BOT_TYPE: 'SystemAssignedMSI' }, variable: 'BOT_TYPE' },
    {
      name: 'a secretless app on loopback without audit keys (the development key needs the secret)',
      env: { ...VALID, HOST: '127.0.0.1', ELEVATE_AUDIT_KEYS: '', AAD_APP_CLIENT_SECRET: '', AAD_APP_CLIENT_CERTIFICATE_PATH: '/tmp/app.pem' },
      variable: 'ELEVATE_AUDIT_KEYS',
    },
    {
      name: 'a sign-in key shorter than 32 bytes',
      env: { ...VALID, ELEVATE_SIGNIN_KEY: Buffer.alloc(16, 3).toString('base64') },
      variable: 'ELEVATE_SIGNIN_KEY',
    },
    {
      name: 'zero tries to create a grant (it would never try)',
      env: { ...VALID, ELEVATE_RBAC_ASSIGN_ATTEMPTS: '0' },
      variable: 'ELEVATE_RBAC_ASSIGN_ATTEMPTS',
    },
  ];
  for (const { name, env, variable } of cases) {
    it(`refuses ${name}, naming ${variable}`, () => {
      const error = refusal(env);
      assert.equal(error.variable, variable);
      assert.match(error.message, new RegExp(variable));
    });
  }

  it('allows development sign-in only against a loopback simulator with inbound auth off', () => {
    const config = loadConfig(DEV);
    assert.equal(config.devSignIn, true);
    assert.equal(config.bot.id, '');
  });

  it('never puts a secret in its error messages', () => {
    const error = refusal({ ...VALID, AAD_APP_CLIENT_SECRET: 'super-secret-value', SECURITY_GROUP_ID: 'nope' });
    assert.doesNotMatch(error.message, /super-secret-value/);
    const keyError = refusal({ ...VALID, ELEVATE_AUDIT_KEYS: `k1:${KEY_A},k2:${KEY_A.slice(0, 20)}` });
    assert.equal(keyError.variable, 'ELEVATE_AUDIT_KEYS');
    assert.ok(!keyError.message.includes(KEY_A.slice(0, 20)), 'no audit key in the message');
  });

  it('reads the audit keys newest first (the first seals, all verify) and anchors hourly by default', () => {
    const config = loadConfig({ ...VALID, ELEVATE_AUDIT_KEYS: ` 2026-09:${KEY_B} , 2026-03:${KEY_A} ` });

    assert.deepEqual(
      config.audit.keys.map((key) => [key.id, key.secret.length]),
      [
        ['2026-09', 48],
        ['2026-03', 32],
      ],
    );
    assert.deepEqual(config.audit.keys[1]?.secret, Buffer.alloc(32, 1));
    assert.equal(config.audit.developmentKey, false);
    assert.equal(config.audit.anchorMinutes, 60);
    assert.equal(loadConfig({ ...VALID, ELEVATE_AUDIT_ANCHOR_MINUTES: '0' }).audit.anchorMinutes, 0);
  });

  it('derives a development audit key from the client secret on loopback only, and the CLI does the same', () => {
    const config = loadConfig({ ...DEV, ELEVATE_AUDIT_KEYS: '' });

    assert.equal(config.audit.developmentKey, true);
    assert.deepEqual(config.audit.keys, [developmentAuditKey(DEV.AAD_APP_CLIENT_SECRET)]);
    assert.equal(config.audit.keys[0]?.id, 'dev');
    assert.notDeepEqual(developmentAuditKey('another secret').secret, config.audit.keys[0]?.secret);
    assert.deepEqual(verificationAuditKeys({ AAD_APP_CLIENT_SECRET: DEV.AAD_APP_CLIENT_SECRET }), { keys: config.audit.keys, developmentKey: true });
    assert.equal(verificationAuditKeys({ ELEVATE_AUDIT_KEYS: `k1:${KEY_A}`, AAD_APP_CLIENT_SECRET: 'x' }).developmentKey, false);
    assert.throws(() => verificationAuditKeys({}), /ELEVATE_AUDIT_KEYS is required to verify/);
  });

  it("gives the doctor's operator sign-in the Microsoft Graph Command Line Tools client unless ELEVATE_DOCTOR_CLIENT_ID names another", () => {
    assert.equal(loadConfig(VALID).doctorClientId, '14d82eec-204b-4c2f-b7e8-296a70dab67e');
    assert.equal(
      loadConfig({ ...VALID, ELEVATE_DOCTOR_CLIENT_ID: 'd0c70000-0000-4000-8000-000000000001' }).doctorClientId,
      'd0c70000-0000-4000-8000-000000000001',
    );
    assert.equal(refusal({ ...VALID, ELEVATE_DOCTOR_CLIENT_ID: 'graph-cli' }).message, 'Configuration error: ELEVATE_DOCTOR_CLIENT_ID must be a GUID');
  });

  describe('credentials without secrets', () => {
    const MSI = 'a1d0e5a1-0000-4000-8000-00000000a1d0';
    const SECRETLESS = {
      ...VALID,
      AAD_APP_CLIENT_SECRET: '',
      BOT_PASSWORD: '',
      BOT_TYPE: 'UserAssignedMSI',
      BOT_ID: MSI,
      AAD_APP_FEDERATED_MSI_CLIENT_ID: MSI,
    };

    it('takes a managed-identity bot and a federated app credential, with the token exchange audience by default', () => {
      const config = loadConfig(SECRETLESS);
      assert.equal(config.bot.type, 'UserAssignedMSI');
      assert.equal(config.bot.password, '');
      assert.deepEqual(config.aad.credential, { kind: 'federatedManagedIdentity', managedIdentityClientId: MSI, audience: 'api://AzureADTokenExchange' });
      assert.equal(
        loadConfig({ ...SECRETLESS, AAD_APP_FEDERATED_AUDIENCE: 'api://AzureADTokenExchangeUSGov' }).aad.credential.kind,
        'federatedManagedIdentity',
      );
    });

    it('takes a certificate file instead of a secret', () => {
      assert.deepEqual(loadConfig({ ...VALID, AAD_APP_CLIENT_SECRET: '', AAD_APP_CLIENT_CERTIFICATE_PATH: '/etc/elevate/app.pem' }).aad.credential, {
        kind: 'certificate',
        path: '/etc/elevate/app.pem',
      });
    });

    it('derives the PKCE verifier key from ELEVATE_SIGNIN_KEY, else the client secret as before, else the sealing audit key, the same on every instance', () => {
      const signInKey = Buffer.alloc(32, 7).toString('base64');
      const fromSecret = loadConfig(VALID).signInVerifierKey;
      assert.equal(fromSecret, createHash('sha256').update(`elevate step-up pkce\u0000${VALID.AAD_APP_CLIENT_SECRET}`).digest('hex'), 'unchanged for secrets');
      assert.equal(loadConfig({ ...VALID, ELEVATE_SIGNIN_KEY: signInKey }).signInVerifierKey, Buffer.alloc(32, 7).toString('hex'));
      const fromAudit = loadConfig(SECRETLESS).signInVerifierKey;
      assert.equal(fromAudit, loadConfig(SECRETLESS).signInVerifierKey, 'deterministic');
      assert.match(fromAudit, /^[0-9a-f]{64}$/);
      assert.notEqual(fromAudit, Buffer.from(KEY_A, 'base64').toString('hex'), 'not the audit key itself');
      assert.notEqual(
        loadConfig({ ...SECRETLESS, ELEVATE_AUDIT_KEYS: `2026-09:${KEY_B},2026-03:${KEY_A}` }).signInVerifierKey,
        fromAudit,
        'follows the sealing key',
      );
    });

    it('bounds shutdown by ELEVATE_SHUTDOWN_TIMEOUT_SECONDS (25 s by default) and loads telemetry only with a connection string', () => {
      assert.equal(loadConfig(VALID).shutdownTimeoutMs, 25_000);
      assert.equal(loadConfig({ ...VALID, ELEVATE_SHUTDOWN_TIMEOUT_SECONDS: '5' }).shutdownTimeoutMs, 5_000);
      assert.equal(loadConfig(VALID).applicationInsightsConnectionString, undefined);
      const connection = 'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
      assert.equal(loadConfig({ ...VALID, APPLICATIONINSIGHTS_CONNECTION_STRING: connection }).applicationInsightsConnectionString, connection);
    });
  });
});
