import assert from 'node:assert/strict';
import { ROLES, TeamsClient, USERS, cardOf, cardText, findAction, inputIds, type BotProcess, type Simulator } from '../harness/index.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import {
  JUSTIFICATION,
  SUBMIT,
  activationRequests,
  openRequestCard,
  sayAndSignIn,
  POLICY_CHANGES_AT_ONCE,
  startSimulatorAndBot,
  stopBotAndSimulator,
} from './support/flow.js';

const SUCCESS = /System Administrator until|Elevated in/;

describe("requests follow the role's PIM policy", function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(async () => ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ...POLICY_CHANGES_AT_ONCE })));
  after(() => stopBotAndSimulator(bot, sim));
  beforeEach(() => sim.control.reset());

  const requireTicket = (roleId: string) =>
    sim.control.updateTenant<TenantModel>((tenant) => {
      const policy = tenant.policies.find((p) => p.roleDefinitionId === roleId)!;
      policy.enabledRules = ['Justification', 'Ticketing'];
    });

  it("asks for a ticket when the role's policy requires Ticketing, refuses a submit without one, and sends it to PIM", async () => {
    await requireTicket(ROLES.dynamics365Administrator);
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id: 'a:1-ticket' } });
    const card = await openRequestCard(adele, 'elevate me in Contoso UAT as dynamics 365 for 1h');
    assert.ok(inputIds(cardOf(card)!).includes('ticketNumber'), 'the card has a ticket input');

    const refused = await adele.tap(card, SUBMIT, { justification: JUSTIFICATION.replace(' INC0012345', '') }, { validate: false });
    assert.match(cardText(refused.card), /ticket/i);
    assert.equal(await activationRequests(sim), 0, 'nothing sent to PIM');

    await adele.tap(card, SUBMIT, { justification: 'Investigate the failing plug-in', ticketNumber: 'CHG-42' }, { validate: false });
    await adele.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });
    const request = (await sim.control.requests('graph')).find((r) => r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests'));
    assert.equal((request?.body as { ticketInfo?: { ticketNumber?: string } }).ticketInfo?.ticketNumber, 'CHG-42');
  });

  it("refuses a justification shorter than Elevate's minimum", async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id: 'a:1-short' } });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    const refused = await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: 'fix' });
    assert.match(cardText(refused.card), /justification/i);
    assert.equal(await activationRequests(sim), 0);
  });

  it('prefills the card with what was typed: role, duration and justification', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id: 'a:1-prefill' } });
    const card = await openRequestCard(adele, 'Elevate me in contoso prod as Dynamics 365 for 90m because INC0012345 restore the sales app');
    const body = JSON.stringify(cardOf(card));
    assert.match(body, new RegExp(`"value":"${ROLES.dynamics365Administrator}"`));
    assert.match(body, /"value":"PT1H30M"/);
    assert.match(body, /restore the sales app/);
  });

  it('goes straight to the Power Platform step when the role is already active', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id: 'a:1-active' } });
    const first = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(first, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT2H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === first.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'first success' });

    const second = await openRequestCard(adele, 'elevate me in Contoso UAT');
    assert.match(cardText(cardOf(second)) + JSON.stringify(cardOf(second)), /active until|already active/i, 'the card says the role is already active');
    await adele.tap(second, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === second.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'second success' });
    assert.equal(await activationRequests(sim), 1, 'no second PIM activation');
  });
});

describe('deactivate from Teams', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(async () => ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ...POLICY_CHANGES_AT_ONCE })));
  after(() => stopBotAndSimulator(bot, sim));

  it('says when PIM allows deactivation right after activation, and schedules it on request', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });

    await sayAndSignIn(adele, 'deactivate');
    const tooSoon = await adele.waitForText('Too early to deactivate');
    assert.match(cardText(cardOf(tooSoon)), /5 minutes after activation/);
    const scheduled = await adele.tap(tooSoon, 'elevate.deactivateLater');
    assert.match(cardText(scheduled.card), /Deactivation scheduled/);
    const deactivations = (await sim.control.requests('graph')).filter((r) => (r.body as { action?: string } | null)?.action === 'selfDeactivate');
    assert.equal(deactivations.length, 1);
    assert.equal(deactivations[0]!.token?.oid, USERS.adele.id, "on the user's own token");
  });
});

describe('Deactivate now (the reminder card button)', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(async () => ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ...POLICY_CHANGES_AT_ONCE })));
  after(() => stopBotAndSimulator(bot, sim));

  it('answers the tap at once, then shows on the tapped card that the role ended', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    const requestId = (findAction(cardOf(card)!, SUBMIT)!['data'] as { requestId: string }).requestId;
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });

    // Past PIM's first five minutes (the activation started 6 minutes ago); then the tap Teams sends for the
    // reminder's **Deactivate now** (verb and data as reminderCard renders them; the reminder comes 15 minutes before the end).
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000).toISOString();
    await sim.control.updateTenant<TenantModel>((tenant) => {
      for (const a of tenant.assignments.filter((a) => a.principalId === USERS.adele.id)) a.startDateTime = sixMinutesAgo;
    });
    const tapped = await adele.invoke<{ value?: unknown }>(
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: 'elevate.deactivate', data: { requestId } }, trigger: 'manual' },
      card.id,
    );
    assert.match(JSON.stringify(tapped.body), /Deactivating in Contoso Prod/);
    await adele.waitFor((r) => r.id === card.id && /ended/.test(cardText(cardOf(r))) && /System Administrator was removed/.test(cardText(cardOf(r))), {
      timeoutMs: 15_000,
      what: 'the outcome on the tapped card',
    });
    const deactivations = (await sim.control.requests('graph')).filter((r) => (r.body as { action?: string } | null)?.action === 'selfDeactivate');
    assert.equal(deactivations.length, 1);
    assert.equal(deactivations[0]!.token?.oid, USERS.adele.id, "on the user's own token");
  });
});

describe('personal commands in channels', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;
  before(async () => ({ sim, bot } = await startSimulatorAndBot()));
  after(() => stopBotAndSimulator(bot, sim));

  it('answers `elevate` and `audit` in a channel only with a pointer to the 1:1 chat', async () => {
    const nestor = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: '19:t@thread.tacv2', channelId: '19:c@thread.tacv2' },
    });
    await nestor.say('audit 7d');
    await nestor.waitForText('1:1 chat');
    await nestor.say('elevate me in Contoso Prod');
    await nestor.waitUntil((records) => (records.filter((r) => /1:1 chat/.test(cardText(cardOf(r)))).length === 2 ? true : undefined));
    assert.equal((await sim.control.requests('graph')).length, 0, 'nothing looked up');
  });
});
