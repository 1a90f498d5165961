import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEAM, TeamsClient, USERS, cardOf, cardText, type BotProcess, type RecordedActivity, type Simulator } from '../harness/index.js';
import type { RbacAssignment, TenantModel } from '../simulator/tenant/model.js';
import { ENVIRONMENT_GROUPS, PIPELINE_APP, RBAC_ROLES } from '../simulator/tenant/rbac-seed.js';
import { TENANT_ID } from '../simulator/tenant/seed.js';
import { addStandingAccess } from '../simulator/tenant/standing-access.js';
import { RBAC_ENV, RBAC_POLICY, sayAndWait } from './support/grants.js';
import { eventually, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

/** Megan, an auditor, holds Reader at the tenant as the policy expects. */
const POLICY = `${RBAC_POLICY}
standingAccess:
  expected:
    - name: auditor
      accounts: [${USERS.megan.id}]
`;

function standing(
  n: number,
  principalObjectId: string,
  principalType: RbacAssignment['principalType'],
  roleDefinitionId: string,
  scope: string,
): RbacAssignment {
  return {
    roleAssignmentId: `5a000000-0000-4000-8000-0000000000${n}0`,
    principalObjectId,
    principalType,
    roleDefinitionId,
    scope,
    createdOn: '2026-01-05T10:00:00Z',
  };
}

function exportUrl(record: RecordedActivity, title: string): string | undefined {
  const actions = (cardOf(record) as { actions?: { type?: string; title?: string; url?: string }[] } | undefined)?.actions ?? [];
  return actions.find((a) => a.type === 'Action.OpenUrl' && a.title === title)?.url;
}

describe('standing access: Power Platform RBAC role holders in the inventory (issue #15 with #14)', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-standing-rbac-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    ({ sim, bot } = await startSimulatorAndBot({ ...RBAC_ENV, ELEVATE_WATCHDOG_INTERVAL: '2s', ELEVATE_POLICY_FILE: join(dir, 'policy.yaml') }));
    await sim.control.updateTenant<TenantModel>((tenant) => {
      addStandingAccess(tenant);
      tenant.rbacAssignments.push(
        standing(1, USERS.lee.id, 'User', RBAC_ROLES.owner, `/tenants/${TENANT_ID}`),
        standing(2, USERS.megan.id, 'User', RBAC_ROLES.reader, `/tenants/${TENANT_ID}`),
        standing(
          3,
          PIPELINE_APP.servicePrincipalId,
          'ApplicationUser',
          RBAC_ROLES.contributor,
          `/tenants/${TENANT_ID}/environmentGroups/${ENVIRONMENT_GROUPS.finance.id}`,
        ),
      );
      return tenant;
    });
    // Adele's just-in-time Contributor grant on Contoso Dev: an active Elevate grant.
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    await sayAndWait(adele, 'grant me Power Platform contributor on Contoso Dev for 2h because CHG-7 change the flows', /Granted/, 30_000);
  });
  after(async () => {
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists each RBAC holder as an active Elevate grant, expected or unexplained, on the card and in the export', async () => {
    const nestor = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor });
    await nestor.say('inventory all');
    const inventory = await nestor.waitForText('System Administrator in 4 environments', { timeoutMs: 30_000 });
    const text = cardText(cardOf(inventory));
    // Expected: Elevate's own RBAC identity (RBAC Administrator at the tenant) and Megan the auditor.
    assert.match(text, /Power Platform RBAC roles: 2 unexplained · 1 Elevate grant · 2 expected, at the tenant, 1 environment groups and 1 environments/);
    assert.match(text, /Unexplained: Lee Gu as Power Platform owner on the tenant/);
    assert.match(
      text,
      new RegExp(`Unexplained: ApplicationUser ${PIPELINE_APP.servicePrincipalId} as Power Platform contributor on environment group Finance`),
    );
    assert.doesNotMatch(text, /RBAC roles were not read/);

    const csvUrl = exportUrl(inventory, 'Export CSV');
    assert.ok(csvUrl, 'the card links the export');
    const rows = ((await (await fetch(csvUrl.replace(/\.csv$/, '.json'))).json()) as Record<string, string>[]).filter(
      (r) => r['scopeType'] !== 'environment' || r['role'] !== 'System Administrator',
    );
    const rbac = (principal: string) => rows.find((r) => r['aadObjectId'] === principal);
    assert.equal(rbac(USERS.adele.id)?.['kind'], 'grant');
    assert.match(rbac(USERS.adele.id)?.['until'] ?? '', /^\d{4}-\d\d-\d\dT/, 'until when the grant stays');
    assert.deepEqual(
      [rbac(USERS.adele.id)?.['role'], rbac(USERS.adele.id)?.['environment'], rbac(USERS.adele.id)?.['principalType']],
      ['Power Platform contributor', 'Contoso Dev', 'User'],
    );
    assert.deepEqual(
      [rbac(USERS.megan.id)?.['kind'], rbac(USERS.megan.id)?.['expectedBy'], rbac(USERS.megan.id)?.['scopeType']],
      ['expected', 'auditor', 'tenant'],
    );
    assert.deepEqual([rbac(USERS.lee.id)?.['kind'], rbac(USERS.lee.id)?.['name']], ['unexplained', 'Lee Gu']);
    assert.equal(rbac(PIPELINE_APP.servicePrincipalId)?.['scopeType'], 'environmentGroup');
    const reads = (await sim.control.requests('powerplatform')).filter((r) => r.method === 'GET' && r.path.includes('/roleAssignments'));
    assert.ok(reads.length >= 3 && reads.every((r) => r.token?.appid === RBAC_ENV.ELEVATE_RBAC_CLIENT_ID), 'read with the RBAC identity');
    assert.equal((await sim.control.requests('powerplatform')).filter((r) => r.method === 'DELETE').length, 0, 'an inventory removes nothing');
  });

  it('has the watchdog post new unexplained RBAC role holders, not the grant or the expected ones', async () => {
    const security = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: TEAM.id, channelId: TEAM.securityChannelId },
    });
    await security.say('notify here');
    await security.waitForText('Elevate will post every elevation');
    const posts = async () => (await security.activities()).map((r) => cardText(cardOf(r))).filter((t) => t.includes('Standing access changed'));
    await eventually(async () => (await posts()).length > 0, 'the watchdog post', 20_000);
    const [post = ''] = await posts();
    assert.match(post, /New unexplained Power Platform RBAC role holder: Lee Gu as Power Platform owner on the tenant/);
    assert.match(
      post,
      new RegExp(`New unexplained Power Platform RBAC role holder: ApplicationUser ${PIPELINE_APP.servicePrincipalId} as Power Platform contributor`),
    );
    assert.doesNotMatch(
      post,
      new RegExp(`RBAC role holder: (Adele Vance|Megan Bowen|User ${USERS.adele.id}|User ${USERS.megan.id})`),
      'an active grant and an expected account are not news',
    );
  });
});
