import assert from 'node:assert/strict';
import path from 'node:path';
import { cardOf, latestCard } from '../harness/card-find.js';
import { cardText } from '../harness/cards.js';
import { SEED_SECRETS, USERS, assertNoSecretsIn, startBot, startSimulator, type BotProcess, type Simulator } from '../harness/index.js';
import { TeamsClient } from '../harness/teams-client.js';

/**
 * The harness against the real tenant simulator and a minimal bot on the production adapter
 * (fixtures/echo-bot.ts): processes, Bot Framework tokens, connector recording, Teams SSO and taps.
 */
describe('harness: with the tenant simulator', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;
  let adele: TeamsClient;

  before(async () => {
    sim = await startSimulator();
    bot = await startBot({ sim, entry: path.join(__dirname, '../unit/harness/fixtures/echo-bot.ts'), nodeArgs: ['--import', 'tsx'] });
  });

  after(async () => {
    await bot?.stop();
    await sim?.stop();
  });

  beforeEach(async () => {
    await sim.control.reset();
    adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
  });

  it('is answered through the connector with a genuine channel token', async () => {
    assert.equal((await adele.say('hello')).status, 200);
    const reply = await adele.waitForText('echo: hello');
    assert.equal(reply.conversationId, adele.conversationId);
  });

  for (const auth of ['none', 'forged', 'tampered', 'unsigned', 'expired', 'wrong-audience', 'wrong-service-url'] as const) {
    it(`is refused with 401 for a token that is ${auth}`, async () => {
      assert.equal((await adele.say('hello', { auth })).status, 401);
    });
  }

  it('signs in with Teams SSO through the OAuth card', async () => {
    await adele.say('sign in');
    const result = await adele.signIn();
    assert.equal(result.status, 200);
    assert.match(result.oauthCard.id, /-sso$/);
    await adele.waitForText(`signed in as ${USERS.adele.id}`);
  });

  it('taps a button, shows the invoke response card, then the updated card', async () => {
    await adele.say('card');
    const record = await adele.waitFor((r) => cardText(latestCard(r)).includes('Please fill in'));
    const tap = await adele.tap(record.id, 'submit', { note: 'INC-1' });
    assert.equal(tap.status, 200);
    assert.equal(cardText(tap.card), 'Working on submit');
    const updated = await adele.waitFor((r) => r.id === record.id && r.updates.length === 1);
    assert.equal(cardText(cardOf(updated)), 'Done: {"requestId":"r-1","note":"INC-1"}');
    assert.equal(cardText(adele.visibleCard(updated)), cardText(cardOf(updated)));
  });

  it('reads a channel conversation and mentions the bot', async () => {
    const team = (await sim.control.getTenant<{ teams: { id: string; channels?: { id: string }[] }[] }>()).teams[0];
    const channelId = team?.channels?.[0]?.id ?? '19:channel@thread.tacv2';
    const nestor = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: team?.id ?? '19:team@thread.tacv2', channelId },
    });
    await nestor.say('audit');
    await nestor.waitForText('echo: audit');
  });

  it('keeps tokens and secrets out of the output', () => {
    assertNoSecretsIn(bot.output() + sim.output(), [...SEED_SECRETS, ...adele.tokens()]);
  });
});
