import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ENVIRONMENTS,
  ROLES,
  TEAM,
  TeamsClient,
  USERS,
  cardOf,
  cardText,
  findAction,
  startBot,
  startSimulator,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
} from '../harness/index.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import { ACTIVATE, APPROVE } from './support/approvals.js';
import { JUSTIFICATION, SUBMIT, eventually, hasVerb, openRequestCard } from './support/flow.js';

const DENY = 'elevate.deny';
const SECURITY = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.securityChannelId, name: 'Security notifications' };
const ELEVATED = /Elevated in|System Administrator until/;

function requestIdOf(record: RecordedActivity): string {
  return (findAction(cardOf(record)!, SUBMIT)!['data'] as { requestId: string }).requestId;
}

/** `<weekday> <HH:MM:SS>` in UTC, `seconds` from now: an ELEVATE_DIGEST_SCHEDULE due shortly. */
function scheduleIn(seconds: number): string {
  const at = new Date(Date.now() + seconds * 1000);
  return `${['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][at.getUTCDay()]} ${at.toISOString().slice(11, 19)}`;
}

/** Lets PIM deactivate Adele's activations (not within their first five minutes), then taps Deactivate now. */
async function deactivate(sim: Simulator, adele: TeamsClient, requestId: string, cardId: string): Promise<void> {
  const sixMinutesAgo = new Date(Date.now() - 6 * 60_000).toISOString();
  await sim.control.updateTenant<TenantModel>((tenant) => {
    for (const a of tenant.assignments.filter((a) => a.principalId === USERS.adele.id)) a.startDateTime = sixMinutesAgo;
  });
  await adele.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'elevate.deactivate', data: { requestId } }, trigger: 'manual' }, cardId);
}

describe('reminders in the security channel where the policy says remindChannel (issue #16)', function () {
  this.timeout(150_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-reminders-'));
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      `rules:\n  - name: production-reminders\n    match:\n      environmentTypes: [Production]\n    remindChannel: true\n`,
    );
    sim = await startSimulator();
    // A one-hour elevation is reminded 59 minutes before its end: a minute after it starts.
    bot = await startBot({
      sim,
      env: {
        ELEVATE_ACTIVATION_POLL_MS: '200',
        ELEVATE_REMINDER_MINUTES: '59',
        ELEVATE_TIMER_POLL_SECONDS: '1',
        ELEVATE_POLICY_FILE: path.join(dir, 'policy.yaml'),
      },
    });
  });
  after(async () => {
    await bot?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts the reminder of a Production elevation to the channel, and not that of a Sandbox one', async () => {
    const nestor = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor, conversation: SECURITY });
    await nestor.say('notify here');
    await nestor.waitForText('Elevate will post every elevation');
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    for (const [environment, roleId] of [
      ['Contoso Prod', ROLES.powerPlatformAdministrator],
      ['Contoso UAT', ROLES.dynamics365Administrator],
    ] as const) {
      const card = await openRequestCard(adele, `elevate me in ${environment}`);
      await adele.tap(card, SUBMIT, { roleId, duration: 'PT1H', justification: JUSTIFICATION });
      await adele.waitFor((r) => r.id === card.id && ELEVATED.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: `elevated in ${environment}` });
    }

    const reminders = async () => (await adele.activities()).filter((r) => /ends in/.test(cardText(cardOf(r))));
    await eventually(async () => (await reminders()).length === 2, 'both reminders to Adele', 100_000);
    const posts = async () => (await nestor.activities()).map((r) => cardText(cardOf(r))).filter((text) => /elevation in .* ends in/.test(text));
    await eventually(async () => (await posts()).length >= 1, 'the reminder in the security channel', 20_000);
    // The Sandbox reminder went to Adele at about the same time: give a wrong channel post the time to show.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const [post, ...others] = await posts();
    assert.deepEqual(others, [], 'one reminder post: the Sandbox one stays with the requester');
    assert.match(post ?? '', /Adele Vance: elevation in Contoso Prod ends in (59|58) min/);
    assert.match(post ?? '', /Power Platform Administrator and System Administrator end then/);
  });
});

describe('weekly digest in the security channel (issue #16)', function () {
  this.timeout(150_000);
  let sim: Simulator;
  let dir: string;
  const bots: BotProcess[] = [];
  const start = async (instance: string, env: Record<string, string> = {}) => {
    const bot = await startBot({
      sim,
      storePath: path.join(dir, 'elevate.db'),
      env: {
        ELEVATE_INSTANCE_ID: instance,
        ELEVATE_ACTIVATION_POLL_MS: '200',
        ELEVATE_TIMER_POLL_SECONDS: '1',
        ELEVATE_POLICY_FILE: path.join(dir, 'policy.yaml'),
        ...env,
      },
    });
    bots.push(bot);
    return bot;
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-digest-'));
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      `rules:
  - name: uat-megan
    match:
      environmentIds: [${ENVIRONMENTS.contosoUat.id}]
    approval:
      required: true
      approverUserIds: [${USERS.megan.id}]
      approvalsRequired: 1
      pendingTimeoutMinutes: 60
`,
    );
    sim = await startSimulator();
  });
  after(async () => {
    for (const bot of bots) await bot.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts an approved, a denied and a failed clean-up elevation, and two instances post it once', async () => {
    const bot = await start('digest-a');
    const client = (user: (typeof USERS)[keyof typeof USERS], conversation?: typeof SECURITY) =>
      new TeamsClient({ botUrl: bot.url, sim, user, ...(conversation ? { conversation } : {}) });
    const nestor = client(USERS.nestor, SECURITY);
    await nestor.say('notify here');
    await nestor.waitForText('Elevate will post every elevation');
    const adele = client(USERS.adele);
    const megan = client(USERS.megan);

    // Approved by Megan, activated by Adele, ended early.
    const approvedCard = await openRequestCard(adele, 'elevate me in Contoso UAT');
    const approvedId = requestIdOf(approvedCard);
    await adele.tap(approvedCard, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    const toApprove = await megan.waitFor((r) => hasVerb(r, APPROVE) && cardText(cardOf(r)).includes('Contoso UAT'), { what: "Megan's approval card" });
    await megan.tap(toApprove, APPROVE);
    const activate = await adele.waitFor((r) => hasVerb(r, ACTIVATE), { what: 'the Activate card' });
    await adele.tap(activate, ACTIVATE);
    await adele.waitFor((r) => r.id === approvedCard.id && ELEVATED.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the approved elevation' });
    await deactivate(sim, adele, approvedId, approvedCard.id);
    await adele.waitFor((r) => /Deactivated|ended/i.test(cardText(cardOf(r))) && cardText(cardOf(r)).includes('Contoso UAT'), {
      timeoutMs: 20_000,
      what: 'the approved elevation ended',
    });

    // Denied by Megan.
    const deniedCard = await openRequestCard(adele, 'elevate me in Contoso UAT');
    const deniedId = requestIdOf(deniedCard);
    await adele.tap(deniedCard, SUBMIT, { roleId: ROLES.dynamics365Administrator, duration: 'PT1H', justification: JUSTIFICATION });
    const toDeny = await megan.waitFor((r) => hasVerb(r, DENY) && JSON.stringify(cardOf(r)).includes(deniedId), { what: 'the second approval card' });
    await megan.tap(toDeny, DENY, { reason: 'Not during the release freeze' });
    await adele.waitFor((r) => /denied/i.test(cardText(cardOf(r))), { what: 'the denial' });

    // Elevated in Contoso Prod; Dataverse refuses the clean-up.
    const failingCard = await openRequestCard(adele, 'elevate me in Contoso Prod');
    const failingId = requestIdOf(failingCard);
    await adele.tap(failingCard, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === failingCard.id && ELEVATED.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the Prod elevation' });
    await sim.control.fault({ service: 'dataverse', method: 'DELETE', status: 403, times: 1_000 });
    await deactivate(sim, adele, failingId, failingCard.id);
    const deletes = async () => (await sim.control.requests('dataverse')).filter((r) => r.method === 'DELETE' && r.status === 403).length;
    await eventually(async () => (await deletes()) >= 2, 'the deactivation and the expiry timer both failing to clean up', 20_000);
    await bot.stop();

    // Two instances on the same store, with the digest due in a few seconds: one post.
    const schedule = scheduleIn(8);
    await start('digest-b', { ELEVATE_DIGEST_SCHEDULE: schedule });
    await start('digest-c', { ELEVATE_DIGEST_SCHEDULE: schedule });
    const digests = async () => (await nestor.activities()).map((r) => cardText(cardOf(r))).filter((text) => text.includes('Elevate weekly digest'));
    await eventually(async () => (await digests()).length >= 1, 'the weekly digest', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const all = await digests();
    assert.equal(all.length, 1, 'one digest, however many instances');
    const text = all[0]!;
    assert.match(text, /2 elevations, per environment and role:/);
    assert.match(text, /Contoso Prod · Power Platform Administrator: 1/);
    assert.match(text, /Contoso UAT · Power Platform Administrator: 1/);
    assert.doesNotMatch(text, /Dynamics 365 Administrator/, 'the denied request is no elevation');
    assert.match(text, /Median duration: 1 min \(1 ended\)/);
    assert.match(text, /Approval decisions: 1 approved, 1 denied/);
    assert.match(text, /Break-glass uses: 0/);
    assert.match(text, /Failed clean-ups: 1/);
    assert.match(text, new RegExp(`Clean-up failed: Adele Vance in Contoso Prod \\(elevation ${failingId}\\)`));
  });
});
