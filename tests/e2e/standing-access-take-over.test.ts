import assert from 'node:assert/strict';
import { TEAM, TeamsClient, USERS, cardOf, cardText, startBot, startSimulator, type BotProcess, type Simulator } from '../harness/index.js';
import { addStandingAccess } from '../simulator/tenant/standing-access.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import { useAzurite } from '../support/azurite.js';

const CONFIRM = 'elevate.sweepConfirm';
const CHANNEL = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.securityChannelId };

/**
 * Issue #15 with issue #12's several instances: two bot processes share one Azure Tables store (Azurite). The
 * instance running a confirmed sweep is killed (SIGKILL) while its first removal is in flight and never comes
 * back; the other instance, running all along, continues the sweep through its watchdog timer.
 */
describe('a sweep whose instance dies, continued by another running instance (issue #15)', function () {
  this.timeout(240_000);
  const azurite = useAzurite();
  let sim: Simulator;
  const bots: Record<'a' | 'b', BotProcess | undefined> = { a: undefined, b: undefined };
  const start = (instance: 'a' | 'b') =>
    startBot({
      sim,
      env: {
        ELEVATE_STORE: `azuretables:${azurite().connectionString}`,
        ELEVATE_INSTANCE_ID: `bot-${instance}`,
        ELEVATE_TIMER_POLL_SECONDS: '1',
      },
    });

  before(async () => {
    sim = await startSimulator();
    await sim.control.updateTenant<TenantModel>(addStandingAccess);
    [bots.a, bots.b] = await Promise.all([start('a'), start('b')]);
  });
  after(async () => {
    await Promise.all([bots.a?.stop(), bots.b?.stop()]);
    await sim?.stop();
  });

  it('removes the rest once, reading the removal in flight at the kill back as already gone', async () => {
    const nestor = new TeamsClient({ botUrl: bots.a!.url, sim, user: USERS.nestor, conversation: CHANNEL });
    const megan = new TeamsClient({ botUrl: bots.a!.url, sim, user: USERS.megan, conversation: CHANNEL });
    await nestor.say('notify here');
    await nestor.waitForText('Elevate will post every elevation');
    await nestor.say('sweep all');
    const preview = await nestor.waitForText('Sweep preview: 2 removals', { timeoutMs: 20_000 });
    // Dataverse acts on the first removal after 3 s; instance A is killed before it hears back.
    await sim.control.fault({ service: 'dataverse', method: 'DELETE', delayMs: 3_000, times: 1 });
    await megan.tap(preview, CONFIRM);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const killedAt = Date.now();
    await bots.a!.kill('SIGKILL');
    bots.a = undefined;

    const watcher = new TeamsClient({ botUrl: bots.b!.url, sim, user: USERS.nestor, conversation: CHANNEL });
    await watcher.waitFor((r) => r.id === preview.id && /Sweep done/.test(cardText(cardOf(r))), {
      timeoutMs: 180_000,
      what: 'the summary from instance B',
    });
    assert.ok(Date.now() - killedAt < 180_000, 'taken over within three minutes, without a restart of A');
    const summary = cardText(cardOf((await watcher.activities()).find((r) => r.id === preview.id)));
    assert.match(summary, /1 removed, 1 already gone, 0 kept at removal time, 0 failed/);
    const deletes = (await sim.control.requests('dataverse')).filter((r) => r.method === 'DELETE');
    assert.equal(deletes.length, 2, 'each holder was removed with one DELETE, the one in flight at the kill included');
    assert.equal(new Set(deletes.map((r) => r.path)).size, 2);
    assert.ok(
      bots.b!.logs().some((e) => e['msg'] === 'continuing a sweep whose run stopped'),
      'instance B continued it',
    );

    const audit = new TeamsClient({ botUrl: bots.b!.url, sim, user: USERS.nestor });
    await audit.say('audit 24h');
    const trail = cardText(cardOf(await audit.waitForText('Audit trail')));
    assert.equal(trail.match(/· standingAccessRemoved ·/g)?.length, 2, 'one audit entry per holder');
  });
});
