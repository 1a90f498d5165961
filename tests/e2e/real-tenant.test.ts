import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ENVIRONMENTS,
  ROLES,
  TeamsClient,
  USERS,
  actionTitles,
  cardOf,
  cardText,
  choices,
  startBot,
  type BotProcess,
  type Simulator,
} from '../harness/index.js';
import { JUSTIFICATION, SUBMIT, openRequestCard, sayAndSignIn, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

const SUCCESS = /System Administrator until|Elevated in/;
const FAST = { ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_PROPAGATION_RETRY_SECONDS: '1' };
const GROUP = { id: '9a000000-0000-4000-8000-0000000000a1', displayName: 'PP Admins (role-assignable)' };

interface Tenant {
  groups: { id: string; displayName: string; members: string[] }[];
  eligibilities: Record<string, unknown>[];
  environments: { id: string; displayName: string; domainName: string; visibleTo: string[]; [key: string]: unknown }[];
  apps: { clientId: string; powerPlatformManagementApp?: boolean }[];
  dataverse: Record<string, { systemusers: { applicationid: string | null }[] }>;
}

/** A Power Platform Administrator eligibility that `principalId` (a user, or a group) holds. */
function eligibility(principalId: string, memberType: 'Direct' | 'Group', n: number): Record<string, unknown> {
  return {
    id: `e1161b1e-0000-4000-8000-0000000009${n}0`,
    principalId,
    roleDefinitionId: ROLES.powerPlatformAdministrator,
    directoryScopeId: '/',
    appScopeId: null,
    startDateTime: '2025-01-01T00:00:00Z',
    endDateTime: null,
    memberType,
    roleEligibilityScheduleId: `5c4ed01e-0000-4000-8000-0000000009${n}0`,
  };
}

describe('in a tenant set up as Microsoft documents it: lookup, group roles, environments Elevate cannot clean up', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(async () => {
    ({ sim, bot } = await startSimulatorAndBot(FAST));
    // An environment without a Dataverse database (no organisation behind its domain), before Elevate lists any.
    await sim.control.updateTenant<Tenant>((tenant) => {
      tenant.environments.push({
        ...tenant.environments[0]!,
        id: 'e0000000-0000-4000-8000-000000000009',
        displayName: 'Contoso Pred',
        domainName: 'nodataverse',
        visibleTo: [],
      });
    });
  });
  after(() => stopBotAndSimulator(bot, sim));

  it('elevates an eligible admin who holds no role in Contoso Prod there by name, the listing made with Elevate’s own identity', async () => {
    const tenant = await sim.control.getTenant<Tenant>();
    const prod = tenant.environments.find((e) => e.id === ENVIRONMENTS.contosoProd.id)!;
    assert.ok(!prod.visibleTo.includes(USERS.adele.id), "Adele's own token does not list Contoso Prod");

    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });

    const listings = (await sim.control.requests('powerplatform')).filter((r) => r.method === 'GET' && r.path.endsWith('/environments'));
    assert.ok(listings.length > 0 && listings.every((r) => r.token?.idtyp === 'app'), 'listed with the application identity');
  });

  it('suggests only environments the requester may elevate in: never one without a Dataverse database', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id: 'a:1-suggest' } });
    await sayAndSignIn(adele, 'elevate me in Contoso Prud');
    const answer = await adele.waitForText('I could not find');
    const titles = actionTitles(cardOf(answer)!);
    assert.ok(titles.includes('Contoso Prod'), `suggested: ${titles.join(', ')}`);
    assert.ok(!titles.includes('Contoso Pred'), 'an environment without Dataverse has no System Administrator to elevate to');

    await adele.say('elevate me in Contoso Pred');
    await adele.waitForText('has no Dataverse database');
  });

  it('tells an admin eligible only through a group so within seconds: no PIM request, no Power Platform call, no claim of success', async () => {
    await sim.control.updateTenant<Tenant>((tenant) => {
      tenant.groups.push({ ...GROUP, members: [USERS.lee.id] });
      tenant.eligibilities.push(eligibility(GROUP.id, 'Group', 1));
    });
    const before = (await sim.control.requests()).length;
    const lee = new TeamsClient({ botUrl: bot.url, sim, user: USERS.lee });
    const started = Date.now();
    await sayAndSignIn(lee, 'elevate me in Contoso Dev');
    const told = await lee.waitForText('comes through a group', { timeoutMs: 5_000 });
    assert.ok(Date.now() - started < 5_000);
    const text = cardText(cardOf(told));
    assert.match(text, /Power Platform Administrator: through PP Admins \(role-assignable\)/);
    assert.match(text, /Ask your PIM administrator for a direct eligible assignment/);
    assert.doesNotMatch(text, /System Administrator until|Elevated/);
    const after = (await sim.control.requests()).slice(before);
    assert.ok(!after.some((r) => r.method === 'POST' && r.path.includes('roleAssignmentScheduleRequests')), 'nothing activated');
    assert.ok(!after.some((r) => r.path.includes('applyAdminRole')), 'no propagation wait');
  });

  it('uses the direct eligibility of an admin who also has one through a group', async () => {
    await sim.control.updateTenant<Tenant>((tenant) => {
      tenant.groups.find((g) => g.id === GROUP.id)?.members.push(USERS.megan.id);
      tenant.eligibilities.push(eligibility(USERS.megan.id, 'Direct', 2));
    });
    const megan = new TeamsClient({ botUrl: bot.url, sim, user: USERS.megan });
    const card = await openRequestCard(megan, 'elevate me in Contoso Dev');
    assert.deepEqual(
      choices(cardOf(card)!, 'roleId').map((c) => c.value),
      [ROLES.powerPlatformAdministrator],
    );
  });
});

describe('environments where Elevate has no Dataverse application user: the Elevate policy refuses or warns', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(async () => {
    ({ sim, bot } = await startSimulatorAndBot(FAST));
    await sim.control.updateTenant<Tenant>((tenant) => {
      for (const domain of ['contosoprod', 'contosouat']) {
        const org = tenant.dataverse[domain]!;
        org.systemusers = org.systemusers.filter((u) => u.applicationid === null);
      }
    });
  });
  after(() => stopBotAndSimulator(bot, sim));

  it('refuses in Production by default, before anything is activated', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    await sayAndSignIn(adele, 'elevate me in Contoso Prod');
    const refused = await adele.waitForText('Elevate cannot elevate you in Contoso Prod');
    assert.match(cardText(cardOf(refused)), /no application user.*could not remove System Administrator/);
    assert.ok(!(await sim.control.requests('graph')).some((r) => r.method === 'POST'), 'nothing sent to PIM');
  });

  it('warns on the request card and in the security channel elsewhere, and elevates', async () => {
    const nestor = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: '19:t@thread.tacv2', channelId: '19:sec-warn@thread.tacv2' },
    });
    await nestor.say('notify here');
    await nestor.waitForText('Elevate will post');
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id: 'a:1-uat' } });
    const card = await openRequestCard(adele, 'elevate me in Contoso UAT');
    assert.match(cardText(cardOf(card)), /Elevate has no application user in Contoso UAT, so it cannot remove System Administrator/);
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });
    const post = await nestor.waitFor((r) => /Elevated/.test(cardText(cardOf(r))) && /Contoso UAT/.test(cardText(cardOf(r))), { what: 'the channel post' });
    assert.match(cardText(cardOf(post)), /cannot remove System Administrator from Adele Vance at expiry/);
  });
});

describe('without the management-application registration: the Elevate policy environment list', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;

  before(async () => {
    ({ sim, bot } = await startSimulatorAndBot(FAST));
    await bot.stop();
    await sim.control.updateTenant<Tenant>((tenant) => {
      for (const app of tenant.apps) app.powerPlatformManagementApp = false;
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'elevate-policy-envs-'));
    const file = path.join(dir, 'policy.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'environments:',
        `  - id: ${ENVIRONMENTS.contosoProd.id}`,
        '    displayName: Contoso Prod',
        '    type: Production',
        `    url: ${sim.baseUrl}/dataverse/contosoprod`,
      ].join('\n'),
    );
    bot = await startBot({ sim, env: { ...FAST, ELEVATE_POLICY_FILE: file } });
  });
  after(async () => {
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
  });

  it('still finds Contoso Prod by name when Elevate cannot list environments itself', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    assert.match(cardText(cardOf(card)), /Elevate in Contoso Prod/);
    const refusedApp = (await sim.control.requests('powerplatform')).filter((r) => r.token?.idtyp === 'app' && r.status === 403);
    assert.ok(refusedApp.length > 0, "Elevate's own listing was refused (not registered)");
    assert.match(bot.output(), /cannot list the tenant's environments with its own identity/);
  });
});
