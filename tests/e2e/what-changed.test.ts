import assert from 'node:assert/strict';
import { ROLES, TeamsClient, USERS, cardOf, cardText, findAction, type BotProcess, type Simulator } from '../harness/index.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import { JUSTIFICATION, SUBMIT, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

const SUCCESS = /System Administrator until|Elevated in/;
const CHANNEL = { type: 'channel' as const, teamId: '19:security-team@thread.tacv2', channelId: '19:security-alerts@thread.tacv2', name: 'Security alerts' };

/** Elevates Adele in the environment, lets `duringElevation` change the tenant, then taps Deactivate now past PIM's first five minutes. */
async function elevateAndEnd(sim: Simulator, adele: TeamsClient, environment: string, duringElevation: (tenant: TenantModel) => void): Promise<string> {
  const card = await openRequestCard(adele, `elevate me in ${environment}`);
  const requestId = (findAction(cardOf(card)!, SUBMIT)!['data'] as { requestId: string }).requestId;
  await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
  await adele.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success' });
  const sixMinutesAgo = new Date(Date.now() - 6 * 60_000).toISOString();
  await sim.control.updateTenant<TenantModel>((tenant) => {
    for (const a of tenant.assignments.filter((a) => a.principalId === USERS.adele.id)) a.startDateTime = sixMinutesAgo;
    duringElevation(tenant);
  });
  await adele.invoke(
    'adaptiveCard/action',
    { action: { type: 'Action.Execute', verb: 'elevate.deactivate', data: { requestId } }, trigger: 'manual' },
    card.id,
  );
  return requestId;
}

describe('what changed: the end of an elevation says what the requester did (Dataverse auditing)', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess;
  let nestor: TeamsClient;

  before(async () => {
    ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200' }));
    nestor = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor, conversation: CHANNEL });
    await nestor.say('notify here');
    await nestor.waitForText('Elevate will post');
  });
  after(() => stopBotAndSimulator(bot, sim));

  it('counts and names the audited records on the ended card and the channel post when auditing is on', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const requestId = await elevateAndEnd(sim, adele, 'Contoso Prod', (tenant) => {
      const org = tenant.dataverse['contosoprod']!;
      const me = org.systemusers.find((u) => u.azureactivedirectoryobjectid === USERS.adele.id && u.applicationid === null)!;
      const other = org.systemusers.find((u) => u.systemuserid !== me.systemuserid)!;
      const now = Date.now();
      const row = (n: number, operation: number, table: string, name: string, userid = me.systemuserid) => ({
        auditid: `a0000000-0000-4000-8000-00000000000${n}`,
        createdon: new Date(now + n).toISOString(),
        operation,
        action: operation,
        objecttypecode: table,
        objectid: `b0000000-0000-4000-8000-00000000000${n}`,
        objectname: name,
        userid,
      });
      org.isAuditEnabled = true;
      org.audits = [
        row(1, 2, 'workflow', 'Approval flow'),
        row(2, 1, 'account', 'Fabrikam'),
        row(3, 2, 'workflow', 'Invoice flow'),
        row(4, 3, 'account', 'Someone else did it', other.systemuserid),
        { ...row(5, 3, 'account', 'Before the elevation'), createdon: new Date(now - 3 * 3600_000).toISOString() },
      ];
    });

    const ended = await adele.waitFor((r) => /Dataverse audit log/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the ended card with what changed' });
    const text = cardText(cardOf(ended));
    assert.match(text, /3 operations by you in Contoso Prod/);
    assert.match(text, /2 Update and 1 Create/);
    assert.match(text, /2 workflow and 1 account/);
    for (const name of ['Approval flow', 'Fabrikam', 'Invoice flow']) assert.ok(text.includes(name), `names ${name}`);
    assert.ok(!text.includes('Someone else') && !text.includes('Before the elevation'), "only Adele's rows of the window");
    assert.match(JSON.stringify(cardOf(ended)), /\{\{TIME\(/, 'record times in the reader zone');

    const post = await nestor.waitFor((r) => cardText(cardOf(r)).includes(requestId) && /What changed/.test(cardText(cardOf(r))), {
      timeoutMs: 20_000,
      what: 'the channel post with what changed',
    });
    const postText = cardText(cardOf(post));
    assert.match(postText, /3 operations by Adele Vance in Contoso Prod/);
    assert.match(postText, /Update workflow: Approval flow; Create account: Fabrikam/);

    const reads = (await sim.control.requests('dataverse')).filter((r) => r.path.endsWith('/audits'));
    assert.ok(reads.length >= 1 && reads.every((r) => r.token?.idtyp === 'app'), "read with Elevate's application identity");
  });

  it('says plainly that auditing is off, with the setting to change', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const requestId = await elevateAndEnd(sim, adele, 'Contoso UAT', (tenant) => {
      tenant.dataverse['contosouat']!.isAuditEnabled = false;
    });
    const ended = await adele.waitFor((r) => /Auditing is off in Contoso UAT/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'auditing off' });
    assert.match(cardText(cardOf(ended)), /Audit settings → Start auditing/);
    const post = await nestor.waitFor((r) => cardText(cardOf(r)).includes(requestId) && /Auditing is off/.test(cardText(cardOf(r))), {
      timeoutMs: 20_000,
      what: 'the channel post saying auditing is off',
    });
    assert.ok(post);

    // `audit <elevation id>` says the same, with the setting to change.
    const text = await auditReply(requestId, /during elevation/);
    assert.match(text, /What Adele Vance did in Contoso UAT during elevation/);
    assert.match(text, /Auditing is off in Contoso UAT.*Audit settings → Start auditing/s);
  });

  /** Nestor (security group) asks `audit <argument>` in his 1:1 chat; the reply's text. */
  async function auditReply(argument: string, title: RegExp): Promise<string> {
    const me = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor });
    const before = (await me.activities()).length;
    await me.say(`audit ${argument}`);
    const reply = await me.waitUntil((records) => records.slice(before).find((r) => title.test(cardText(cardOf(r)))), {
      what: `the answer to audit ${argument}`,
    });
    return cardText(cardOf(reply));
  }

  it('audit <elevation id> lists every record of the window, past the first page and past the summary bound, with CSV and JSON exports', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const rows = 2_100;
    const requestId = await elevateAndEnd(sim, adele, 'Contoso Prod', (tenant) => {
      const org = tenant.dataverse['contosoprod']!;
      const me = org.systemusers.find((u) => u.azureactivedirectoryobjectid === USERS.adele.id && u.applicationid === null)!;
      const now = Date.now();
      org.isAuditEnabled = true;
      // Within the 20 ms after the elevation succeeded: inside the window, which ends at the deactivation.
      org.audits = Array.from({ length: rows }, (_, i) => ({
        auditid: `a1000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        createdon: new Date(now + (i % 20)).toISOString(),
        operation: i % 2 === 0 ? 2 : 1,
        action: i % 2 === 0 ? 2 : 1,
        objecttypecode: i % 2 === 0 ? 'workflow' : 'account',
        objectid: `b1000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        objectname: i === 0 ? '=HYPERLINK("x")' : `Record ${i}`,
        userid: me.systemuserid,
      }));
    });
    await adele.waitFor((r) => /at least 2000 operations/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the ended card (bounded summary)' });

    const text = await auditReply(requestId, /during elevation/);
    assert.match(text, /What Adele Vance did in Contoso Prod during elevation/);
    assert.match(text, new RegExp(`shows ${rows} operations by Adele Vance in Contoso Prod during the elevation: 1050 Create and 1050 Update`));
    assert.match(text, new RegExp(`The first 25 of ${rows} records are below`));

    const me = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor });
    const reply = (await me.activities()).reverse().find((r) => /during elevation/.test(cardText(cardOf(r))))!;
    const links = ((cardOf(reply) as { actions?: { type?: string; title?: string; url?: string }[] }).actions ?? []).filter((a) => a.type === 'Action.OpenUrl');
    const csvUrl = links.find((a) => a.title === 'Export CSV')?.url;
    assert.ok(csvUrl, 'the card links the CSV export');
    const pagesBefore = (await sim.control.requests('dataverse')).filter((r) => r.path.endsWith('/audits')).length;
    const csv = (await (await fetch(csvUrl)).text()).trim().split('\r\n');
    assert.equal(csv[0], 'at,operation,table,recordId,recordName');
    assert.equal(csv.length, rows + 1, 'every row, from every page');
    assert.ok(
      csv.some((line) => line.endsWith(`,'=HYPERLINK(""x"")"`) || line.endsWith(`,"'=HYPERLINK(""x"")"`)),
      'a formula is defused',
    );
    const json = (await (await fetch(links.find((a) => a.title === 'Export JSON')!.url!)).json()) as unknown[];
    assert.equal(json.length, rows);
    const pagesRead = (await sim.control.requests('dataverse')).filter((r) => r.path.endsWith('/audits')).length - pagesBefore;
    assert.ok(pagesRead > 0 && pagesRead <= 5, `the CSV and the JSON share one read of the five pages (read ${pagesRead})`);
    assert.equal((await fetch(csvUrl.replace(/[A-Za-z0-9_-]{22}\.csv$/, 'AAAAAAAAAAAAAAAAAAAAAA.csv'))).status, 404, 'a guessed link finds nothing');

    // Each download is in the audit log, under the one who asked for the link.
    const trail = await auditReply(USERS.nestor.id, /Audit trail/);
    const downloads =
      trail.match(new RegExp(`exportDownloaded · elevationActivity of ${requestId} · (csv|json), ${rows} rows · link of [^·]+ · from 127\\.0\\.0\\.1`, 'g')) ??
      [];
    assert.equal(downloads.length, 2, trail);
  });

  it('audit <id> says plainly when the id is malformed or names no elevation', async () => {
    assert.match(await auditReply('not-an-id', /is not an elevation id/), /"not-an-id" is not an elevation id/);
    assert.match(await auditReply('0f0f0f0f-0000-4000-8000-000000000000', /No elevation/), /Elevate has no elevation with this id/);
  });
});
