import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, TEAM, TeamsClient, USERS, cardOf, cardText, findAction, type BotProcess, type Simulator } from '../harness/index.js';
import { systemAdministratorRole } from '../simulator/dataverse/model.js';
import { AAD_APP_CLIENT_ID } from '../simulator/tenant/seed.js';
import { addStandingAccess } from '../simulator/tenant/standing-access.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import { JUSTIFICATION, SUBMIT, eventually, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

describe('standing access watchdog (issue #15)', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-watchdog-'));
    writeFileSync(join(dir, 'policy.yaml'), 'standingAccess:\n  expected:\n    - name: break-glass\n      accounts: [breakglass@contoso.example]\n');
    ({ sim, bot } = await startSimulatorAndBot({
      ELEVATE_WATCHDOG_INTERVAL: '2s',
      ELEVATE_TIMER_POLL_SECONDS: '1',
      ELEVATE_ACTIVATION_POLL_MS: '200',
      ELEVATE_POLICY_FILE: join(dir, 'policy.yaml'),
    }));
    await sim.control.updateTenant<TenantModel>(addStandingAccess);
  });
  after(async () => {
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
  });

  const securityChannel = () =>
    new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: TEAM.id, channelId: TEAM.securityChannelId },
    });
  const posts = async () => (await securityChannel().activities()).map((r) => cardText(cardOf(r))).filter((text) => text.includes('Standing access changed'));

  it('posts to the security channel only what changed since its last pass', async () => {
    const security = securityChannel();
    await security.say('notify here');
    await security.waitForText('Elevate will post every elevation');

    await eventually(async () => (await posts()).length === 1, 'the first watchdog post', 20_000);
    const [first = ''] = await posts();
    assert.match(first, /New unexplained holder: Diego Siciliani in Contoso UAT \(systemuser changed .+, by Alex Wilber\)/);
    assert.match(first, /New unexplained holder: Lee Gu \(through team Dev Admins\) in Contoso Dev/);
    assert.doesNotMatch(first, /Break Glass|Contoso Integration/, 'expected accounts and application users are not news');

    await sim.control.updateTenant<TenantModel>((tenant) => {
      const uat = tenant.dataverse['contosouat']!;
      uat.systemusers.find((u) => u.azureactivedirectoryobjectid === USERS.adele.id)!.roleIds.push(systemAdministratorRole(uat)!.roleid);
      const fabrikam = tenant.dataverse['fabrikamsales']!;
      fabrikam.systemusers = fabrikam.systemusers.filter((u) => u.applicationid !== AAD_APP_CLIENT_ID);
    });
    await eventually(async () => (await posts()).length === 2, 'the second watchdog post', 20_000);
    const second = (await posts())[1] ?? '';
    assert.match(second, /New unexplained holder: Adele Vance in Contoso UAT/);
    assert.match(second, /Fabrikam Sales: Elevate cannot read it\. Elevate has no application user there/);
    assert.doesNotMatch(second, /Diego|Lee Gu/, 'holders already reported are not posted again');

    // Two more passes with nothing new: nothing posted.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    assert.equal((await posts()).length, 2);
  });

  it('posts an elevation whose System Administrator outlived it once, and not as a new unexplained holder', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    // Dataverse refuses every read of whether Adele held System Administrator before: clean-up then keeps the role.
    await sim.control.fault({ service: 'dataverse', method: 'GET', pathEndsWith: '/systemusers', status: 403, times: 20 });
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && /Elevated in/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the elevation' });
    // While the elevation runs, Adele's System Administrator in Contoso Prod is explained: no post.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal((await posts()).length, 2);

    // Deactivate now, past PIM's first five minutes.
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000).toISOString();
    await sim.control.updateTenant<TenantModel>((tenant) => {
      for (const a of tenant.assignments.filter((a) => a.principalId === USERS.adele.id)) a.startDateTime = sixMinutesAgo;
    });
    const requestId = (findAction(cardOf(card)!, SUBMIT)!['data'] as { requestId: string }).requestId;
    await adele.invoke(
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: 'elevate.deactivate', data: { requestId } }, trigger: 'manual' },
      card.id,
    );
    await adele.waitFor((r) => r.id === card.id && /could not tell whether you held System Administrator/.test(cardText(cardOf(r))), {
      timeoutMs: 15_000,
      what: 'the ended card keeping the role',
    });

    await eventually(async () => (await posts()).length === 3, 'the third watchdog post', 20_000);
    const third = (await posts())[2] ?? '';
    assert.match(third, /System Administrator outlived the elevation: Adele Vance in Contoso Prod/);
    assert.doesNotMatch(third, /New unexplained holder: Adele Vance in Contoso Prod/);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    assert.equal((await posts()).length, 3, 'posted once');
  });
});
