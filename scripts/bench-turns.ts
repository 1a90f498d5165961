/**
 * Elevate's own turn against a bare botbuilder echo bot (scripts/bench/echo-bot.ts) on the same
 * simulator, interleaved (issue #13): the `help` turn and, signed in, the `elevate me in Contoso Prod`
 * turn, each from the POST to the answer (botbuilder answers once the turn's replies are sent), p50
 * and p99 and their ratios; start-up time (spawn to listening, median of three) and idle memory
 * (resident set 5 s after start). The simulator answers at once (`--profile zero`): what is
 * measured is the bots' own work. Needs `npm run build`.
 *
 *   tsx scripts/bench-turns.ts [--rounds 200 | --quick]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TeamsClient, USERS, repoRoot, startBot, startSimulator, type BotProcess, type Simulator } from '../tests/harness/index.js';
import { openRequestCard } from '../tests/e2e/support/flow.js';
import { percentile } from './bench-summary.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};
const ECHO = () => path.join(repoRoot(), 'dist/scripts/bench/echo-bot.js');
const STACK = () => path.join(repoRoot(), 'dist/scripts/bench/stack-bot.js');

function residentMb(bot: BotProcess): number {
  const status = readFileSync(`/proc/${bot.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function timedStart(sim: Simulator, entry?: string): Promise<{ bot: BotProcess; ms: number }> {
  const started = performance.now();
  const bot = await startBot({ sim, ...(entry ? { entry } : {}), env: { ELEVATE_ACTIVATION_POLL_MS: '200' } });
  return { bot, ms: performance.now() - started };
}

export interface TurnFigures {
  help: { elevate: [number, number]; echo: [number, number] };
  elevateTurn: { elevate: [number, number]; echo: [number, number] };
  startMs: { elevate: number; echo: number; stack: number };
  idleMb: { elevate: number; echo: number; stack: number };
  /** The fixed stack's smallest Teams bot (scripts/bench/stack-bot.ts): its `help` turn, p50 and p99. */
  stackHelp: [number, number];
}

export async function benchTurns(rounds: number): Promise<TurnFigures> {
  const sim = await startSimulator();
  // Teams' per-conversation limits would pace both bots' replies (hundreds in one chat): measured is the bots' own work.
  await sim.control.settings({ connectorRateScale: 0 });
  const bots: BotProcess[] = [];
  try {
    const starts = { elevate: [] as number[], echo: [] as number[], stack: [] as number[] };
    const entries = { echo: ECHO(), stack: STACK(), elevate: undefined };
    for (let i = 0; i < 5; i++) {
      for (const kind of ['echo', 'stack', 'elevate'] as const) {
        const { bot, ms } = await timedStart(sim, entries[kind]);
        starts[kind].push(ms);
        await bot.stop();
      }
    }
    const echo = (await timedStart(sim, ECHO())).bot;
    const stack = (await timedStart(sim, STACK())).bot;
    const elevate = (await timedStart(sim)).bot;
    bots.push(echo, stack, elevate);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const idleMb = { elevate: residentMb(elevate), echo: residentMb(echo), stack: residentMb(stack) };

    const adele = (bot: BotProcess, id: string) => new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id } });
    const toElevate = adele(elevate, 'a:1-bench-turns');
    const toEcho = adele(echo, 'a:1-bench-echo');
    const toStack = adele(stack, 'a:1-bench-stack');
    const stackHelp: number[] = [];
    await openRequestCard(toElevate, 'elevate me in Contoso Prod');
    const time = async (client: TeamsClient, text: string) => {
      const started = performance.now();
      const sent = await client.say(text);
      if (sent.status !== 200) throw new Error(`${text}: HTTP ${sent.status}`);
      return performance.now() - started;
    };
    const samples = { help: { elevate: [] as number[], echo: [] as number[] }, elevateTurn: { elevate: [] as number[], echo: [] as number[] } };
    // Warm-up, then interleaved rounds: each bot in turn, so both see the same machine.
    for (let round = -10; round < rounds; round++) {
      const pairs = [
        ['help', await time(toElevate, 'help'), await time(toEcho, 'help')],
        ['elevateTurn', await time(toElevate, 'elevate me in Contoso Prod'), await time(toEcho, 'elevate me in Contoso Prod')],
      ] as const;
      const stackMs = await time(toStack, 'help');
      if (round < 0) continue;
      stackHelp.push(stackMs);
      for (const [name, ms, echoMs] of pairs) {
        samples[name].elevate.push(ms);
        samples[name].echo.push(echoMs);
      }
    }
    // Turns take a few milliseconds: to a tenth, so that rounding does not move a ratio by a tenth itself.
    const pq = (values: number[]): [number, number] => [percentile(values, 0.5, 1), percentile(values, 0.99, 1)];
    const median = (values: number[]) => percentile(values, 0.5);
    return {
      help: { elevate: pq(samples.help.elevate), echo: pq(samples.help.echo) },
      elevateTurn: { elevate: pq(samples.elevateTurn.elevate), echo: pq(samples.elevateTurn.echo) },
      startMs: { elevate: median(starts.elevate), echo: median(starts.echo), stack: median(starts.stack) },
      idleMb,
      stackHelp: pq(stackHelp),
    };
  } finally {
    for (const bot of bots) await bot.stop();
    await sim.stop();
  }
}

if (process.argv[1]?.endsWith('bench-turns.ts')) {
  const rounds = Number(option('rounds', args.includes('--quick') ? '30' : '200'));
  benchTurns(rounds)
    .then((f) => {
      const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
      console.log(
        `help turn           Elevate p50 ${f.help.elevate[0]} ms p99 ${f.help.elevate[1]} ms; echo p50 ${f.help.echo[0]} ms p99 ${f.help.echo[1]} ms: ${ratio(f.help.elevate[0], f.help.echo[0])}× / ${ratio(f.help.elevate[1], f.help.echo[1])}× (target ≤ 1.2×)`,
      );
      console.log(
        `elevate me turn     Elevate p50 ${f.elevateTurn.elevate[0]} ms p99 ${f.elevateTurn.elevate[1]} ms; echo p50 ${f.elevateTurn.echo[0]} ms: ${ratio(f.elevateTurn.elevate[0], f.elevateTurn.echo[0])}× p50 (target ≤ 2×)`,
      );
      console.log(
        `start-up            Elevate ${f.startMs.elevate} ms, echo ${f.startMs.echo} ms: ${ratio(f.startMs.elevate, f.startMs.echo)}× (target ≤ 1.3×); the fixed stack's own bot ${f.startMs.stack} ms: Elevate ${ratio(f.startMs.elevate, f.startMs.stack)}× of it`,
      );
      console.log(
        `idle memory (RSS)   Elevate ${f.idleMb.elevate.toFixed(0)} MB, echo ${f.idleMb.echo.toFixed(0)} MB: ${ratio(f.idleMb.elevate, f.idleMb.echo)}× (target ≤ 1.3×); the fixed stack's own bot ${f.idleMb.stack.toFixed(0)} MB: Elevate ${ratio(f.idleMb.elevate, f.idleMb.stack)}× of it`,
      );
      console.log(
        `stack bot help turn p50 ${f.stackHelp[0]} ms p99 ${f.stackHelp[1]} ms: Elevate ${ratio(f.help.elevate[0], f.stackHelp[0])}× / ${ratio(f.help.elevate[1], f.stackHelp[1])}× of it`,
      );
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
