import assert from 'node:assert/strict';
import path from 'node:path';
import { ManagedChild } from '../harness/child.js';
import { botEnv, repoRoot } from '../harness/env.js';
import { startSimulator, TEAM, type RecordedActivity, type Simulator } from '../harness/index.js';

/**
 * Issue #12: a burst of 200 proactive messages to one channel against the connector's rate limits
 * (the simulator's Teams limits with every window twenty times shorter). The outbox runs as main.ts
 * wires it, in a child process with the bot's environment (tests/integration/support/outbox-burst.ts):
 * real BotMessenger, CloudAdapter, connector tokens and HTTPS to the simulator.
 */
describe('outbox: a 200-message burst to one channel under Teams rate limits', function () {
  this.timeout(180_000);
  const SCALE = 0.05;
  /** Teams' limits with windows twenty times shorter, as the simulator enforces them with SCALE. */
  const SCALED_LIMITS = '7/50ms,8/100ms,60/1500ms,1800/180s';
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator();
    await sim.control.settings({ connectorRateScale: SCALE });
  });
  afterEach(() => sim.stop());

  async function burst(limits: string, count = 200): Promise<{ remaining: number; tookMs: number; output: string }> {
    const entry = path.join(repoRoot(), 'dist/tests/integration/support/outbox-burst.js');
    const env = botEnv(sim, {
      ELEVATE_OUTBOX_RATE_LIMITS: limits,
      BURST_COUNT: String(count),
      BURST_CHANNEL: TEAM.securityChannelId,
      BURST_SERVICE_URL: `${sim.baseUrl.replace(/\/+$/, '')}/connector/`,
    });
    const child = new ManagedChild('outbox-burst', process.execPath, [entry], { cwd: repoRoot(), env });
    try {
      const done = await child.waitForLine(
        (line) => (line.includes('"burstDone"') ? (JSON.parse(line) as { remaining: number; tookMs: number }) : undefined),
        170_000,
      );
      return { ...done, output: child.output() };
    } finally {
      await child.stop();
    }
  }

  /** The channel's thread roots the bot posted, oldest first (message ids are increasing). */
  async function posted(): Promise<string[]> {
    const threads = (await sim.control.activities(TEAM.securityChannelId)).filter((r: RecordedActivity) => r.replyToId === null);
    return threads.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.activity.text ?? '');
  }

  const expected = (count: number) => Array.from({ length: count }, (_, n) => `burst ${n}`);
  const throttled = async () => (await sim.control.requests('connector')).filter((r) => r.status === 429).length;

  it('paces itself under the limits: all 200 arrive, in order, once, and Teams never has to answer 429', async () => {
    const outcome = await burst(SCALED_LIMITS);

    assert.equal(outcome.remaining, 0, 'the outbox is empty');
    assert.deepEqual(await posted(), expected(200));
    assert.equal(await throttled(), 0, 'no 429: the shared budget kept every window under its limit');
  });

  it('when Teams throttles anyway (a bot paced far above the limits), waits as told: all 200 arrive, in order, once', async () => {
    const outcome = await burst('1000000/1ms');

    assert.equal(outcome.remaining, 0, 'the outbox is empty');
    assert.deepEqual(await posted(), expected(200));
    assert.ok((await throttled()) > 0, 'Teams answered 429 at least once');
    assert.doesNotMatch(outcome.output, /message dropped/);
  });
});
