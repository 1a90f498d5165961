import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  AAD_APP_CLIENT_ID,
  AAD_APP_ID_URI,
  assertNoSecretsIn,
  cardOf,
  cardText,
  ELEVATE_IDENTITY,
  IDENTITY_HEADER,
  makeAppCertificate,
  managedIdentityEnv,
  ROLES,
  SEED_SECRETS,
  startBot,
  startSimulator,
  TeamsClient,
  USERS,
  type BotProcess,
  type RecordedRequest,
  type Simulator,
} from '../harness/index.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import { JUSTIFICATION, SUBMIT, openRequestCard } from './support/flow.js';

const AUDIT_KEYS = `e2e:${randomBytes(32).toString('base64')}`;
const CLIENT_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What the bot sent to the token endpoint (bodies are logged redacted: client_secret and client_assertion never appear). */
function tokenRequestsOf(requests: RecordedRequest[], clientId: string): Record<string, string>[] {
  return requests
    .filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token'))
    .map((r) => r.body as Record<string, string>)
    .filter((b) => b['client_id'] === clientId);
}

describe('secretless credentials: the bot elevates end to end with a certificate, and with managed identities only', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let bot: BotProcess | undefined;
  let client: TeamsClient | undefined;

  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim?.stop();
  });
  beforeEach(() => sim.control.reset());
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  async function elevate(botId?: string): Promise<void> {
    client = new TeamsClient({ botUrl: bot!.url, sim, user: USERS.adele, ...(botId ? { botId } : {}) });
    const request = await openRequestCard(client, 'elevate me in Contoso Prod');
    const tap = await client.tap(request, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    assert.equal(tap.status, 200);
    await client.waitFor((r) => r.id === request.id && /System Administrator/.test(cardText(cardOf(r))) && /until/i.test(cardText(cardOf(r))), {
      timeoutMs: 30_000,
      what: 'the success card',
    });
  }

  it("uses the certificate in AAD_APP_CLIENT_CERTIFICATE_PATH for every token of Elevate's app (on-behalf-of, Graph, Power Platform, Dataverse)", async () => {
    const certificate = makeAppCertificate();
    await sim.control.updateTenant<TenantModel>((tenant) => {
      tenant.apps.find((a) => a.clientId === AAD_APP_CLIENT_ID)!.keyCredentials = [certificate.keyCredential];
    });
    bot = await startBot({
      sim,
      env: {
        AAD_APP_CLIENT_SECRET: undefined,
        AAD_APP_CLIENT_CERTIFICATE_PATH: certificate.pemPath,
        ELEVATE_AUDIT_KEYS: AUDIT_KEYS,
        ELEVATE_ACTIVATION_POLL_MS: '200',
      },
    });

    await elevate();

    const entra = await sim.control.requests('entra');
    const requests = tokenRequestsOf(entra, AAD_APP_CLIENT_ID);
    const grants = new Set(requests.map((b) => b['grant_type']));
    assert.ok(
      grants.has('urn:ietf:params:oauth:grant-type:jwt-bearer') && grants.has('client_credentials'),
      `on-behalf-of and app tokens (${[...grants].join(', ')})`,
    );
    assert.ok(
      requests.every((b) => b['client_assertion_type'] === CLIENT_ASSERTION && b['client_assertion'] === '[redacted]' && b['client_secret'] === undefined),
      'every token request of the app authenticated with a certificate assertion, none with a secret',
    );
    assert.ok(
      entra.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).every((r) => r.status === 200),
      'Entra accepted every assertion',
    );
    const dataverse = await sim.control.requests('dataverse');
    assert.ok(
      dataverse.some((r) => r.token?.appid === AAD_APP_CLIENT_ID && r.token?.idtyp === 'app'),
      "Dataverse was read with the app's own token",
    );
    assertNoSecretsIn(bot.output(), [...SEED_SECRETS, ...client!.tokens(), certificate.privateKeyPem.split('\n')[1]!]);
  });

  it('runs as BOT_TYPE=UserAssignedMSI with no secret at all: connector tokens from the managed identity endpoint, the app signed in by federation', async () => {
    await sim.control.updateTenant<TenantModel>((tenant) => {
      tenant.azureBot = { msaAppId: ELEVATE_IDENTITY.clientId, msaAppType: 'UserAssignedMSI' };
    });
    bot = await startBot({
      sim,
      env: {
        BOT_ID: ELEVATE_IDENTITY.clientId,
        BOT_TYPE: 'UserAssignedMSI',
        BOT_PASSWORD: undefined,
        BOT_LOGIN_URL: undefined,
        AAD_APP_CLIENT_SECRET: undefined,
        AAD_APP_FEDERATED_MSI_CLIENT_ID: ELEVATE_IDENTITY.clientId,
        AAD_APP_ID_URI,
        ELEVATE_AUDIT_KEYS: AUDIT_KEYS,
        ELEVATE_ACTIVATION_POLL_MS: '200',
        ...managedIdentityEnv(sim),
      },
    });

    await elevate(ELEVATE_IDENTITY.clientId);

    const msi = await sim.control.requests('managedidentity');
    const resources = new Set(msi.map((r) => r.query['resource']));
    assert.ok(resources.has('https://api.botframework.com'), 'connector tokens came from the managed identity');
    assert.ok(resources.has('api://AzureADTokenExchange'), 'the federated assertion came from the managed identity');
    assert.ok(msi.every((r) => r.query['client_id'] === ELEVATE_IDENTITY.clientId && r.query['api-version'] === '2019-08-01' && r.status === 200));
    const connector = await sim.control.requests('connector');
    assert.ok(
      connector.length > 0 && connector.every((r) => r.token?.appid === ELEVATE_IDENTITY.clientId),
      'every connector call carried the managed identity token',
    );
    const entra = await sim.control.requests('entra');
    assert.equal(tokenRequestsOf(entra, ELEVATE_IDENTITY.clientId).length, 0, 'the bot never asked Entra for connector tokens with a secret');
    const app = tokenRequestsOf(entra, AAD_APP_CLIENT_ID);
    assert.ok(app.length > 0 && app.every((b) => b['client_assertion_type'] === CLIENT_ASSERTION && b['client_secret'] === undefined));
    assertNoSecretsIn(bot.output(), [...SEED_SECRETS, IDENTITY_HEADER, ...client!.tokens()]);
  });
});
