import assert from 'node:assert/strict';
import { ROLES, TeamsClient, USERS, cardOf, cardText, type BotProcess, type Simulator } from '../harness/index.js';
import { JUSTIFICATION, SUBMIT, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

const SUCCESS = /System Administrator until|Elevated in/;

describe('standing System Administrator access is recorded before elevating', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(async () => ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200' })));
  after(() => stopBotAndSimulator(bot, sim));

  async function elevate(user: TeamsClient, environment: string): Promise<string> {
    const card = await openRequestCard(user, `elevate me in ${environment}`);
    await user.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    const done = await user.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });
    return cardText(cardOf(done));
  }

  it("tells a user who already held System Administrator that it stays, having asked Dataverse with the bot's own identity", async () => {
    const alex = new TeamsClient({ botUrl: bot.url, sim, user: USERS.alex });
    const text = await elevate(alex, 'Contoso Dev');
    assert.match(text, /Standing access\s*Yes/);
    const lookups = (await sim.control.requests('dataverse')).filter((r) => r.path.includes('/systemusers'));
    assert.ok(lookups.length > 0, 'Dataverse was asked');
    assert.ok(
      lookups.every((r) => r.token?.idtyp === 'app'),
      "with the application identity, never the user's token",
    );
  });

  it('records that a user without standing access did not hold the role', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const text = await elevate(adele, 'Contoso Prod');
    assert.match(text, /Standing access\s*No/);
  });
});
