import assert from 'node:assert/strict';
import { ROLES, TeamsClient, USERS, cardOf, cardText, type BotProcess, type Simulator } from '../harness/index.js';
import { JUSTIFICATION, SUBMIT, openRequestCard, sayAndSignIn, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

describe('status and the audit trail in chat', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;
  before(async () => ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200' })));
  after(() => stopBotAndSimulator(bot, sim));

  it('shows the security team every step of an elevation, and refuses (and records) anyone else', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && /Elevated in/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });

    await adele.say('status');
    const status = cardText(cardOf(await adele.waitForText('Your elevations')));
    assert.match(status, /Contoso Prod: Power Platform Administrator for 1 h \(active, (59 min|1 h) left, until\)\n\{\{DATE\(/);
    assert.match(status, /Eligible in PIM for: Power Platform Administrator and Dynamics 365 Administrator/);

    await sayAndSignIn(adele, 'audit');
    await adele.waitForText('Only members of the security team');

    const nestor = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor });
    await nestor.say('audit 24h');
    const trail = cardText(cardOf(await nestor.waitForText('Audit trail')));
    for (const event of ['requested', 'activated', 'elevated', 'refusedTap']) assert.match(trail, new RegExp(`· ${event} ·`), `the trail has ${event}`);
    assert.match(trail, /Adele Vance/);
  });
});
