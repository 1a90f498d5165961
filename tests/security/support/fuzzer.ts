import { randomBytes } from 'node:crypto';
import { request, type BotProcess, type Simulator } from '../../harness/index.js';
import type { ActivityContext, TeamsActivity } from '../../harness/activities.js';
import { recordSecret } from '../../harness/suite-record.js';
import { HANDLED_INVOKES, fuzzedActivity, seededRandom, type Random } from './fuzz-activities.js';
import { megabytes, residentBytes, storeBytes } from './process-stats.js';

/**
 * The fuzzer's core (`npm run fuzz`, tests/security/fuzz.test.ts): sends `count` randomized and
 * mutated activities with genuine tokens to a running bot and reports crashes (the bot exited),
 * server errors, hangs (no answer within `answerTimeoutMs`), turn failures the bot logged, and the
 * bot's memory before and after. A 501 for an invoke name Elevate has no handler for is the Bot
 * Framework's answer by protocol and counted apart; a 501 for a name Elevate handles is a 5xx.
 */
export interface FuzzOptions {
  bot: BotProcess;
  sim: Simulator;
  /** Who the activities come from (signed-in users' contexts, so hostile values reach the handlers). */
  contexts: readonly ActivityContext[];
  count: number;
  seed: number;
  concurrency?: number;
  answerTimeoutMs?: number;
  onProgress?: (done: number, report: FuzzReport) => void;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  statuses: Record<string, number>;
  /** 5xx answers, except 501 for invoke names Elevate has no handler for. */
  serverErrors: number;
  unhandledInvokes: number;
  hangs: number;
  /** Requests that failed without an answer (connection refused or reset). */
  connectionErrors: number;
  crashed: boolean;
  /** Error-level lines the bot logged meanwhile (a turn that failed: "Something went wrong"). */
  turnFailures: number;
  rssBefore?: number;
  rssAfter?: number;
  storeBefore: number;
  storeAfter: number;
  elapsedMs: number;
  /** A few of the activities that got a 5xx or no answer, cut short. */
  examples: string[];
}

const RAW_BODIES = ['{"type":"message",', '[]', 'null', '{"type":"message","text":"\\ud800"}', '\u0000'];

function nameOf(activity: TeamsActivity): unknown {
  return (activity as Record<string, unknown>)['name'];
}

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const random = seededRandom(options.seed);
  const pid = options.bot.child.process.pid;
  const report: FuzzReport = {
    seed: options.seed,
    sent: 0,
    statuses: {},
    serverErrors: 0,
    unhandledInvokes: 0,
    hangs: 0,
    connectionErrors: 0,
    crashed: false,
    turnFailures: 0,
    rssBefore: residentBytes(pid),
    storeBefore: storeBytes(options.bot.storePath),
    storeAfter: 0,
    elapsedMs: 0,
    examples: [],
  };
  const logFrom = options.bot.child.allLines().length;
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (serviceUrl: string) => {
    if (!tokens.has(serviceUrl)) tokens.set(serviceUrl, options.sim.control.channelToken({ serviceUrl }));
    return tokens.get(serviceUrl) as Promise<string>;
  };
  const genuineUrl = options.contexts[0]?.serviceUrl ?? '';
  const started = Date.now();

  async function one(random: Random): Promise<void> {
    const activity = fuzzedActivity(random, options.contexts);
    const serviceUrl = activity['serviceUrl'];
    const raw = random() < 0.01 ? RAW_BODIES[Math.floor(random() * RAW_BODIES.length)] : undefined;
    const badToken = random() < 0.02 ? randomBytes(32).toString('base64url') : undefined;
    if (badToken) recordSecret(badToken);
    const token = badToken ?? (await tokenFor(typeof serviceUrl === 'string' && serviceUrl.startsWith('https://') ? serviceUrl : genuineUrl));
    const body = raw ?? JSON.stringify(activity);
    try {
      const answer = await request(`${options.bot.url}/api/messages`, {
        method: 'POST',
        body,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        timeoutMs: options.answerTimeoutMs ?? 15_000,
      });
      report.statuses[answer.status] = (report.statuses[answer.status] ?? 0) + 1;
      const unhandled = answer.status === 501 && activity.type === 'invoke' && !HANDLED_INVOKES.has(String(nameOf(activity)));
      if (unhandled) report.unhandledInvokes++;
      else if (answer.status >= 500) {
        report.serverErrors++;
        if (report.examples.length < 10) report.examples.push(`${answer.status}: ${body.slice(0, 300)}`);
      }
    } catch (error) {
      const timedOut = error instanceof Error && /timed out/.test(error.message);
      if (timedOut) report.hangs++;
      else report.connectionErrors++;
      if (report.examples.length < 10) report.examples.push(`${timedOut ? 'no answer' : 'connection error'}: ${body.slice(0, 300)}`);
    }
    report.sent++;
  }

  // Each worker sends a fixed share with its own generator: the activities are the same for a seed and a concurrency.
  async function worker(random: Random, share: number): Promise<void> {
    for (let i = 0; i < share && !report.crashed; i++) {
      await one(random);
      if (options.bot.child.exit) report.crashed = true;
      if (report.sent % 1000 === 0) options.onProgress?.(report.sent, report);
    }
  }

  const concurrency = options.concurrency ?? 8;
  const workers = Array.from({ length: concurrency }, (_, i) =>
    worker(seededRandom(Math.floor(random() * 2 ** 32)), Math.floor(options.count / concurrency) + (i < options.count % concurrency ? 1 : 0)),
  );
  await Promise.all(workers);
  report.elapsedMs = Date.now() - started;
  // Let the turns answered early finish their background work before measuring.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  report.crashed ||= options.bot.child.exit !== undefined;
  report.rssAfter = residentBytes(pid);
  report.storeAfter = storeBytes(options.bot.storePath);
  report.turnFailures = options.bot.child
    .allLines()
    .slice(logFrom)
    .filter((line) => /"level":(50|60)/.test(line)).length;
  return report;
}

export function formatFuzzReport(report: FuzzReport): string {
  const statuses = Object.entries(report.statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  return [
    `fuzz: ${report.sent} activities, seed ${report.seed}, ${(report.elapsedMs / 1000).toFixed(1)} s (${((report.sent * 1000) / Math.max(1, report.elapsedMs)).toFixed(0)}/s)`,
    `  crashes: ${report.crashed ? 1 : 0}   5xx: ${report.serverErrors}   hangs: ${report.hangs}   connection errors: ${report.connectionErrors}   turn failures logged: ${report.turnFailures}`,
    `  statuses: ${statuses}   (501 for invoke names Elevate does not handle: ${report.unhandledInvokes})`,
    `  bot memory (RSS): ${megabytes(report.rssBefore)} -> ${megabytes(report.rssAfter)}   store: ${megabytes(report.storeBefore)} -> ${megabytes(report.storeAfter)}`,
    ...report.examples.map((e) => `  example ${e}`),
  ].join('\n');
}
