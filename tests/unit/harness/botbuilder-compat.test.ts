import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import jwt from 'jsonwebtoken';
import restify, { type Server } from 'restify';
import type { AuthMode } from '../../harness/channel-auth.js';
import { ControlClient } from '../../harness/control.js';
import { TeamsClient } from '../../harness/teams-client.js';
import { BOT_ID, BOT_PASSWORD, TENANT_ID, USERS } from '../../harness/tenant.js';

/**
 * The harness's activities and tokens against botbuilder's own Bot Framework authentication
 * (4.23), with a local issuer in place of the simulator: genuine tokens pass, every bad one fails,
 * and botbuilder reads the Teams fields the bot relies on.
 */
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...key.publicKey.export({ format: 'jwk' }), kid: 'bf-1', use: 'sig', endorsements: ['msteams'] };

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {}));
  });
}

function issuer(base: () => string): HttpServer {
  return createServer(async (req, res) => {
    const body = await readJson(req);
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/botframework/v1/.well-known/openidconfiguration') {
      return res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base()}/botframework/v1/keys` }));
    }
    if (req.url === '/botframework/v1/keys') return res.end(JSON.stringify({ keys: [jwk] }));
    const claims = { iss: 'https://api.botframework.com', aud: body['audience'] ?? BOT_ID, serviceurl: body['serviceUrl'] };
    const expiresIn = Number(body['expiresInSeconds'] ?? 600);
    return res.end(JSON.stringify({ token: jwt.sign(claims, key.privateKey, { algorithm: 'RS256', keyid: 'bf-1', expiresIn }) }));
  });
}

function bot(metadataUrl: string, seen: Partial<Activity>[]): Server {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: BOT_ID,
    MicrosoftAppPassword: BOT_PASSWORD,
    MicrosoftAppType: 'MultiTenant',
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    ToChannelFromBotLoginUrl: 'https://127.0.0.1:1/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async () => undefined;
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req as never, res as never, async (context) => {
      seen.push(context.activity);
      if (context.activity.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200 } } });
    });
  });
  return server;
}

describe('harness: activities and tokens against botbuilder authentication', function () {
  this.timeout(20_000);
  const seen: Partial<Activity>[] = [];
  let base = '';
  let sim: HttpServer;
  let server: Server;
  let adele: TeamsClient;
  const consoleError = console.error;

  before(async () => {
    // CloudAdapter prints every rejected token with console.error; the assertions say enough.
    console.error = () => undefined;
    sim = issuer(() => base);
    await new Promise<void>((resolve) => sim.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(sim.address() as AddressInfo).port}`;
    server = bot(`${base}/botframework/v1/.well-known/openidconfiguration`, seen);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    adele = new TeamsClient({ botUrl, sim: { baseUrl: base, control: new ControlClient(base) }, user: USERS.adele });
  });

  after(() => {
    console.error = consoleError;
    server.close();
    sim.close();
  });

  it('is let in with a genuine token, and botbuilder reads user, conversation and tenant', async () => {
    assert.equal((await adele.say('elevate me in Contoso Prod')).status, 200);
    const activity = seen.at(-1);
    assert.equal(activity?.from?.aadObjectId, USERS.adele.id);
    assert.equal(activity?.conversation?.conversationType, 'personal');
    assert.equal(activity?.conversation?.tenantId, TENANT_ID);
    const invoke = await adele.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'submit', data: {} }, trigger: 'manual' }, '1');
    assert.deepEqual([invoke.status, invoke.body], [200, { statusCode: 200 }]);
  });

  for (const auth of ['none', 'forged', 'tampered', 'unsigned', 'expired', 'wrong-audience', 'wrong-service-url'] satisfies AuthMode[]) {
    it(`is turned away with a token that is ${auth}`, async () => {
      const before = seen.length;
      const result = await adele.say('hi', { auth });
      assert.ok(result.status >= 400, `status ${result.status}`);
      assert.equal(seen.length, before);
    });
  }
});
