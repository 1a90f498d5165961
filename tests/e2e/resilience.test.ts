import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ROLES,
  TeamsClient,
  USERS,
  cardOf,
  cardText,
  startBot,
  startSimulator,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
} from '../harness/index.js';
import {
  CONTINUE,
  JUSTIFICATION,
  RETRY,
  SUBMIT,
  activationRequests,
  applyAdminRoleCalls,
  eventually,
  hasVerb,
  isOAuth,
  openRequestCard,
  sayAndSignIn,
  waitForCard,
} from './support/flow.js';

const FAST = { ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_PROPAGATION_RETRY_SECONDS: '1', ELEVATE_INSTANCE_ID: 'bot-1' };
const SUCCESS = /System Administrator until|Elevated in/;

describe('nothing twice, nothing lost', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;
  let storePath: string;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'elevate-resilience-'));
    storePath = path.join(dir, 'elevate.db');
    sim = await startSimulator();
    bot = await startBot({ sim, storePath, env: FAST });
  });

  afterEach(async () => {
    await bot?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const submitInputs = { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION };

  it('answers a redelivered message (same activity id) once', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    await openRequestCard(adele, 'elevate me in Contoso Prod');
    const before = (await adele.activities()).length;
    await adele.resend();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal((await adele.activities()).length, before, 'no second card');
  });

  it('turns a double tap into one PIM request, one Power Platform call and one channel post', async () => {
    const nestor = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: '19:t@thread.tacv2', channelId: '19:sec@thread.tacv2' },
    });
    await nestor.say('notify here');
    await nestor.waitForText('Elevate will post');
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    const taps = await Promise.all([adele.tap(card, SUBMIT, submitInputs), adele.tap(card, SUBMIT, submitInputs), adele.tap(card, SUBMIT, submitInputs)]);
    assert.deepEqual(
      taps.map((t) => t.status),
      [200, 200, 200],
    );
    await waitForCard(adele, card, SUCCESS);
    await nestor.waitForText('Adele Vance');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(await activationRequests(sim), 1);
    assert.equal(await applyAdminRoleCalls(sim), 1);
    assert.equal((await nestor.activities()).filter((r) => /Adele Vance/.test(cardText(cardOf(r)))).length, 1, 'one channel post');
  });

  it('survives throttling and server errors with the right outcome', async () => {
    await sim.control.fault({ service: 'graph', method: 'POST', pathIncludes: 'roleAssignmentScheduleRequests', status: 429, retryAfterSeconds: 1, times: 1 });
    await sim.control.fault({ service: 'powerplatform', pathIncludes: 'applyAdminRole', status: 503, times: 2 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    await waitForCard(adele, card, SUCCESS);
    assert.equal(await activationRequests(sim), 1, 'the throttled request was sent again once, and accepted once');
    assert.equal(await applyAdminRoleCalls(sim, 200), 1);
  });

  it('survives slow answers and a dropped connection while reading PIM, showing the result, not an error', async () => {
    await sim.control.fault({ service: 'graph', method: 'GET', pathIncludes: 'roleAssignmentScheduleInstances', delayMs: 1_500, times: 2 });
    await sim.control.fault({ service: 'graph', method: 'GET', pathIncludes: 'roleAssignmentScheduleInstances', dropConnection: true, times: 1 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    const done = await waitForCard(adele, card, SUCCESS);
    assert.ok(
      done.updates.every((u) => !/went wrong|failed/i.test(JSON.stringify(u))),
      'no error was shown on the way',
    );
    assert.equal(await activationRequests(sim), 1);
  });

  it('continues from the true state when PIM took the activation but its answer was lost (504 after handling): one request, elevated, no error shown', async () => {
    await sim.control.fault({ service: 'graph', method: 'POST', pathIncludes: 'roleAssignmentScheduleRequests', status: 504, afterHandling: true, times: 1 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    const done = await waitForCard(adele, card, SUCCESS);
    assert.ok(
      done.updates.every((u) => !/failed|did not answer/i.test(JSON.stringify(u['attachments']))),
      'no failure on the way',
    );
    const tenant = await sim.control.getTenant<{ requests: { action: string }[] }>();
    assert.equal(tenant.requests.filter((r) => r.action === 'selfActivate').length, 1, 'PIM holds one activation request');
  });

  it('reads Dataverse when applyAdminRole acted but the connection dropped: elevated, and the card never shows transport text', async () => {
    await sim.control.fault({ service: 'powerplatform', pathIncludes: 'applyAdminRole', dropConnection: true, afterHandling: true, times: 5 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    const done = await waitForCard(adele, card, SUCCESS);
    // Environment links legitimately name the Dataverse host: look for the transport's own words.
    const leaks = done.updates
      .map((u) => JSON.stringify(u['attachments']))
      .filter((t) => /ECONN|socket|fetch failed|timed out after|attempt\(s\)|usermanagement|applyAdminRole/i.test(t));
    assert.deepEqual(leaks, []);
  });

  it('says "a service did not answer" without hosts or socket codes when PIM never got the request', async () => {
    await sim.control.fault({ service: 'graph', method: 'POST', pathIncludes: 'roleAssignmentScheduleRequests', dropConnection: true, times: 1 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    const failed = await waitForCard(adele, card, /did not answer in time/);
    assert.doesNotMatch(cardText(cardOf(failed)), /127\.0\.0\.1|ECONN|socket|fetch failed|:\d{4,5}\//i);
    assert.equal(await activationRequests(sim), 0, 'PIM has no request');
  });

  async function killAndRestart(): Promise<void> {
    await bot.kill('SIGKILL');
    bot = await startBot({ sim, storePath, env: FAST });
  }

  async function retryAfterRestart(adele: TeamsClient, card: RecordedActivity): Promise<void> {
    const failed = await waitForCard(adele, card, /restarted/i);
    assert.ok(hasVerb(failed, RETRY), 'the card offers Try again');
    const fresh = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const tap = await fresh.tap(failed, RETRY);
    assert.equal(tap.status, 200);
    if (!SUCCESS.test(cardText(tap.card))) {
      await fresh.waitFor((r) => isOAuth(r), { what: 'the sign-in card' });
      assert.equal((await fresh.signIn()).status, 200);
    }
    await waitForCard(fresh, card, SUCCESS);
  }

  it('after kill -9 during PIM activation, marks the elevation and finishes it on Try again without activating twice', async () => {
    await sim.control.settings({ activationDelayMs: 4_000 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    await eventually(async () => (await activationRequests(sim)) > 0, 'the PIM request');
    await killAndRestart();
    await retryAfterRestart(adele, card);
    assert.equal(await activationRequests(sim), 1, 'one PIM activation in all');
    assert.equal(await applyAdminRoleCalls(sim, 200), 1);
  });

  it('after kill -9 while Power Platform has not caught up, asks Teams for a token, signs in silently and finishes on its own, with one PIM request', async () => {
    await sim.control.settings({ propagationDelayMs: 8_000 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    await waitForCard(adele, card, /does not see your PIM role yet/);
    const oauthBefore = (await adele.activities()).filter(isOAuth).length;
    await killAndRestart();
    // The new process has no token for Adele: it sends a sign-in card that the Teams client answers silently.
    const fresh = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    await fresh.waitUntil((records) => records.filter(isOAuth).length > oauthBefore || undefined, { what: 'a new sign-in card after the restart' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal((await fresh.activities()).filter(isOAuth).length, oauthBefore + 1, 'one sign-in card');
    assert.equal((await fresh.signIn()).status, 200);
    await waitForCard(fresh, card, SUCCESS);
    await fresh.waitForText('Elevated in', { timeoutMs: 10_000 });
    assert.equal(await activationRequests(sim), 1, 'one PIM activation in all');
    assert.equal(await applyAdminRoleCalls(sim, 200), 1);
  });

  it('after kill -9, a Continue tap (when Teams did not sign in silently) resumes the wait without a second PIM request', async () => {
    await sim.control.settings({ propagationDelayMs: 6_000 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    await waitForCard(adele, card, /does not see your PIM role yet/);
    await killAndRestart();
    const fresh = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const continueCard = await fresh.waitFor((r) => hasVerb(r, CONTINUE), { what: 'the Continue card' });
    const tap = await fresh.tap(continueCard, CONTINUE);
    assert.equal(tap.status, 200);
    // Without a token, Continue asks for the sign-in first; the wait then resumes by itself.
    await fresh.signIn();
    await waitForCard(fresh, card, SUCCESS);
    assert.equal(await activationRequests(sim), 1);
    assert.equal(await applyAdminRoleCalls(sim, 200), 1);
  });

  it('finishes a Power Platform sync slower than a few tries on its own, telling the requester', async () => {
    await sim.control.settings({ propagationDelayMs: 5_000 });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    const waiting = await waitForCard(adele, card, /attempt 1/);
    assert.match(cardText(cardOf(waiting)), /Next try \{\{DATE\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, SHORT\)\}\} \{\{TIME\(/);
    await waitForCard(adele, card, SUCCESS);
    // A new message, besides the card updated in place (which says "Elevated in" too).
    const told = await adele.waitFor((r) => r.id !== card.id && /Elevated in/.test(cardText(cardOf(r))), { timeoutMs: 10_000, what: 'the new message' });
    assert.notEqual(told.id, card.id);
    assert.ok((await applyAdminRoleCalls(sim)) >= 2, 'tried again after the first refusal');
    assert.equal(await applyAdminRoleCalls(sim, 200), 1);
    assert.equal(await activationRequests(sim), 1);
  });

  it('retries with the `retry` command too', async () => {
    await sim.control.settings({ propagationDelayMs: 60_000 });
    await bot.stop();
    bot = await startBot({ sim, storePath, env: { ...FAST, ELEVATE_PROPAGATION_WINDOW_MINUTES: '0' } });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    const failed = await waitForCard(adele, card, /did not recognise you as an administrator/);
    assert.match(cardText(cardOf(failed)), /retry/i);
    await sim.control.settings({ propagationDelayMs: 0 });
    await sayAndSignIn(adele, 'retry');
    await waitForCard(adele, card, SUCCESS);
    assert.equal(await activationRequests(sim), 1);
  });
});
