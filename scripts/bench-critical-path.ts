/**
 * The critical path (issue #13): from the **Elevate** tap to the success card, with the simulator
 * answering at realistic latencies (delay-only faults: on-behalf-of and other Entra token calls
 * 150 ms, the PIM POST 800 ms, PIM reads 300 ms, applyAdminRole 1 s, Dataverse 200 ms, connector
 * 100 ms), against the sum of the calls no implementation can avoid, one after the other: the PIM
 * POST, the first assignment read that shows the role active, applyAdminRole and the card update
 * (2.2 s; plus PIM's own delay before the assignment shows, when set). Prints the ratio and every
 * upstream call of one elevation with its count. `--profile zero` runs without latencies.
 *
 *   npm run build && tsx scripts/bench-critical-path.ts [--rounds 5] [--profile realistic|zero]
 */
import { performance } from 'node:perf_hooks';
import { ROLES, TeamsClient, USERS, cardOf, cardText, startBot, startSimulator, type Simulator } from '../tests/harness/index.js';
import { JUSTIFICATION, SUBMIT, openRequestCard } from '../tests/e2e/support/flow.js';
import { CpuSplit, percentile } from './bench-summary.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};

interface Latency {
  service: 'entra' | 'graph' | 'powerplatform' | 'dataverse' | 'connector';
  method?: string;
  pathIncludes?: string;
  delayMs: number;
}

/** The realistic profile; the first matching entry applies (the simulator takes the first matching fault). */
const REALISTIC: readonly Latency[] = [
  { service: 'entra', method: 'POST', pathIncludes: '/token', delayMs: 150 },
  { service: 'graph', method: 'POST', pathIncludes: 'roleAssignmentScheduleRequests', delayMs: 800 },
  { service: 'graph', method: 'GET', delayMs: 300 },
  { service: 'powerplatform', pathIncludes: 'applyAdminRole', delayMs: 1000 },
  { service: 'dataverse', delayMs: 200 },
  { service: 'connector', delayMs: 100 },
];
/** PIM POST + first assignment read + applyAdminRole + card update. */
const UNAVOIDABLE_MS = 800 + 300 + 1000 + 100;

async function applyProfile(sim: Simulator, profile: string): Promise<void> {
  if (profile === 'zero') return;
  for (const latency of REALISTIC) await sim.control.fault({ ...latency, times: 1_000_000 });
}

export interface CriticalPathFigures {
  profile: string;
  activationDelayMs: number;
  p50Ms: number;
  spread: [number, number];
  unavoidableMs: number;
  ratio: number;
  calls: Record<string, number>;
  /** CPU per elevation of the bot, the simulator and the driver (they share the machine). */
  cpu: string;
}

export async function benchCriticalPath(rounds: number, profile: string, activationDelayMs: number): Promise<CriticalPathFigures> {
  const sim = await startSimulator();
  const bot = await startBot({ sim, env: { ELEVATE_ACTIVATION_POLL_MS: '300' } });
  try {
    const samples: number[] = [];
    let calls: Record<string, number> = {};
    const cpuMs = { bot: 0, simulator: 0, driver: 0 };
    for (let round = 0; round < rounds; round++) {
      await sim.control.reset();
      await sim.control.settings({ activationDelayMs });
      const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id: `a:1-critical-${round}` } });
      // Signed in, the request card on screen: the measured part starts at the tap.
      const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
      await applyProfile(sim, profile);
      const since = (await sim.control.requests()).at(-1)?.seq ?? 0;
      const split = new CpuSplit({ bot: bot.child.pid, simulator: sim.child.pid });
      const tapped = performance.now();
      await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
      await adele.waitFor((r) => r.id === card.id && /Elevated in/.test(cardText(cardOf(r))), { timeoutMs: 60_000, intervalMs: 10 });
      samples.push(performance.now() - tapped);
      const used = split.stop();
      for (const key of ['bot', 'simulator', 'driver'] as const) cpuMs[key] += used[key] * 1000;
      calls = {};
      for (const r of await sim.control.requests(undefined, since)) {
        const key = `${r.service} ${r.method} ${r.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}').replace(/\/v3\/conversations\/[^/]+/, '/v3/conversations/{c}')}`;
        calls[key] = (calls[key] ?? 0) + 1;
      }
    }
    const unavoidableMs = UNAVOIDABLE_MS + (profile === 'zero' ? -UNAVOIDABLE_MS : activationDelayMs);
    const p50Ms = percentile(samples, 0.5);
    return {
      profile,
      activationDelayMs,
      p50Ms,
      spread: [Math.round(Math.min(...samples)), Math.round(Math.max(...samples))],
      unavoidableMs,
      ratio: unavoidableMs > 0 ? p50Ms / unavoidableMs : Number.NaN,
      calls,
      cpu: `CPU per elevation (tap to success card): bot ${Math.round(cpuMs.bot / rounds)} ms, simulator ${Math.round(cpuMs.simulator / rounds)} ms, driver ${Math.round(cpuMs.driver / rounds)} ms`,
    };
  } finally {
    await bot.stop();
    await sim.stop();
  }
}

if (process.argv[1]?.endsWith('bench-critical-path.ts')) {
  const rounds = Number(option('rounds', args.includes('--quick') ? '2' : '5'));
  const profile = option('profile', 'realistic');
  (async () => {
    for (const delay of [0, 1000]) {
      const f = await benchCriticalPath(rounds, profile, delay);
      const target = delay === 0 ? 1.1 : 1.15;
      console.log(
        `critical path (${f.profile}, PIM shows the role after ${f.activationDelayMs} ms): p50 ${f.p50Ms} ms [${f.spread.join('–')}] vs unavoidable ${f.unavoidableMs} ms = ${f.ratio.toFixed(2)}× (target ≤ ${target}×)`,
      );
      console.log(`  ${f.cpu}`);
      if (delay === 0) for (const [call, count] of Object.entries(f.calls).sort()) console.log(`  ${String(count).padStart(3)} × ${call}`);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
