import assert from 'node:assert/strict';
import {
  ROLES,
  TeamsClient,
  USERS,
  buildExecuteValue,
  cardOf,
  cardText,
  invokeActivity,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
  type TeamsActivity,
} from '../harness/index.js';
import { findFragments } from '../harness/secret-fragments.js';
import { JUSTIFICATION, SUBMIT, activationRequests, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from '../e2e/support/flow.js';
import { BAD_TOKENS, type TokenContext } from './support/bad-tokens.js';
import { assertNothingChanged, oneNewLogLine, postActivity, tenantChanges } from './support/guard.js';

/**
 * Issue #11, "Keep the figures": every bad token is refused with the right status, nothing reaches
 * the tenant, and the bot writes exactly one structured line for it, without the token or the key.
 * The activity under each bad token is Adele's Submit on a real request card with valid inputs: let
 * through, it would activate PIM as Adele.
 */
describe(`bad inbound tokens: a corpus of ${BAD_TOKENS.length}, each refused with one log line and nothing done`, function () {
  this.timeout(120_000);
  let sim: Simulator;
  let bot: BotProcess;
  let adele: TeamsClient;
  let card: RecordedActivity;
  let submit: TeamsActivity;
  let ctx: TokenContext;

  before(async () => {
    // Every refusal gets its line here; the limit itself is tested in refusal-rate-limit.test.ts.
    ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_REFUSAL_LOG_LIMIT: '1000' }));
    adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    card = await openRequestCard(adele, 'elevate me in Contoso Dev');
    const value = buildExecuteValue(adele.visibleCard(card), SUBMIT, {
      roleId: ROLES.powerPlatformAdministrator,
      duration: 'PT1H',
      justification: JUSTIFICATION,
    });
    submit = invokeActivity(adele.context, 'adaptiveCard/action', value, card.id);
    ctx = { control: sim.control, serviceUrl: adele.serviceUrl, jwks: await sim.control.http.get('/botframework/v1/keys') };
  });
  after(() => stopBotAndSimulator(bot, sim));

  for (const bad of BAD_TOKENS) {
    it(`${bad.name}: ${bad.status}, one "${bad.log.reason}" line, nothing reaches the tenant`, async () => {
      const header = await bad.header(ctx);
      const activity = bad.activity ? bad.activity({ ...submit }) : submit;
      const changes = await tenantChanges(sim);
      const from = bot.child.allLines().length;

      const answer = await postActivity(bot, activity, header === undefined ? {} : { Authorization: header });

      assert.equal(answer.status, bad.status, `answered ${answer.status}: ${answer.text.slice(0, 200)}`);
      const line = await oneNewLogLine(bot, from, bad.name);
      assert.equal(line['event'], bad.log.event);
      assert.equal(line['reason'], bad.log.reason);
      assert.equal(line['level'], 40, 'a warning');
      assert.deepEqual(findFragments([{ origin: 'this', line: JSON.stringify(line) }], [header ?? '', answer.text]), [], 'the line holds no part of the token');
      assert.doesNotMatch(answer.text, /BEGIN|PUBLIC KEY|endorsement|\bat \w+ \(/, 'the answer tells nothing about keys or code');
      await assertNothingChanged(sim, changes, bad.name);
    });
  }

  it('(control) the same Submit with a genuine Teams token activates PIM once', async () => {
    assert.equal(await activationRequests(sim), 0);
    const answer = await adele.send(submit);
    assert.equal(answer.status, 200);
    await adele.waitFor((r) => r.id === card.id && /Elevated in|System Administrator until/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });
    assert.equal(await activationRequests(sim), 1, 'the genuine Submit reached PIM');
  });
});
