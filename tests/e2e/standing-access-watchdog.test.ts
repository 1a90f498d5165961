import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEAM, TeamsClient, USERS, cardOf, cardText, type BotProcess, type Simulator } from '../harness/index.js';
import { systemAdministratorRole } from '../simulator/dataverse/model.js';
import { AAD_APP_CLIENT_ID } from '../simulator/tenant/seed.js';
import { addStandingAccess } from '../simulator/tenant/standing-access.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import { eventually, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

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
      ELEVATE_POLICY_FILE: join(dir, 'policy.yaml'),
    }));
    await sim.control.updateTenant<TenantModel>(addStandingAccess);
  });
  after(async () => {
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts to the security channel only what changed since its last pass', async () => {
    const security = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: TEAM.id, channelId: TEAM.securityChannelId },
    });
    await security.say('notify here');
    await security.waitForText('Elevate will post every elevation');
    const posts = async () => (await security.activities()).map((r) => cardText(cardOf(r))).filter((text) => text.includes('Standing access changed'));

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
});
