import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEAM, TeamsClient, USERS, cardOf, cardText, startBot, startSimulator, type BotProcess, type Simulator } from '../harness/index.js';
import { addStandingAccess } from '../simulator/tenant/standing-access.js';
import type { TenantModel } from '../simulator/tenant/model.js';

const CONFIRM = 'elevate.sweepConfirm';
const CHANNEL = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.securityChannelId };

describe('a sweep killed mid-run (issue #15)', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess | undefined;
  let dir: string;
  let storePath: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-sweep-resume-'));
    storePath = join(dir, 'elevate.db');
    sim = await startSimulator();
    await sim.control.updateTenant<TenantModel>(addStandingAccess);
    bot = await startBot({ sim, storePath });
  });
  after(async () => {
    await bot?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('continues after a restart where it stopped and removes nothing twice', async () => {
    const nestor = new TeamsClient({ botUrl: bot!.url, sim, user: USERS.nestor, conversation: CHANNEL });
    const megan = new TeamsClient({ botUrl: bot!.url, sim, user: USERS.megan, conversation: CHANNEL });
    await nestor.say('notify here');
    await nestor.waitForText('Elevate will post every elevation');
    await nestor.say('sweep all');
    const preview = await nestor.waitForText('Sweep preview: 2 removals', { timeoutMs: 20_000 });
    // The first removal reaches Dataverse, which acts on it after 3 s; the bot is killed before it hears back.
    await sim.control.fault({ service: 'dataverse', method: 'DELETE', delayMs: 3_000, times: 1 });
    await megan.tap(preview, CONFIRM);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await bot!.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    bot = await startBot({ sim, storePath });
    await nestor.waitFor((r) => r.id === preview.id && /Sweep done/.test(cardText(cardOf(r))), { timeoutMs: 30_000, what: 'the summary after the restart' });
    const summary = cardText(cardOf((await nestor.activities()).find((r) => r.id === preview.id)));
    assert.match(summary, /1 removed, 1 already gone, 0 kept at removal time, 0 failed/);
    const deletes = (await sim.control.requests('dataverse')).filter((r) => r.method === 'DELETE');
    assert.equal(deletes.length, 2, 'each holder was removed with one DELETE, the one in flight at the kill included');
    assert.equal(new Set(deletes.map((r) => r.path)).size, 2);

    const audit = new TeamsClient({ botUrl: bot.url, sim, user: USERS.nestor });
    await audit.say('audit 24h');
    const trail = cardText(cardOf(await audit.waitForText('Audit trail')));
    assert.equal(trail.match(/· standingAccessRemoved ·/g)?.length, 2, 'one audit entry per holder');
  });
});
