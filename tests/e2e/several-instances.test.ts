import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ROLES,
  SEED_SECRETS,
  TEAM,
  TeamsClient,
  USERS,
  assertNoSecretsIn,
  cardOf,
  cardText,
  findAction,
  startBot,
  startSimulator,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
  type TeamsUser,
} from '../harness/index.js';
import { useAzurite } from '../support/azurite.js';
import { ACTIVATE, APPROVE, EXTRA_APPROVERS, TEN_APPROVERS, twoOfTenRule } from './support/approvals.js';
import { JUSTIFICATION, RETRY, SUBMIT, activationRequests, applyAdminRoleCalls, eventually, hasVerb, isOAuth, openRequestCard } from './support/flow.js';

const POLICY = `
version: 1
defaults:
  approval:
    required: false
rules:
${twoOfTenRule(`    approvalsChannel: '${TEAM.approvalsChannelId}'\n`)}`;

const approvalsChannel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.approvalsChannelId, name: 'Approvals' };
const securityChannel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.securityChannelId, name: 'Security notifications' };
const SUCCESS = /Elevated in|System Administrator until/;

function requestIdOf(record: RecordedActivity, verb: string): string {
  const data = findAction(cardOf(record)!, verb)?.['data'] as { requestId?: string } | undefined;
  assert.ok(data?.requestId, `the card has ${verb} with a request id`);
  return data.requestId;
}

/**
 * Issue #12, "Several instances": two bot processes share one Azure Tables store (Azurite), and the
 * harness delivers activities round-robin, as a load balancer in front of App Service instances
 * does. So a message, its token exchange and the next tap reach different instances, each of which
 * holds tokens only in its own memory.
 */
describe('two instances sharing Azure Tables, activities round-robin', function () {
  this.timeout(240_000);
  const azurite = useAzurite();
  let sim: Simulator;
  let dir: string;
  const bots: Record<'a' | 'b', BotProcess | undefined> = { a: undefined, b: undefined };
  const clients: TeamsClient[] = [];
  const urls = () => [bots.a, bots.b].filter((bot): bot is BotProcess => bot !== undefined).map((bot) => bot.url);
  /** A Teams client whose activities alternate between the instances (starting with the `first`-th). */
  const client = (
    user: TeamsUser,
    options: { first?: number; conversation?: ConstructorParameters<typeof TeamsClient>[0]['conversation']; only?: BotProcess } = {},
  ) => {
    const all = options.only ? [options.only.url] : urls();
    const start = (options.first ?? 0) % all.length;
    const c = new TeamsClient({
      botUrl: [...all.slice(start), ...all.slice(0, start)],
      sim,
      user,
      ...(options.conversation ? { conversation: options.conversation } : {}),
    });
    clients.push(c);
    return c;
  };
  const start = (instance: 'a' | 'b') =>
    startBot({
      sim,
      env: {
        ELEVATE_STORE: `azuretables:${azurite().connectionString}`,
        ELEVATE_INSTANCE_ID: `bot-${instance}`,
        ELEVATE_POLICY_FILE: path.join(dir, 'policy.yaml'),
        ELEVATE_ACTIVATION_POLL_MS: '200',
        // A one-hour activation gets its reminder a minute after it starts.
        ELEVATE_REMINDER_MINUTES: '59',
      },
    });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-instances-'));
    writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
    sim = await startSimulator();
    await sim.control.updateTenant<{ users: TeamsUser[] }>((tenant) => void tenant.users.push(...EXTRA_APPROVERS.map((u) => ({ ...u }))));
    [bots.a, bots.b] = await Promise.all([start('a'), start('b')]);
  });

  after(async () => {
    const output = `${bots.a?.output() ?? ''}\n${bots.b?.output() ?? ''}`;
    await Promise.all([bots.a?.stop(), bots.b?.stop()]);
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
    assertNoSecretsIn(output, [...SEED_SECRETS, ...clients.flatMap((c) => c.tokens())]);
  });

  it('duplicate deliveries, a sign-in split across instances and ten racing approvers: one request card, two approvals, one PIM request, one post each, one reminder', async () => {
    await client(USERS.nestor, { conversation: approvalsChannel }).say('approvals here');
    await client(USERS.nestor, { conversation: securityChannel, first: 1 }).say('notify here');
    const security = client(USERS.nestor, { conversation: securityChannel });
    await security.waitForText('Elevate will post every elevation');

    // The message reaches instance A, and Teams redelivers it to B: one answer, a sign-in card (no
    // instance has Adele's token yet). The token exchange goes to A, which replays the message.
    const adele = client(USERS.adele);
    const said = await adele.say('elevate me in Contoso Prod');
    assert.equal((await adele.resend(said.activity)).status, 200);
    await adele.waitFor(isOAuth, { what: 'the sign-in card' });
    assert.equal((await adele.signIn()).status, 200);
    const card = await adele.waitFor((r) => hasVerb(r, SUBMIT), { what: 'the request card' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const afterRequest = await adele.activities();
    assert.equal(afterRequest.filter(isOAuth).length, 1, 'one sign-in card for the message and its redelivery');
    assert.equal(afterRequest.filter((r) => hasVerb(r, SUBMIT)).length, 1, 'one request card');

    // The tap reaches B, which has no token for Adele: Teams signs her in again silently (the
    // exchange reaches A) and the tap itself is replayed: the card she filled in goes on.
    const requestId = requestIdOf(card, SUBMIT);
    const submitted = await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    assert.equal(submitted.status, 200);
    if (/Signing you in/.test(cardText(submitted.card))) {
      await adele.waitUntil((records) => records.filter(isOAuth).length > 1 || undefined, { what: 'the second sign-in card' });
      assert.equal((await adele.signIn()).status, 200);
    }
    await adele.waitFor((r) => r.id === card.id && /Waiting for approval/.test(cardText(cardOf(r))), { what: 'the submitted request, waiting for approval' });

    // Ten approvers tap at once, half of them on each instance, and each tap is delivered twice.
    const approvers = TEN_APPROVERS.map((user, i) => client(user, { first: i }));
    const cards = await Promise.all(
      approvers.map((a) => a.waitFor((r) => hasVerb(r, APPROVE) && requestIdOf(r, APPROVE) === requestId, { what: 'an approval card' })),
    );
    const taps = await Promise.all(approvers.map(async (a, i) => [await a.tap(cards[i]!, APPROVE), await a.resend()] as const));
    const answers = taps.map(([first]) => cardText(first.card));
    assert.equal(answers.filter((a) => a.includes('You approved this')).length, 2, 'two approvals recorded');
    assert.equal(answers.filter((a) => a.includes('already decided')).length, 8);

    // Adele activates; her tap and a double tap may reach either instance.
    const approved = await adele.waitFor((r) => hasVerb(r, ACTIVATE), { what: 'the Approved — Activate card' });
    const activations = await Promise.all([adele.tap(approved, ACTIVATE), client(USERS.adele, { first: 1 }).tap(approved, ACTIVATE)]);
    if (activations.some((t) => /Signing you in/.test(cardText(t.card)))) {
      const oauthSoFar = (await adele.activities()).filter(isOAuth).length;
      await adele.waitUntil((records) => records.filter(isOAuth).length >= oauthSoFar || undefined, { what: 'the sign-in card' });
      await adele.signIn().catch(() => undefined);
    }
    await adele.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 30_000, what: 'the elevation' });
    assert.equal(await activationRequests(sim), 1, 'one PIM activation');
    assert.equal(await applyAdminRoleCalls(sim, 200), 1, 'one applyAdminRole');

    const posts = async () => (await security.activities()).map((r) => cardText(cardOf(r)));
    await eventually(async () => (await posts()).some((p) => /Elevated|elevated/.test(p) && /Adele/.test(p)), 'the elevated post');
    // Each instance's timers and outbox entries are claimed once: a reminder one minute in, once.
    const reminders = async () => (await adele.activities()).filter((r) => /ends in/.test(cardText(cardOf(r))));
    await eventually(async () => (await reminders()).length > 0, 'the reminder', 100_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal((await reminders()).length, 1, 'one reminder');
    const final = await posts();
    assert.equal(final.filter((p) => /approved Adele Vance's request/.test(p)).length, 2, 'each approval posted once');
    assert.equal(final.filter((p) => /Elevated|elevated/.test(p) && /Adele/.test(p) && !/approved/.test(p)).length, 1, 'one elevated post');
  });

  it('after kill -9 of the instance running an activation, the other takes it over within two minutes: one PIM request', async () => {
    await sim.control.settings({ activationDelayMs: 8_000 });
    const before = await activationRequests(sim);
    // No approval in Contoso Dev; this message and tap go to instance A only.
    const adele = client(USERS.adele, { only: bots.a! });
    const card = await openRequestCard(adele, 'elevate me in Contoso Dev');
    // Another role than the first test's (still active, which PIM would answer RoleAssignmentExists).
    const tap = await adele.tap(card, SUBMIT, { roleId: ROLES.dynamics365Administrator, duration: 'PT1H', justification: JUSTIFICATION });
    if (/Signing you in/.test(cardText(tap.card))) await adele.signIn();
    await eventually(async () => (await activationRequests(sim)) > before, 'the PIM request');

    const killedAt = Date.now();
    await bots.a!.kill('SIGKILL');
    bots.a = undefined;
    const survivor = client(USERS.adele, { only: bots.b! });
    const takenOver = await survivor.waitFor((r) => r.id === card.id && (SUCCESS.test(cardText(cardOf(r))) || hasVerb(r, RETRY)), {
      timeoutMs: 120_000,
      what: 'the card finished or offering Try again from instance B',
    });
    assert.ok(Date.now() - killedAt < 120_000, 'within two minutes');
    if (!SUCCESS.test(cardText(cardOf(takenOver)))) {
      assert.match(cardText(cardOf(takenOver)), /stopped|restarted/);
      const retried = await survivor.tap(takenOver, RETRY);
      if (/Signing you in/.test(cardText(retried.card))) await survivor.signIn();
      await survivor.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 30_000, what: 'the elevation' });
    }
    assert.equal(await activationRequests(sim), before + 1, 'one PIM activation in all');
    assert.ok(
      bots.b!.logs().some((e) => e['msg'] === 'an in-flight elevation went silent: taking it over' || e['event'] === 'resumed'),
      'instance B took it over',
    );
  });
});
