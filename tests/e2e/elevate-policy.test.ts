import assert from 'node:assert/strict';
import path from 'node:path';
import { ROLES, TeamsClient, USERS, cardOf, cardText, choices, inputIds, repoRoot, startBot, type BotProcess, type Simulator } from '../harness/index.js';
import { JUSTIFICATION, SUBMIT, activationRequests, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

describe('the Elevate policy file', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(
    async () =>
      ({ sim, bot } = await startSimulatorAndBot({
        ELEVATE_ACTIVATION_POLL_MS: '200',
        ELEVATE_POLICY_FILE: path.join(repoRoot(), 'env/elevate-policy.example.yaml'),
      })),
  );
  after(() => stopBotAndSimulator(bot, sim));

  it('caps durations, asks for a ticket, and never elevates without the approval the policy requires', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    assert.ok(inputIds(cardOf(card)!).includes('ticketNumber'), 'production asks for a ticket');
    assert.ok(!choices(cardOf(card)!, 'duration').some((c) => c.value === 'PT8H'), "durations stop at the policy's 4 h");
    const waiting = await adele.tap(card, SUBMIT, {
      roleId: ROLES.powerPlatformAdministrator,
      duration: 'PT1H',
      justification: JUSTIFICATION,
      ticketNumber: 'CHG-1',
    });
    assert.match(cardText(waiting.card), /Waiting for approval/);
    assert.match(cardText(waiting.card), /0 of 1 approvals/, 'prod-admin: one approver');
    assert.equal(await activationRequests(sim), 0, 'nothing activated without approval');
  });

  it('refuses to start when the policy file cannot be read, naming the file', async () => {
    const broken = startBot({ sim, env: { ELEVATE_POLICY_FILE: path.join(repoRoot(), 'tests/unit/adapters/policy/missing-file.yaml') } });
    await assert.rejects(broken, /missing-file\.yaml/);
  });
});
