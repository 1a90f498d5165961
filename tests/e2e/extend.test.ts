import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ENVIRONMENTS,
  ROLES,
  SEED_SECRETS,
  TeamsClient,
  USERS,
  assertNoSecretsIn,
  buildExecuteValue,
  cardOf,
  cardText,
  findAction,
  type BotProcess,
  type Simulator,
  type TeamsUser,
} from '../harness/index.js';
import { ON_CALL_GROUP_ID } from '../simulator/tenant/seed.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import { APPROVE, ACTIVATE } from './support/approvals.js';
import {
  EXTEND,
  adelesInstances,
  ask,
  elevate,
  holdsSystemAdministrator,
  instantsOn,
  pastPimsFirstFiveMinutes,
  pimRequests,
  scheduleOf,
  seedRunningActivation,
  sleepUntil,
} from './support/extend.js';
import { SUBMIT, eventually, hasVerb, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

/**
 * Extending elevations through Teams (issue #16, "Extend"): the bot started as in production, Adele and
 * Megan talking to it over HTTP, PIM, Power Platform and Dataverse played over HTTPS by the simulator.
 * Elevate's default extension policy applies (two extensions, two hours together) except in Contoso UAT,
 * where each extension needs Megan's approval; Adele is on call (break glass).
 */
const POLICY = `
version: 1
defaults:
  approval:
    required: false
rules:
  - name: uat-extensions-approved
    match:
      environmentIds: [${ENVIRONMENTS.contosoUat.id}]
    approval:
      required: false
      approverUserIds: [${USERS.megan.id}]
    extensionApproval: true
breakGlass:
  onCallGroupIds: [${ON_CALL_GROUP_ID}]
  maximumDuration: PT1H
`;

/**
 * The bot runs on the system clock: timers polled every second, and one reminder 30 minutes before the end, so
 * that an elevation extended by 30 minutes shortly before its end is reminded at once (production: 15 and 5).
 */
const ENV = {
  ELEVATE_ACTIVATION_POLL_MS: '200',
  ELEVATE_PROPAGATION_RETRY_SECONDS: '1',
  ELEVATE_TIMER_POLL_SECONDS: '1',
  ELEVATE_REMINDER_MINUTES: '30',
  ELEVATE_PIM_POLICY_CACHE_SECONDS: '0',
};
const EXTENDED = /Extended: Contoso (Prod|UAT) until/;
/** An end (not "Extended"). */
const ENDED = /\bended\b/i;
/** How long the seeded PIM activation still runs when Adele asks Elevate: long enough to elevate and extend. */
const SECONDS_LEFT = 40;
const INCIDENT = 'INC0099999 payments flow down, customers cannot pay';

type PimPath = 'refuse' | 'accept';
const PATHS: { path: PimPath; name: string }[] = [
  { path: 'refuse', name: 'PIM refuses a start at the current end: deactivate and activate again' },
  { path: 'accept', name: 'PIM accepts a start at the current end: a follow-on activation' },
];

describe('extend through Teams (issue #16)', function () {
  this.timeout(180_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;
  const clients: TeamsClient[] = [];
  const client = (user: TeamsUser) => {
    const c = new TeamsClient({ botUrl: bot.url, sim, user });
    clients.push(c);
    return c;
  };

  async function start(pimPath: PimPath): Promise<TeamsClient> {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-extend-'));
    writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
    ({ sim, bot } = await startSimulatorAndBot({ ...ENV, ELEVATE_POLICY_FILE: path.join(dir, 'policy.yaml') }));
    // Microsoft removes System Administrator as soon as no admin-role activation runs (delay undocumented [?]).
    await sim.control.settings({ activationAfterCurrentEnd: pimPath, systemAdministratorRemovalAfterPimEndMs: 0 });
    return client(USERS.adele);
  }

  afterEach(async () => {
    const output = bot?.output() ?? '';
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
    assertNoSecretsIn(output, [...SEED_SECRETS, ...clients.splice(0).flatMap((c) => c.tokens())]);
  });

  for (const { path: pimPath, name } of PATHS) {
    describe(name, () => {
      it('extend by 30m: a new PIM activation on Adele’s own token, the end moves, System Administrator stays past the old end, and the reminder of the new end says what is left', async () => {
        const adele = await start(pimPath);
        const oldEnd = await seedRunningActivation(sim, SECONDS_LEFT);
        await elevate(adele);
        const activationsBefore = (await pimRequests(sim, 'selfActivate')).length;

        const extended = await ask(adele, 'extend by 30m', EXTENDED);
        const text = cardText(cardOf(extended));
        assert.match(text, /30 min more/);
        assert.match(text, /extend it by up to 1 h 30 min more \(1 extension/, 'what is left after this one');
        const newEnd = instantsOn(cardOf(extended)).at(-1)!;

        const activations = await pimRequests(sim, 'selfActivate');
        assert.equal(activations.length, activationsBefore + 1, 'one new PIM activation');
        const extension = activations.at(-1)!;
        assert.equal(extension.token?.oid, USERS.adele.id, 'on the requester’s own token');
        assert.ok(extension.token?.scp, 'a delegated token');
        const deactivations = await pimRequests(sim, 'selfDeactivate');
        if (pimPath === 'accept') {
          assert.equal(Date.parse(scheduleOf(extension).startDateTime ?? ''), Date.parse(oldEnd), 'starts as the current activation ends');
          assert.equal(scheduleOf(extension).expiration?.duration, 'PT30M');
          assert.equal(deactivations.length, 0, 'nothing deactivated');
          assert.equal(Date.parse(newEnd), Date.parse(oldEnd) + 30 * 60_000, 'the new end: the old one plus 30 minutes');
        } else {
          assert.equal(deactivations.length, 1, 'deactivated, then activated again at once');
          assert.match(scheduleOf(extension).expiration?.duration ?? '', /^PT3[12]M$/, 'what was left, rounded up, plus 30 minutes');
        }
        const pimEnd = Math.max(...(await adelesInstances(sim)).map((i) => Date.parse(i.endDateTime ?? '')));
        assert.ok(Math.abs(pimEnd - Date.parse(newEnd)) < 5_000, `PIM ends when the elevation does (${new Date(pimEnd).toISOString()} / ${newEnd})`);

        // The reminder of the new end (30 minutes before it) comes about when the old end passes.
        const reminder = await adele.waitFor((r) => /ends in 30 min/.test(cardText(cardOf(r))), { timeoutMs: 90_000, what: 'the reminder of the new end' });
        assert.match(cardText(cardOf(reminder)), /extend it by up to 1 h 30 min more \(1 extension/, 'the reminder says what extension is left');
        assert.equal(findAction(cardOf(reminder)!, EXTEND)?.['title'], 'Extend by 1 h');
        await sleepUntil(Date.parse(oldEnd) + 3_000);
        const status = cardText(cardOf(await ask(adele, 'status', /Your elevations/)));
        assert.match(status, /active/, 'still active after the old end: the expiry follows the new end');
        assert.ok(!(await adele.activities()).some((r) => ENDED.test(cardText(cardOf(r))) && /Contoso Prod/.test(cardText(cardOf(r)))), 'no end');
        assert.equal(await holdsSystemAdministrator(sim), true, 'System Administrator kept across the old end');
        assert.ok(
          (await adelesInstances(sim)).some((i) => Date.parse(i.startDateTime) <= Date.now() && Date.parse(i.endDateTime!) > Date.now()),
          'PIM active now',
        );

        // Someone else's tap on Adele's Extend (card data is never trusted): refused, nothing sent to PIM.
        const extendTap = buildExecuteValue(cardOf(reminder)!, EXTEND);
        const tap = async (user: TeamsClient) => cardText(cardOf((await user.invoke('adaptiveCard/action', extendTap, reminder.id)).body as never));
        assert.match(await tap(client(USERS.megan)), /Only the person who started this request/);
        assert.equal((await pimRequests(sim)).length, activations.length + deactivations.length, 'nothing sent to PIM');

        // Adele's own tap: on the deactivate path PIM first needs the new activation five minutes old.
        if (pimPath === 'refuse') {
          assert.match(await tap(adele), /Too early to extend/);
          await pastPimsFirstFiveMinutes(sim);
        }
        const again = await tap(adele);
        assert.match(again, EXTENDED);
        assert.match(again, /1 h more.*cannot be extended any more/s, 'the second extension uses up the count');
        if (pimPath === 'accept') assert.equal(Date.parse(scheduleOf((await pimRequests(sim, 'selfActivate')).at(-1)).startDateTime ?? ''), Date.parse(newEnd));
        // The same tap again (a double tap, a redelivery): extended once.
        const sent = (await pimRequests(sim)).length;
        assert.match(await tap(adele), /already extended/);
        assert.equal((await pimRequests(sim)).length, sent);
      });

      it('an early deactivate after an extension ends it all: no PIM activation starts later without Elevate, and System Administrator goes', async () => {
        const adele = await start(pimPath);
        await elevate(adele);
        await pastPimsFirstFiveMinutes(sim);
        await ask(adele, 'extend by 30m', EXTENDED);
        if (pimPath === 'refuse') await pastPimsFirstFiveMinutes(sim);

        await ask(adele, 'deactivate', ENDED);
        await eventually(async () => !(await holdsSystemAdministrator(sim)), 'System Administrator removed');
        assert.deepEqual(
          (await adelesInstances(sim)).filter((i) => Date.parse(i.endDateTime!) > Date.now()),
          [],
          'nothing active and nothing scheduled to start later',
        );
        const cancels = (await sim.control.requests('graph')).filter((r) => r.method === 'POST' && r.path.endsWith('/cancel'));
        if (pimPath === 'accept') {
          const cancelled = (await sim.control.getTenant<TenantModel>()).requests.filter((r) => r.status === 'Canceled');
          assert.equal(cancels.length, 1, 'the follow-on activation cancelled');
          assert.equal(cancels[0]!.status, 204);
          assert.equal(cancels[0]!.token?.oid, USERS.adele.id, 'on the requester’s own token');
          assert.equal(cancelled.length, 1);
          assert.ok(cancels[0]!.path.includes(cancelled[0]!.id), 'the extension’s own PIM request');
        } else {
          assert.equal(cancels.length, 0, 'nothing waits to start: nothing to cancel');
        }
      });
    });
  }

  it('refuses an extension beyond the policy with the reason and what is left', async () => {
    const adele = await start('refuse');
    await elevate(adele);
    await pastPimsFirstFiveMinutes(sim);
    const refused = cardText(cardOf(await ask(adele, 'extend by 3h', /Not extended/)));
    assert.match(refused, /more than the Elevate policy allows: you can extend by at most 2 h more/);
    assert.equal((await pimRequests(sim)).length, 1, 'PIM saw only the elevation');
  });

  it('never extends a break-glass elevation', async () => {
    const adele = await start('refuse');
    const glass = await openRequestCard(adele, `elevate me in Contoso Prod now because ${INCIDENT}`);
    assert.match(cardText(cardOf(glass)), /Break glass/);
    await adele.tap(glass, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: INCIDENT });
    await adele.waitFor((r) => r.id === glass.id && /Elevated in Contoso Prod/.test(cardText(cardOf(r))), { timeoutMs: 30_000, what: 'break glass' });
    await pastPimsFirstFiveMinutes(sim);
    const never = cardText(cardOf(await ask(adele, 'extend by 30m', /Not extended/)));
    assert.match(never, /break-glass elevation is never extended/);
    assert.equal((await pimRequests(sim)).length, 1, 'PIM saw only the elevation');
  });

  it('asks Megan again where the policy says so: approved on her card, then applied once on Adele’s Activate', async () => {
    const adele = await start('accept');
    await elevate(adele, 'Contoso UAT');
    const sent = await ask(adele, 'extend by 30m', /Extension sent for approval/);
    assert.ok(sent);
    assert.equal((await pimRequests(sim)).length, 1, 'nothing in PIM before approval');

    const megan = client(USERS.megan);
    const card = await megan.waitFor((r) => hasVerb(r, APPROVE) && /Contoso UAT/.test(cardText(cardOf(r))), { what: 'Megan’s approval card' });
    assert.match(cardText(cardOf(card)), /Extension of elevation/);
    assert.match(cardText((await megan.tap(card, APPROVE)).card), /You approved this/);
    assert.equal((await pimRequests(sim)).length, 1, 'approval alone changes nothing in PIM');

    const approved = await adele.waitFor((r) => hasVerb(r, ACTIVATE), { what: 'the approved extension with Activate' });
    // Two taps at once (a double tap, two devices): the same Action.Execute twice.
    const activate = buildExecuteValue(cardOf(approved)!, ACTIVATE);
    const tap = async () => cardText(cardOf((await adele.invoke('adaptiveCard/action', activate, approved.id)).body as never));
    const answers = await Promise.all([tap(), tap()]);
    assert.equal(answers.filter((t) => EXTENDED.test(t)).length, 1, `applied once: ${answers.join(' | ')}`);
    const activations = await pimRequests(sim, 'selfActivate');
    assert.equal(activations.length, 2, 'one PIM activation for the extension');
    assert.equal(activations[1]!.token?.oid, USERS.adele.id);
    assert.equal(scheduleOf(activations[1]).expiration?.duration, 'PT30M');
    assert.match(await tap(), /Nothing to extend|already extended/, 'a later tap applies nothing');
    assert.equal((await pimRequests(sim, 'selfActivate')).length, 2);
  });

  it('overlapping elevations: the first one’s end keeps System Administrator for the extended second, and the last one’s end removes it', async () => {
    const adele = await start('accept');
    const oldEnd = await seedRunningActivation(sim, SECONDS_LEFT);
    const first = await elevate(adele);
    const second = await elevate(adele);
    assert.notEqual(first.requestId, second.requestId);
    // The second gets 30 minutes more through Extend with its id (the reminder's button; no reminder is due yet).
    const value = { action: { type: 'Action.Execute', verb: EXTEND, data: { requestId: second.requestId, minutes: '30' } }, trigger: 'manual' };
    assert.match(cardText(cardOf((await adele.invoke('adaptiveCard/action', value, second.card.id)).body as never)), EXTENDED);

    // The first ends at its own end; the second still covers System Administrator.
    await adele.waitFor((r) => ENDED.test(cardText(cardOf(r))) && cardText(cardOf(r)).includes('Contoso Prod'), {
      timeoutMs: 90_000,
      what: 'the first elevation’s end',
    });
    await sleepUntil(Date.parse(oldEnd) + 3_000);
    assert.equal(await holdsSystemAdministrator(sim), true, 'kept for the second');
    assert.match(cardText(cardOf(await ask(adele, 'status', /Your elevations/))), /active/);

    // The last one ends (deactivated early, once PIM's first five minutes of the follow-on have passed): removed.
    await pastPimsFirstFiveMinutes(sim);
    await ask(adele, 'deactivate', ENDED);
    await eventually(async () => !(await holdsSystemAdministrator(sim)), 'System Administrator removed by the last end');
  });

  it('refuses to extend a role whose PIM policy needs approval, before anything reaches PIM, and says why', async () => {
    const adele = await start('refuse');
    await elevate(adele);
    await pastPimsFirstFiveMinutes(sim);
    // The role's PIM policy starts requiring approval (the bot reads policies afresh: ELEVATE_PIM_POLICY_CACHE_SECONDS=0).
    await sim.control.updateTenant<{ policies: { roleDefinitionId: string; approvalRequired: boolean; approverIds: string[] }[] }>((tenant) => {
      const policy = tenant.policies.find((p) => p.roleDefinitionId === ROLES.powerPlatformAdministrator)!;
      policy.approvalRequired = true;
      policy.approverIds = [USERS.megan.id];
    });
    const before = (await pimRequests(sim)).length;
    const refused = cardText(cardOf(await ask(adele, 'extend by 30m', /Not extended/)));
    assert.match(refused, /PIM needs approval to activate Power Platform Administrator/);
    assert.equal((await pimRequests(sim)).length, before, 'no deactivation, no activation left waiting for PIM approvers');
    assert.equal(await holdsSystemAdministrator(sim), true, 'the elevation goes on as it was');
  });
});
