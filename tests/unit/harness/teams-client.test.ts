import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { latestCard } from '../../harness/card-find.js';
import { findAction } from '../../harness/cards.js';
import { OTHER_AUDIENCE } from '../../harness/channel-auth.js';
import { ControlClient, type RecordedActivity } from '../../harness/control.js';
import { TeamsClient } from '../../harness/teams-client.js';
import { BOT_ID, USERS } from '../../harness/tenant.js';
import { decodeJwt } from '../../harness/tokens.js';
import { requestCard } from './fixtures.js';

/** In-process stand-ins: the simulator's control API and the bot's /api/messages. */
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
type Received = { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> };

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {}));
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fakeSsoToken = (userId: string): string => `sso-token-for-${Buffer.from(userId).toString('base64url')}`;
describe('harness: TeamsClient', () => {
  let records: RecordedActivity[];
  let controlCalls: Received[];
  let botCalls: Received[];
  let answer: (body: Record<string, unknown>) => { status: number; body?: unknown };
  let control: Server;
  let bot: Server;
  let simUrl: string;
  let botUrl: string;

  before(async () => {
    control = createServer(async (req, res) => {
      const body = await readJson(req);
      const url = new URL(req.url ?? '/', 'http://x');
      controlCalls.push({ path: url.pathname + url.search, headers: req.headers, body });
      res.setHeader('Content-Type', 'application/json');
      if (url.pathname === '/_control/channel-token') {
        const claims = { iss: 'https://api.botframework.com', aud: body['audience'] ?? BOT_ID, serviceurl: body['serviceUrl'] };
        return res.end(
          JSON.stringify({
            token: jwt.sign(claims, key.privateKey, { algorithm: 'RS256', keyid: 'bf-1', expiresIn: Number(body['expiresInSeconds'] ?? 600) }),
          }),
        );
      }
      // Not the plain user id: the suite's log scan looks for every token the harness got, and ids are in every log.
      if (url.pathname === '/_control/sso-token') return res.end(JSON.stringify({ token: fakeSsoToken(String(body['userId'])) }));
      if (url.pathname === '/_control/activities') {
        const id = url.searchParams.get('conversationId');
        return res.end(JSON.stringify(records.filter((r) => !id || r.conversationId === id || r.conversationId.split(';messageid=')[0] === id)));
      }
      res.statusCode = 404;
      return res.end('{}');
    });
    bot = createServer(async (req, res) => {
      const body = await readJson(req);
      botCalls.push({ path: req.url ?? '', headers: req.headers, body });
      const reply = answer(body);
      res.statusCode = reply.status;
      res.setHeader('Content-Type', 'application/json');
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
    simUrl = await listen(control);
    botUrl = await listen(bot);
  });

  after(() => {
    control.close();
    bot.close();
  });

  beforeEach(() => {
    records = [];
    controlCalls = [];
    botCalls = [];
    answer = () => ({ status: 200 });
  });

  const client = (conversation?: ConstructorParameters<typeof TeamsClient>[0]['conversation']): TeamsClient =>
    new TeamsClient({ botUrl, sim: { baseUrl: simUrl, control: new ControlClient(simUrl) }, user: USERS.adele, ...(conversation ? { conversation } : {}) });

  const cardRecord = (id: string, conversationId: string, card: unknown, updates = 0): RecordedActivity => {
    const activity = { type: 'message', id, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
    return { id, conversationId, activity, updates: Array.from({ length: updates }, () => activity), deleted: false };
  };

  it('posts a message to /api/messages with a channel token for its serviceUrl', async () => {
    const adele = client();
    const result = await adele.say('elevate me in Contoso Prod');
    assert.equal(result.status, 200);
    const [call] = botCalls;
    assert.equal(call?.path, '/api/messages');
    assert.equal(call?.body['text'], 'elevate me in Contoso Prod');
    const token = String(call?.headers.authorization).replace(/^Bearer /, '');
    assert.equal(decodeJwt(token).payload['serviceurl'], `${simUrl}/connector/`);
    assert.equal(call?.body['serviceUrl'], `${simUrl}/connector/`);
    assert.deepEqual(adele.tokens(), [token]);
  });

  it('sends without a token, with a forged one, an expired one or one for another audience', async () => {
    const adele = client();
    await adele.say('hi', { auth: 'none' });
    assert.equal(botCalls[0]?.headers.authorization, undefined);
    await adele.say('hi', { auth: 'forged' });
    const forged = String(botCalls[1]?.headers.authorization).slice(7);
    assert.equal(decodeJwt(forged).header['kid'], 'bf-1');
    assert.throws(() => jwt.verify(forged, key.publicKey), /invalid signature/);
    await adele.say('hi', { auth: 'expired' });
    assert.throws(() => jwt.verify(String(botCalls[2]?.headers.authorization).slice(7), key.publicKey), /jwt expired/);
    await adele.say('hi', { auth: 'wrong-audience' });
    assert.equal(decodeJwt(String(botCalls[3]?.headers.authorization).slice(7)).payload['aud'], OTHER_AUDIENCE);
  });

  it('redelivers the same activity with the same id', async () => {
    const adele = client();
    const first = await adele.say('status');
    await adele.resend();
    assert.equal(botCalls[1]?.body['id'], first.activity.id);
    assert.deepEqual(botCalls[1]?.body, botCalls[0]?.body);
  });

  it('answers the newest OAuth card with signin/tokenExchange and the user SSO token', async () => {
    const adele = client();
    const oauth = { contentType: 'application/vnd.microsoft.card.oauth', content: { connectionName: 'sso', tokenExchangeResource: { id: 'tx-1' } } };
    setTimeout(
      () => records.push({ id: '5', conversationId: adele.conversationId, activity: { type: 'message', attachments: [oauth] }, updates: [], deleted: false }),
      150,
    );
    answer = (body) => (body['name'] === 'signin/tokenExchange' ? { status: 200, body: {} } : { status: 200 });
    const result = await adele.signIn();
    assert.equal(result.status, 200);
    assert.deepEqual(result.oauthCard, { id: 'tx-1', connectionName: 'sso' });
    assert.equal(botCalls[0]?.body['name'], 'signin/tokenExchange');
    assert.deepEqual(botCalls[0]?.body['value'], { id: 'tx-1', connectionName: 'sso', token: fakeSsoToken(USERS.adele.id) });
    assert.ok(adele.tokens().includes(fakeSsoToken(USERS.adele.id)));
    await assert.rejects(adele.signIn({ waitMs: 200 }), /an OAuth card not yet answered/);
    await adele.signIn({ oauthCard: result.oauthCard });
    assert.deepEqual(botCalls.at(-1)?.body['value'], botCalls[0]?.body['value']);
  });

  it('taps a button: adaptiveCard/action with the merged data and replyToId = the card activity', async () => {
    const adele = client();
    records.push(cardRecord('7', adele.conversationId, requestCard()));
    const response = {
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Activating' }], actions: [{ type: 'Action.Execute', verb: 'cancel' }] },
    };
    answer = () => ({ status: 200, body: response });
    const result = await adele.tap('7', 'submit', { justification: 'INC-1 broken flow' });
    const sent = botCalls[0]?.body;
    assert.equal(sent?.['type'], 'invoke');
    assert.equal(sent?.['name'], 'adaptiveCard/action');
    assert.equal(sent?.['replyToId'], '7');
    assert.deepEqual((sent?.['value'] as { action: unknown }).action, {
      type: 'Action.Execute',
      verb: 'submit',
      id: 'submitButton',
      data: { requestId: 'r-1', justification: 'INC-1 broken flow', roleId: '11648597-926c-4cf3-9c36-bcebb0ba8dcc', duration: 'PT1H', notifyMe: 'no' },
    });
    assert.equal(result.card?.body?.[0]?.['text'], 'Activating');
    const [record] = await adele.activities();
    assert.ok(record);
    assert.equal(adele.visibleCard(record), result.card);
    records[0] = cardRecord('7', adele.conversationId, { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Elevated' }] }, 1);
    const [updated] = await adele.activities();
    assert.ok(updated);
    assert.equal(adele.visibleCard(updated).body?.[0]?.['text'], 'Elevated');
  });

  it('refuses to tap a verb that is not on the card, sending nothing', async () => {
    const adele = client();
    records.push(cardRecord('8', adele.conversationId, requestCard()));
    await assert.rejects(adele.tap('8', 'approve'), /no Action.Execute with verb "approve"/);
    await assert.rejects(adele.tap('9', 'submit'), /no activity 9/);
    assert.equal(botCalls.length, 0);
  });

  it('waits for an activity and, on timeout, says what was recorded', async () => {
    const adele = client();
    records.push(cardRecord('10', adele.conversationId, requestCard()));
    assert.equal((await adele.waitForText('Contoso Prod')).id, '10');
    await assert.rejects(
      adele.waitForText('Granted', { timeoutMs: 200 }),
      /waiting for text Granted .*\n.*10 message \[adaptive\] v1: Elevate in Contoso Prod/,
    );
  });

  it('treats a predicate that throws as no match', async () => {
    const adele = client();
    records.push({ id: '20', conversationId: adele.conversationId, activity: { type: 'message', text: 'Looking up' }, updates: [], deleted: false });
    records.push(cardRecord('21', adele.conversationId, requestCard()));
    assert.equal((await adele.waitFor((r) => findAction(latestCard(r), 'submit') !== undefined)).id, '21');
    await assert.rejects(
      adele.waitFor((r) => r.id === '20' && latestCard(r) !== undefined, { timeoutMs: 150 }),
      /timed out after 150 ms/,
    );
  });

  it('in a channel, reads every reply chain of the channel and mentions the bot', async () => {
    const security = client({ type: 'channel', teamId: '19:team@thread.tacv2', channelId: '19:sec@thread.tacv2' });
    records.push(cardRecord('11', '19:sec@thread.tacv2;messageid=11', requestCard()));
    records.push(cardRecord('12', '19:other@thread.tacv2;messageid=12', requestCard()));
    records.push(cardRecord('13', `a:1-${USERS.adele.id}`, requestCard()));
    assert.deepEqual(
      (await security.activities()).map((r) => r.id),
      ['11'],
    );
    await security.say('audit');
    assert.equal(botCalls[0]?.body['text'], '<at>Elevate</at> audit');
  });
});
