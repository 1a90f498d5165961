import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, TEAM, TeamsClient, USERS, cardOf, cardText, type BotProcess, type RecordedActivity, type Simulator } from '../harness/index.js';
import { SYSTEM_ADMINISTRATOR_TEMPLATE_ID } from '../simulator/tenant/seed.js';
import { addStandingAccess, STANDING } from '../simulator/tenant/standing-access.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import { JUSTIFICATION, SUBMIT, eventually, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

const CONFIRM = 'elevate.sweepConfirm';
const POLICY = 'standingAccess:\n  expected:\n    - name: break-glass\n      accounts: [breakglass@contoso.example]\n';

/** Whether the user (Entra object id) holds System Administrator directly in the environment, as the simulator has it now. */
async function holdsDirectly(sim: Simulator, domain: string, objectId: string): Promise<boolean> {
  const org = (await sim.control.getTenant<TenantModel>()).dataverse[domain]!;
  const role = org.roles.find((r) => r.roletemplateid === SYSTEM_ADMINISTRATOR_TEMPLATE_ID)!;
  return org.systemusers.some((u) => u.azureactivedirectoryobjectid === objectId && u.roleIds.includes(role.roleid));
}

/** The URL of the card's `Action.OpenUrl` with this title. */
function exportUrl(record: RecordedActivity, title: string): string | undefined {
  const actions = (cardOf(record) as { actions?: { type?: string; title?: string; url?: string }[] } | undefined)?.actions ?? [];
  return actions.find((a) => a.type === 'Action.OpenUrl' && a.title === title)?.url;
}

describe('standing access: inventory and a two-person sweep (issue #15)', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-standing-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_POLICY_FILE: join(dir, 'policy.yaml') }));
    await sim.control.updateTenant<TenantModel>(addStandingAccess);
    // Adele elevates in Contoso Prod through Elevate: an active elevation holds System Administrator there.
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && /Elevated in/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the elevation' });
  });
  after(async () => {
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
  });

  it('inventories every environment with each kind of holder, and exports every row', async () => {
    const nestor = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor });
    await nestor.say('inventory all');
    const inventory = await nestor.waitForText('System Administrator in 4 environments', { timeoutMs: 20_000 });
    const text = cardText(cardOf(inventory));
    assert.match(text, /All 4 environments: 4 unexplained · 1 elevation · 1 expected · 5 application · 1 through teams · 0 not read/);
    assert.match(text, /Contoso Prod: 0 unexplained · 1 elevation · 0 expected · 1 application · 0 through teams/);
    assert.match(text, /Contoso Dev: 2 unexplained · 0 elevation · 0 expected · 1 application · 1 through teams/);
    assert.match(text, /Contoso UAT: 1 unexplained · 0 elevation · 1 expected · 2 application · 0 through teams/);
    assert.match(text, /Fabrikam Sales: 1 unexplained/);
    assert.match(text, /Unexplained: Lee Gu in Contoso Dev, through team Dev Admins/);
    assert.match(text, /Power Platform RBAC roles were not read: .*not configured \(ELEVATE_RBAC_CLIENT_ID\)/, 'no RBAC identity here');

    const csvUrl = exportUrl(inventory, 'Export CSV');
    assert.ok(csvUrl, 'the card links the CSV export');
    const csv = await (await fetch(csvUrl)).text();
    assert.match(csv, /^environmentId,environment,kind,name,upn/);
    assert.match(csv, /Contoso Dev,unexplained,Lee Gu,lee@contoso\.example,.*,Dev Admins,de0ad000-/);
    assert.match(csv, /Contoso UAT,unexplained,Diego Siciliani,.*2026-03-02T09:15:00Z/);
    assert.match(csv, /Contoso Prod,elevation,Adele Vance,/);
    assert.match(csv, /Contoso UAT,expected,Break Glass,.*break-glass/);
    assert.match(csv, /\r\n,,rbacNotConfigured,.*,Power Platform RBAC,,,,ELEVATE_RBAC_CLIENT_ID is not set\r\n/);
    const json = (await (await fetch(csvUrl.replace(/\.csv$/, '.json'))).json()) as { kind: string }[];
    assert.equal(json.length, csv.trim().split('\r\n').length - 1, 'the JSON has the same rows');
    assert.equal((await fetch(csvUrl.replace(/[A-Za-z0-9_-]{22}\.csv$/, 'AAAAAAAAAAAAAAAAAAAAAA.csv'))).status, 404, 'a guessed id finds nothing');

    // Each download is in the audit log once per link, format and address: which export, the format, whose
    // link, from where (with the last hops a proxy says it forwarded for).
    await fetch(csvUrl);
    await fetch(csvUrl, { headers: { 'X-Forwarded-For': 'made-up, 198.51.100.7, 203.0.113.9' } });
    const before = (await nestor.activities()).length;
    await nestor.say(`audit ${USERS.nestor.id}`);
    const trail = await nestor.waitUntil((records) => records.slice(before).find((r) => /Audit trail/.test(cardText(cardOf(r)))), { what: 'the audit trail' });
    const downloads =
      cardText(cardOf(trail)).match(/exportDownloaded · standingAccess · (csv|json), \d+ rows · link of [^·]+ · from 127\.0\.0\.1[^\n·]*/g) ?? [];
    assert.equal(downloads.length, 3, cardText(cardOf(trail)));
    assert.equal(
      downloads.filter((d) => d.includes('(forwarded for 198.51.100.7, 203.0.113.9)')).length,
      1,
      'the last two hops, not what the client put first',
    );
  });

  it('refuses the sweep to anyone outside the security team, and the inventory in any channel but the security channel', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    await adele.say('sweep all');
    await adele.waitForText('Only members of the security team');
    const elsewhere = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: TEAM.id, channelId: TEAM.approvalsChannelId },
    });
    await elsewhere.say('inventory all');
    await elsewhere.waitForText('Say it in a 1:1 chat with me or in the security notifications channel');
  });

  it('previews a sweep, refuses the requester’s own confirmation, and removes only unexplained direct holders once a second member confirms', async () => {
    const channel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.securityChannelId };
    const nestor = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor, conversation: channel });
    const megan = new TeamsClient({ botUrl: bot.url, sim, user: USERS.megan, conversation: channel });
    await nestor.say('notify here');
    await nestor.waitForText('Elevate will post every elevation');
    await nestor.say('sweep all');
    const preview: RecordedActivity = await nestor.waitForText('Sweep preview: 2 removals', { timeoutMs: 20_000 });
    const text = cardText(cardOf(preview));
    assert.match(text, /Remove: Alex Wilber in Contoso Dev/);
    assert.match(text, /Remove: Diego Siciliani in Contoso UAT/);
    assert.match(text, /Keep: Alex Wilber in Fabrikam Sales \(last System Administrator\)/);
    assert.match(text, /Keep: Lee Gu in Contoso Dev \(through team Dev Admins\)/);
    assert.match(text, /Keep: Break Glass in Contoso UAT \(expected\)/);
    assert.match(text, /Keep: Adele Vance in Contoso Prod \(active Elevate elevation\)/);
    assert.match(text, /Keep: # Contoso Integration in Contoso UAT \(application user\)/);

    const own = await nestor.tap(preview, CONFIRM);
    assert.match(cardText(own.card), /You asked for this sweep: a second member/);
    assert.equal(await holdsDirectly(sim, 'contosouat', STANDING.diego.id), true, 'nothing removed on the requester’s own confirmation');

    const confirmed = await megan.tap(preview, CONFIRM);
    assert.match(cardText(confirmed.card), /Sweeping|Sweep done/);
    await nestor.waitFor((r) => r.id === preview.id && /Sweep done: 2 removed/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the summary' });
    assert.equal(await holdsDirectly(sim, 'contosodev', USERS.alex.id), false);
    assert.equal(await holdsDirectly(sim, 'contosouat', STANDING.diego.id), false);
    for (const [domain, who] of [
      ['fabrikamsales', USERS.alex.id],
      ['contosouat', STANDING.breakGlass.id],
      ['contosoprod', USERS.adele.id],
    ] as const) {
      assert.equal(await holdsDirectly(sim, domain, who), true, `${who} keeps System Administrator in ${domain}`);
    }
    const deletes = (await sim.control.requests('dataverse')).filter((r) => r.method === 'DELETE' && r.status === 204);
    assert.equal(deletes.length, 2, 'one removal each');
    assert.ok(
      deletes.every((r) => r.token?.idtyp === 'app'),
      "with Elevate's application identity",
    );

    await assert.rejects(megan.tap(preview, CONFIRM), /no Action.Execute with verb "elevate.sweepConfirm"/, 'the finished card offers no Confirm');
    const audit = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor });
    await audit.say('audit 24h');
    const trail = cardText(cardOf(await audit.waitForText('Audit trail')));
    assert.equal(trail.match(/· standingAccessRemoved ·/g)?.length, 2, 'one audit entry per removal');
    assert.match(trail, /· sweepConfirmed ·/);
    await eventually(async () => (await sim.control.requests('dataverse')).filter((r) => r.method === 'DELETE').length === 2, 'no further removal', 500);
  });

  it('posts a preview asked in a 1:1 chat to the security channel, where a cancelled one stays cancelled and a new one is confirmed', async () => {
    await sim.control.updateTenant<TenantModel>((tenant) => {
      const uat = tenant.dataverse['contosouat']!;
      const role = uat.roles.find((r) => r.roletemplateid === SYSTEM_ADMINISTRATOR_TEMPLATE_ID)!;
      uat.systemusers.find((u) => u.azureactivedirectoryobjectid === USERS.adele.id)!.roleIds.push(role.roleid);
    });
    const channel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.securityChannelId };
    const nestor = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor });
    const megan = new TeamsClient({ botUrl: bot.url, sim, user: USERS.megan, conversation: channel });
    const channelPreviews = async () => (await megan.activities()).filter((r) => /Sweep preview: 1 removals/.test(cardText(cardOf(r))));

    await nestor.say('sweep Contoso UAT');
    const mine = await nestor.waitForText('Sweep preview: 1 removals', { timeoutMs: 20_000 });
    assert.match(cardText(cardOf(mine)), /Remove: Adele Vance in Contoso UAT/);
    await nestor.waitForText('The preview is also in the security channel');
    await eventually(async () => (await channelPreviews()).length === 1, 'the preview in the security channel');
    const [posted] = await channelPreviews();
    const cancelled = await nestor.tap(mine, 'elevate.sweepCancel');
    assert.match(cardText(cancelled.card), /Sweep cancelled/);
    const late = await megan.tap(posted!, CONFIRM);
    assert.match(cardText(late.card), /Sweep cancelled/, 'a cancelled sweep cannot be confirmed');
    assert.equal(await holdsDirectly(sim, 'contosouat', USERS.adele.id), true);

    await nestor.say('sweep Contoso UAT');
    await eventually(async () => (await channelPreviews()).length === 2, 'the second preview in the security channel', 20_000);
    const second = (await channelPreviews())[1]!;
    await megan.tap(second, CONFIRM);
    await megan.waitFor((r) => r.id === second.id && /Sweep done: 1 removed/.test(cardText(cardOf(r))), {
      timeoutMs: 20_000,
      what: 'the summary in the channel',
    });
    assert.equal(await holdsDirectly(sim, 'contosouat', USERS.adele.id), false);
  });
});
