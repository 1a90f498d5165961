import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

const TENANT = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';
const VALID = {
  BOT_ID: '0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7',
  BOT_PASSWORD: 'bot-secret',
  AAD_APP_CLIENT_ID: 'e1e7a7e0-55a0-4e1e-9a7e-0000000055a0',
  AAD_APP_CLIENT_SECRET: 'sso-secret',
  AAD_APP_TENANT_ID: TENANT,
  SECURITY_GROUP_ID: '5ec0a11d-0000-4000-8000-000000000001',
  ELEVATE_PUBLIC_URL: 'https://elevate.contoso.example',
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
  });
});
