import assert from 'node:assert/strict';
import {
  TeamsClient,
  USERS,
  cardOf,
  cardText,
  messageActivity,
  request,
  type BotProcess,
  type CardSource,
  type Simulator,
  type TeamsActivity,
} from '../harness/index.js';
import { sayAndSignIn, startSimulatorAndBot, stopBotAndSimulator } from '../e2e/support/flow.js';
import { assertNothingChanged, oneNewLogLine, postActivity, tenantChanges } from './support/guard.js';

type Change = (activity: TeamsActivity) => unknown;
const drop =
  (field: string): Change =>
  (a) => {
    const copy: Record<string, unknown> = { ...a };
    delete copy[field];
    return copy;
  };
const set =
  (changes: Record<string, unknown>): Change =>
  (a) => ({ ...a, ...changes });

/**
 * Issue #11, "Should fix": `POST /api/messages` with `{}` answered 500 (botbuilder validates before
 * authenticating, and throws), a non-string `text` or malformed entities ended in "Something went
 * wrong". Now any malformed activity is answered 400 before any work, with or without a valid
 * token, and logged in one line; restify's own refusals (not JSON, too big) are one line too.
 */
describe('malformed activities: 400 before any work, one log line, nothing done', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;
  let adele: TeamsClient;

  before(async () => {
    ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_REFUSAL_LOG_LIMIT: '1000' }));
    adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    // Signed in, so that odd commands reach their handlers instead of a sign-in card.
    await sayAndSignIn(adele, 'status');
    await adele.waitForText('Power Platform Administrator');
  });
  after(() => stopBotAndSimulator(bot, sim));

  const MALFORMED: [string, Change][] = [
    ['an empty object', () => ({})],
    ['a JSON array', (a) => [a]],
    ['a JSON string', () => 'elevate me in Contoso Prod'],
    ['JSON null', () => null],
    ['no type', drop('type')],
    ['a type that is a number', set({ type: 1 })],
    ['no channelId', drop('channelId')],
    ['no serviceUrl (the serviceurl claim would go unchecked)', drop('serviceUrl')],
    ['a serviceUrl that is not a URL', set({ serviceUrl: 'smba' })],
    ['a file: serviceUrl', set({ serviceUrl: 'file:///etc/passwd' })],
    ['no conversation', drop('conversation')],
    ['a conversation without id', set({ conversation: { conversationType: 'personal' } })],
    ['no from', drop('from')],
    ['a from that is a string', set({ from: '29:adele' })],
    ['no recipient', drop('recipient')],
    ['a text that is a number', set({ text: 42 })],
    ['a text that is an object', set({ text: { toString: 'status' } })],
    ['entities that are an object', set({ entities: { type: 'mention' } })],
    ['an entity without type', set({ entities: [{ mentioned: { id: '28:x' } }] })],
    ['a mention without mentioned', set({ entities: [{ type: 'mention', text: '<at>Elevate</at>' }] })],
    ['attachments that are strings', set({ attachments: ['x'] })],
    ['channelData that is a list', set({ channelData: [{ tenant: { id: 'x' } }] })],
  ];

  for (const [name, change] of MALFORMED) {
    for (const withToken of [true, false]) {
      it(`${name}, ${withToken ? 'with a valid token' : 'without a token'}: 400, one "malformed" line, nothing done`, async () => {
        const activity = messageActivity(adele.context, 'elevate me in Contoso Dev');
        const token = withToken ? await sim.control.channelToken({ serviceUrl: adele.serviceUrl }) : undefined;
        const changes = await tenantChanges(sim);
        const before = (await adele.activities()).length;
        const from = bot.child.allLines().length;

        const answer = await postActivity(bot, change(activity), token ? { Authorization: `Bearer ${token}` } : {});

        assert.equal(answer.status, 400, answer.text);
        assert.match(answer.text, /Not a valid activity/);
        const line = await oneNewLogLine(bot, from, name);
        assert.equal(line['event'], 'activityRefused');
        assert.equal(line['reason'], 'malformed');
        assert.equal((await adele.activities()).length, before, 'the bot said nothing');
        await assertNothingChanged(sim, changes, name);
      });
    }
  }

  const RAW: [string, { body: string | Buffer; type: string }, number][] = [
    ['a body that is not JSON', { body: '{"type": "message",', type: 'application/json' }, 400],
    ['a body over 256 KB', { body: JSON.stringify({ type: 'message', text: 'x'.repeat(300_000) }), type: 'application/json' }, 413],
    ['a form-encoded body', { body: 'type=message&text=status', type: 'application/x-www-form-urlencoded' }, 400],
  ];
  for (const [name, { body, type }, status] of RAW) {
    it(`${name}: ${status}, one line`, async () => {
      const from = bot.child.allLines().length;
      const answer = await request(`${bot.url}/api/messages`, { method: 'POST', body, headers: { 'Content-Type': type } });
      assert.equal(answer.status, status, answer.text);
      const line = await oneNewLogLine(bot, from, name);
      assert.ok(['requestRefused', 'activityRefused'].includes(String(line['event'])), JSON.stringify(line));
    });
  }

  it('answers odd but well-formed input with a clear card, never "Something went wrong"', async () => {
    const odd = ['\u0000\u0001\u0002', '🔥'.repeat(2000), 'elevate me in ' + 'a'.repeat(60_000), '<at>Elevate</at>', 'elevate me in \u202eodorP osotnoC'];
    for (const text of odd) {
      const before = (await adele.activities()).length;
      assert.equal((await adele.say(text)).status, 200, text.slice(0, 20));
      const reply = await adele.waitUntil((records) => records[before]);
      assert.doesNotMatch(cardText(cardOf(reply)) || String(reply.activity.text ?? ''), /Something went wrong/, text.slice(0, 20));
    }
    const card = await adele.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'elevate.legacyVerb', data: null } });
    assert.equal(card.status, 200);
    assert.match(cardText(cardOf(card.body as CardSource)), /This button is no longer supported/);
  });
});
