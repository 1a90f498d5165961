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
import { JUSTIFICATION, SUBMIT, activationRequests, applyAdminRoleCalls, eventually, isOAuth, openRequestCard, waitForCard } from './support/flow.js';

const FAST = { ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_PROPAGATION_RETRY_SECONDS: '1', ELEVATE_INSTANCE_ID: 'bot-1' };
const SUCCESS = /System Administrator until|Elevated in/;
const CANCEL = 'elevate.cancel';
/** The harness's Teams client sends this zone (tests/harness/activities.ts). */
const ZONE = 'Europe/London';

/** "at 14:05:09" (or "tomorrow 00:00:03" across midnight) for `secondsAhead` from now, in the client's zone. */
function startPhrase(secondsAhead: number): { phrase: string; at: number } {
  const at = Math.ceil((Date.now() + secondsAhead * 1000) / 1000) * 1000;
  const day = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, dateStyle: 'short' }).format(ms);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at);
  return { phrase: `${day(at) === day(Date.now()) ? 'at' : 'tomorrow'} ${time}`, at };
}

/** The time of PIM's selfActivate requests (the simulator's record of them). */
async function activationTimes(sim: Simulator): Promise<number[]> {
  const requests = await sim.control.requests('graph');
  return requests.filter((r) => r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests') && r.status === 201).map((r) => Date.parse(r.at));
}

describe('scheduled elevations (issue #16)', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;
  let storePath: string;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'elevate-schedule-'));
    storePath = path.join(dir, 'elevate.db');
    sim = await startSimulator();
    bot = await startBot({ sim, storePath, env: FAST });
  });

  afterEach(async () => {
    await bot?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const inputs = { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION };

  async function schedule(user: TeamsClient, secondsAhead: number): Promise<{ card: RecordedActivity; at: number }> {
    const { phrase, at } = startPhrase(secondsAhead);
    const card = await openRequestCard(user, `elevate me in Contoso Prod ${phrase} for 1h because ${JUSTIFICATION}`);
    assert.match(cardText(cardOf(card)), /Scheduled for/, 'the request card says when it starts');
    const tap = await user.tap(card, SUBMIT, inputs);
    assert.equal(tap.status, 200);
    assert.match(cardText(tap.card), /Scheduled: Power Platform Administrator in Contoso Prod/);
    return { card, at };
  }

  it('starts on time after a restart: the new process asks Teams for a token, signs in silently and elevates, one PIM request, never before the start', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const { card, at } = await schedule(adele, 8);
    assert.equal(await activationRequests(sim), 0, 'nothing activated before the start');
    const oauthBefore = (await adele.activities()).filter(isOAuth).length;
    await bot.kill('SIGKILL');
    bot = await startBot({ sim, storePath, env: FAST });
    const fresh = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    // At the start the new process has no token for Adele: a sign-in card the Teams client answers silently.
    await fresh.waitUntil((records) => records.filter(isOAuth).length > oauthBefore || undefined, { what: 'the sign-in card at the start', timeoutMs: 30_000 });
    assert.ok(Date.now() >= at, 'not asked before the start');
    assert.equal(await activationRequests(sim), 0);
    assert.equal((await fresh.signIn()).status, 200);
    await waitForCard(fresh, card, SUCCESS);
    await fresh.waitForText('Starting now', { timeoutMs: 10_000 });
    assert.equal(await activationRequests(sim), 1, 'one PIM activation');
    assert.equal(await applyAdminRoleCalls(sim, 200), 1);
    const [sent] = await activationTimes(sim);
    if (sent !== undefined && !Number.isNaN(sent)) assert.ok(sent >= at, 'activated at the start, not before');
  });

  it('a cancelled scheduled elevation never starts', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const { card, at } = await schedule(adele, 8);
    // The request card's Cancel (its id is the server's; the use case checks the tapper and the state).
    const tap = await adele.tap(card, CANCEL);
    assert.equal(tap.status, 200);
    assert.match(cardText(tap.card), /ancel/);
    // The same tap again (a redelivery, a double tap) changes nothing.
    assert.equal((await adele.resend()).status, 200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()) + 3_000));
    assert.equal(await activationRequests(sim), 0, 'no PIM request');
    const status = await statusText(adele);
    assert.doesNotMatch(status, /scheduled/i);
  });

  it('moves a scheduled elevation with "move to …": it starts at the new time, not the old one, and status shows it until then', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const { card, at: oldStart } = await schedule(adele, 40);
    assert.match(await statusText(adele), /scheduled/i, 'status lists the scheduled elevation');
    const { phrase, at: newStart } = startPhrase(6);
    const before = (await adele.activities()).length;
    assert.equal((await adele.say(`move to ${phrase.replace(/^at /, '')}`)).status, 200);
    const reply = await adele.waitUntil((records) => records.slice(before).find((r) => /Moved: your elevation in Contoso Prod/.test(cardText(cardOf(r)))));
    assert.ok(reply);
    await waitForCard(adele, card, SUCCESS);
    assert.ok(Date.now() >= newStart && Date.now() < oldStart, 'started at the new start');
    assert.equal(await activationRequests(sim), 1);
  });

  it('does not start when the eligibility was removed before the start, and tells the requester why', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const { card } = await schedule(adele, 6);
    await sim.control.updateTenant<{ eligibilities: { principalId: string }[] }>((model) => {
      model.eligibilities = model.eligibilities.filter((e) => e.principalId !== USERS.adele.id);
    });
    await adele.waitForText('did not start', { timeoutMs: 30_000 });
    await waitForCard(adele, card, /did not start/);
    await eventually(async () => (await adele.activities()).some((r) => /not eligible|no longer|eligib/i.test(cardText(cardOf(r)))), 'the reason');
    assert.equal(await activationRequests(sim), 0, 'nothing activated');
  });

  async function statusText(user: TeamsClient): Promise<string> {
    const before = (await user.activities()).length;
    await user.say('status');
    const reply = await user.waitUntil((records) => records.slice(before).find((r) => /Your elevations|elevations/i.test(cardText(cardOf(r)))));
    return cardText(cardOf(reply));
  }
});
