import assert from 'node:assert/strict';
import { ROLES, TeamsClient, USERS, cardOf, cardText, type BotProcess, type Simulator } from '../harness/index.js';
import { messageActivity } from '../harness/activities.js';
import { JUSTIFICATION, SUBMIT, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from '../e2e/support/flow.js';

/**
 * Only Teams gets in (issue #11, must-fix 1): a validly signed activity of another channel that
 * claims a signed-in user's object id must not use that user's session.
 */
describe('only Teams, in this tenant, as the Teams user who signed in, gets in', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;
  let adele: TeamsClient;

  before(async () => {
    ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200' }));
    adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Dev');
    assert.match(cardText(cardOf(card)), /Elevate in Contoso Dev/, 'Adele is signed in through Teams');
  });
  after(() => stopBotAndSimulator(bot, sim));

  const graphPosts = async () => (await sim.control.requests('graph')).filter((r) => r.method === 'POST').length;
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 1_500));

  it("refuses a Web Chat activity, validly signed for Web Chat, that claims Adele's object id: no status, nothing activated", async () => {
    const before = (await adele.activities()).length;
    const posts = await graphPosts();
    const token = await sim.control.channelToken({ serviceUrl: `${sim.baseUrl}/connector/`, channelId: 'webchat' });
    const attacker = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const activity = { ...messageActivity(attackerContext(attacker), 'status'), channelId: 'webchat' };

    const sent = await attacker.send(activity, { token });
    await quiet();

    assert.ok([200, 202].includes(sent.status), `answered ${sent.status}`);
    assert.equal((await adele.activities()).length, before, 'nothing was said to anyone');
    assert.equal(await graphPosts(), posts);
    assert.match(bot.output(), /"reason":"channel"/);
  });

  it('refuses a Web Chat token on an activity that says msteams (the key is not endorsed for Teams): 401', async () => {
    const token = await sim.control.channelToken({ serviceUrl: `${sim.baseUrl}/connector/`, channelId: 'webchat' });
    const attacker = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const sent = await attacker.say('status', { token });
    assert.equal(sent.status, 401);
  });

  it('refuses a Teams activity whose channelData names another tenant, even if its conversation names ours', async () => {
    const before = (await adele.activities()).length;
    const attacker = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const activity = messageActivity(attackerContext(attacker), 'status');
    activity['channelData'] = { tenant: { id: '00000000-0000-4000-8000-00000000bad0' } };
    await attacker.send(activity);
    await quiet();
    assert.equal((await adele.activities()).length, before);
    assert.match(bot.output(), /"reason":"tenant"/);
  });

  it("refuses a Teams activity with Adele's object id from another Teams user id, and keeps serving Adele", async () => {
    const posts = await graphPosts();
    const attacker = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const activity = messageActivity(attackerContext(attacker), 'elevate me in Contoso Dev');
    activity['from'] = { id: '29:someone-else', aadObjectId: USERS.adele.id, name: 'Adele Vance' };
    await attacker.send(activity);
    await quiet();
    assert.equal(await graphPosts(), posts);
    assert.match(bot.output(), /"reason":"identity"/);

    const card = await openRequestCard(adele, 'elevate me in Contoso Dev');
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && /Elevated in|System Administrator until/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });
  });

  it('lets an approver who signed in 1:1 act in a channel (same Teams user id)', async () => {
    const inChannel = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.adele,
      conversation: { type: 'channel', teamId: '19:t@thread.tacv2', channelId: '19:gate@thread.tacv2' },
    });
    await inChannel.say('help');
    await inChannel.waitForText('elevate me in');
  });
});

/** The harness client's activity context (its conversation, user and service URL). */
function attackerContext(client: TeamsClient): Parameters<typeof messageActivity>[0] {
  return (client as unknown as { context: Parameters<typeof messageActivity>[0] }).context;
}
