import assert from 'node:assert/strict';
import { ROLES, TEAM, TeamsClient, USERS, cardOf, cardText, type BotProcess, type Simulator } from '../harness/index.js';
import { JUSTIFICATION, SUBMIT, eventually, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

describe('proactive messages go through a durable outbox', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;
  before(async () => ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_TIMER_POLL_SECONDS: '1' })));
  after(() => stopBotAndSimulator(bot, sim));

  it('delivers a post that Teams refused at first, once', async () => {
    const security = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: TEAM.id, channelId: TEAM.securityChannelId },
    });
    await security.say('notify here');
    await security.waitForText('Elevate will post every elevation');

    // New channel threads fail for a while: the connector answers 500 to creating them (botbuilder itself retries 3 times).
    await sim.control.fault({ service: 'connector', method: 'POST', pathEndsWith: '/v3/conversations', status: 500, times: 4 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Dev');
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && /Elevated in/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the elevation' });

    const elevatedPosts = async () =>
      (await security.activities()).filter((r) => /Elevated/.test(cardText(cardOf(r))) && /Adele Vance/.test(cardText(cardOf(r))));
    await eventually(async () => (await elevatedPosts()).length > 0, 'the elevated post, delivered from the outbox', 30_000);
    const refused = (await sim.control.requests('connector')).filter((r) => r.method === 'POST' && r.path.endsWith('/conversations') && r.status === 500);
    assert.ok(refused.length > 0, 'Teams refused posts at first');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal((await elevatedPosts()).length, 1, 'delivered once');
    assert.match(bot.output(), /Teams did not take a message: retrying later/);
    assert.match(bot.output(), /outbox message delivered after retries/);
  });
});
