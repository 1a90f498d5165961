import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request, ROLES, startBot, startSimulator, TeamsClient, USERS, type BotProcess, type Simulator } from '../harness/index.js';
import { eventually, isOAuth, JUSTIFICATION, openRequestCard, SUBMIT, waitForCard } from './support/flow.js';

const FAST = { ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_PROPAGATION_RETRY_SECONDS: '1', ELEVATE_TIMER_POLL_SECONDS: '1' };
const SUCCESS = /System Administrator until|Elevated in/;
const submitInputs = { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION };

describe('readiness and graceful shutdown of a bot process', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let storeDir: string;
  const bots: BotProcess[] = [];

  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim?.stop();
  });
  beforeEach(async () => {
    await sim.control.reset();
    storeDir = mkdtempSync(path.join(os.tmpdir(), 'elevate-drain-'));
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop();
    rmSync(storeDir, { recursive: true, force: true });
  });

  async function bot(env: Record<string, string>): Promise<BotProcess> {
    const started = await startBot({ sim, storePath: path.join(storeDir, 'elevate.db'), env: { ...FAST, ...env } });
    bots.push(started);
    return started;
  }

  const get = (b: BotProcess, route: string) => request(`${b.url}${route}`);
  /** True once the simulator has taken the injected fault: the request is in flight, held by the delay. */
  const faultTaken = async () => ((await sim.control.http.get<unknown[]>('/_control/faults')) ?? []).length === 0;

  it('answers /readyz 200 naming the store, app and bot credential checks, beside /healthz', async () => {
    const b = await bot({});
    const ready = await get(b, '/readyz');
    assert.equal(ready.status, 200, ready.text);
    const body = ready.body as { status: string; checks: { name: string; ok: boolean }[] };
    assert.equal(body.status, 'ready');
    assert.deepEqual(
      body.checks.map((c) => [c.name, c.ok]),
      [
        ['store', true],
        ['appCredential', true],
        ['botCredential', true],
      ],
    );
    assert.equal((await get(b, '/healthz')).status, 200);
  });

  it('on SIGTERM refuses new activities with 503, says draining on /readyz, finishes the elevation in flight and exits 0', async () => {
    const b = await bot({ ELEVATE_SHUTDOWN_TIMEOUT_SECONDS: '30' });
    const adele = new TeamsClient({ botUrl: b.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await sim.control.fault({ service: 'powerplatform', pathIncludes: 'applyAdminRole', delayMs: 3_000 });
    await adele.tap(card, SUBMIT, submitInputs);
    await eventually(faultTaken, 'the Power Platform call in flight');
    const signalled = Date.now();
    b.child.process.kill('SIGTERM');
    await b.waitForLog((e) => e['event'] === 'draining');

    const lee = new TeamsClient({ botUrl: b.url, sim, user: USERS.lee });
    const refused = await lee.say('status');
    assert.equal(refused.status, 503, 'a new activity is turned away while draining');
    const readyz = await get(b, '/readyz');
    assert.deepEqual([readyz.status, (readyz.body as { status: string }).status], [503, 'draining']);
    assert.equal((await get(b, '/healthz')).status, 200, 'still alive');

    const exit = await b.exited;
    assert.equal(exit.code, 0);
    assert.ok(Date.now() - signalled < 30_000, 'within the bound');
    const stopped = b.logs().find((e) => e['event'] === 'stopped');
    assert.equal(stopped?.['inTime'], true);
    await waitForCard(adele, card, SUCCESS, 5_000);
  });

  it('at the bound releases the timer it was running, so another instance takes it at once instead of after the lease', async () => {
    await sim.control.settings({ propagationDelayMs: 10 * 60_000 });
    const a = await bot({ ELEVATE_SHUTDOWN_TIMEOUT_SECONDS: '2', ELEVATE_INSTANCE_ID: 'instance-a' });
    const adele = new TeamsClient({ botUrl: a.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, submitInputs);
    await waitForCard(adele, card, /does not see your PIM role yet/);
    // The propagation timer's next call to Power Platform hangs: the timer is running when SIGTERM comes.
    await sim.control.fault({ service: 'powerplatform', pathIncludes: 'applyAdminRole', delayMs: 60_000 });
    await eventually(faultTaken, 'the timer calling Power Platform', 20_000);
    const signalled = Date.now();
    a.child.process.kill('SIGTERM');
    const exit = await a.exited;
    const tookMs = Date.now() - signalled;
    assert.equal(exit.code, 0);
    assert.ok(tookMs < 8_000, `exited ${tookMs} ms after SIGTERM with a 2 s bound`);
    const deadline = a.logs().find((e) => e['event'] === 'shutdownDeadline');
    assert.ok(deadline, 'the bound was reached');
    assert.ok(Number(deadline['releasedTimers']) >= 1, 'the running timer was released');

    await sim.control.settings({ propagationDelayMs: 0 });
    const oauthBefore = (await adele.activities()).filter(isOAuth).length;
    const b = await bot({ ELEVATE_INSTANCE_ID: 'instance-b' });
    const fresh = new TeamsClient({ botUrl: b.url, sim, user: USERS.adele });
    // Instance B has no token for Adele: running the released timer, it asks Teams for one.
    await fresh.waitUntil((records) => records.filter(isOAuth).length > oauthBefore || undefined, {
      timeoutMs: 15_000,
      what: 'the released timer run by instance B',
    });
    assert.equal((await fresh.signIn()).status, 200);
    await waitForCard(fresh, card, SUCCESS);
  });
});
