/**
 * The channel burst (issue #13): 200 security-channel posts queued at once. Elevate's outbox runs as
 * main.ts wires it, in a child process with the bot's environment (tests/integration/support/outbox-burst.ts:
 * the real BotMessenger, connector tokens, HTTPS to the simulator), against the simulator's connector
 * enforcing Teams' rate limits with every window twenty times shorter (so the run takes seconds, not
 * minutes). Prints the 429 answers Teams gave (target 0) and the time until the last post, first paced by
 * the outbox (Teams' limits, scaled the same way), then with pacing turned off for comparison.
 *
 *   npm run build && tsx scripts/bench-burst.ts [--posts 200]
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ManagedChild } from '../tests/harness/child.js';
import { botEnv, repoRoot } from '../tests/harness/env.js';
import { startSimulator, TEAM } from '../tests/harness/index.js';

const SCALE = 0.05;
/** Teams' limits (src/domain/rate-limits.ts) with windows twenty times shorter, as the simulator enforces them with SCALE. */
const SCALED_LIMITS = '7/50ms,8/100ms,60/1500ms,1800/180s';
const UNPACED = '1000000/1ms';

const args = process.argv.slice(2);
const at = args.indexOf('--posts');
const POSTS = at >= 0 ? Number(args[at + 1]) : 200;

async function burst(limits: string): Promise<{ throttled: number; remaining: number; ms: number }> {
  const sim = await startSimulator();
  try {
    await sim.control.settings({ connectorRateScale: SCALE });
    const env = botEnv(sim, {
      ELEVATE_OUTBOX_RATE_LIMITS: limits,
      BURST_COUNT: String(POSTS),
      BURST_CHANNEL: TEAM.securityChannelId,
      BURST_SERVICE_URL: `${sim.baseUrl.replace(/\/+$/, '')}/connector/`,
    });
    const started = performance.now();
    const child = new ManagedChild('outbox-burst', process.execPath, [path.join(repoRoot(), 'dist/tests/integration/support/outbox-burst.js')], {
      cwd: repoRoot(),
      env,
    });
    try {
      const done = await child.waitForLine((line) => (line.includes('"burstDone"') ? (JSON.parse(line) as { remaining: number }) : undefined), 170_000);
      const ms = performance.now() - started;
      const throttled = (await sim.control.requests('connector')).filter((r) => r.status === 429).length;
      return { throttled, remaining: done.remaining, ms };
    } finally {
      await child.stop();
    }
  } finally {
    await sim.stop();
  }
}

(async () => {
  const paced = await burst(SCALED_LIMITS);
  console.log(
    `${POSTS} channel posts at once, paced by the outbox: ${paced.throttled} answers 429 (target 0), ${paced.remaining} left, last post after ${(paced.ms / 1000).toFixed(1)} s (Teams' windows ×${SCALE})`,
  );
  const unpaced = await burst(UNPACED);
  console.log(
    `the same without pacing (comparison): ${unpaced.throttled} answers 429, ${unpaced.remaining} left, last post after ${(unpaced.ms / 1000).toFixed(1)} s`,
  );
})().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
