import { execFile } from 'node:child_process';
import path from 'node:path';
import { repoRoot, type RecordedRequest, type SendResult } from '../../harness/index.js';
import { AAD_APP_CLIENT_SECRET } from '../../harness/tenant.js';
import { seededRandom } from './fuzz-activities.js';
import { megabytes, residentBytes } from './process-stats.js';
import { pickScenario, runRace, type RaceResult, type Scenario } from './soak-races.js';
import type { SoakStage } from './soak-stage.js';

/**
 * The soak's core (`npm run soak`, tests/security/soak.test.ts): `races` randomized races (soak-races.ts),
 * `concurrency` at a time, each by its own requester. Counts what reached the tenant per requester
 * from the simulator's request log (read as it grows), and the decisions from the audit log
 * (`npm run audit`, the real CLI) at the end: a double action is a second PIM activation or
 * applyAdminRole for one elevation, a second request or sign-in card for one message, or a decision
 * beyond what the approval needed.
 */
export interface SoakOptions {
  stage: SoakStage;
  races: number;
  seed: number;
  concurrency?: number;
  waitMs?: number;
  answerTimeoutMs?: number;
  onProgress?: (done: number, report: SoakReport) => void;
}

export interface SoakReport {
  seed: number;
  races: number;
  scenarios: Partial<Record<Scenario, number>>;
  outcomes: Record<string, number>;
  crashed: boolean;
  /** Activities sent (messages, sign-in exchanges, taps, with their duplicates). */
  sent: number;
  /** What reached the tenant in all: PIM activations and applyAdminRole calls that succeeded. */
  activations: number;
  applyAdminRole: number;
  serverErrors: number;
  hangs: number;
  doubleActivations: number;
  doubleApplyAdminRole: number;
  doubleRequests: number;
  doubleDecisions: number;
  doubleAuditEvents: number;
  auditChainIntact: boolean;
  requestLogGaps: number;
  rssBefore?: number;
  rssAfter?: number;
  elapsedMs: number;
  problems: string[];
}

type Tally = Map<string, { activations: number; applyAdminRole: number }>;

/** Reads the simulator's request log as it grows (it keeps the last 5000) and counts per requester. */
function requestTally(stage: SoakStage, report: SoakReport): { tally: Tally; poll: () => Promise<void> } {
  const tally: Tally = new Map();
  let since = 0;
  const entry = (oid: string) => tally.get(oid) ?? tally.set(oid, { activations: 0, applyAdminRole: 0 }).get(oid)!;
  const count = (r: RecordedRequest) => {
    const oid = r.token?.oid?.toLowerCase();
    if (!oid) return;
    const body = r.body as { action?: string } | null;
    if (r.service === 'graph' && r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests') && body?.action === 'selfActivate')
      entry(oid).activations++;
    if (r.service === 'powerplatform' && r.path.includes('/applyAdminRole') && r.status === 200) entry(oid).applyAdminRole++;
  };
  const poll = async () => {
    const fresh = await stage.sim.control.requests(undefined, since);
    if (fresh.length > 0 && (fresh[0]?.seq ?? 0) > since + 1) report.requestLogGaps++;
    for (const r of fresh) count(r);
    since = fresh.at(-1)?.seq ?? since;
  };
  return { tally, poll };
}

function auditLines(stage: SoakStage, args: string[]): Promise<{ code: number; stdout: string }> {
  const cli = path.join(repoRoot(), 'dist/src/audit-cli.js');
  const env = { PATH: process.env['PATH'] ?? '', AAD_APP_CLIENT_SECRET };
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, '--store', `sqlite:${stage.bot.storePath}`, ...args], { env, maxBuffer: 512 * 1024 * 1024 }, (error, stdout) =>
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout }),
    );
  });
}

interface AuditEntryLine {
  type: string;
  elevationId?: string;
  actor?: { aadObjectId?: string };
  details?: { decision?: string; approvalStatus?: string };
}

/** Decisions after the one that settled an approval, the same approver twice, and a second `requested`/`activated`/`elevated`. */
async function auditChecks(stage: SoakStage, report: SoakReport): Promise<void> {
  const exported = await auditLines(stage, ['--format', 'jsonl']);
  const entries = exported.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditEntryLine);
  const byElevation = new Map<string, AuditEntryLine[]>();
  for (const e of entries) if (e.elevationId) byElevation.set(e.elevationId, [...(byElevation.get(e.elevationId) ?? []), e]);
  for (const [id, list] of byElevation) {
    const decided = list.filter((e) => e.type === 'decided');
    const settledAt = decided.findIndex((e) => e.details?.approvalStatus !== 'pending');
    const extra = settledAt < 0 ? 0 : decided.length - settledAt - 1;
    const approvers = decided.map((e) => e.actor?.aadObjectId);
    const repeated = approvers.length - new Set(approvers).size;
    if (extra + repeated > 0) report.problems.push(`elevation ${id}: ${extra} decision(s) after it was settled, ${repeated} repeated approver(s)`);
    report.doubleDecisions += extra + repeated;
    for (const type of ['requested', 'activated', 'elevated']) {
      const n = list.filter((e) => e.type === type).length;
      if (n > 1) report.problems.push(`elevation ${id}: ${n} '${type}' audit entries`);
      report.doubleAuditEvents += Math.max(0, n - 1);
    }
  }
  report.auditChainIntact = (await auditLines(stage, ['--verify'])).code === 0;
}

export async function soak(options: SoakOptions): Promise<SoakReport> {
  const { stage } = options;
  const random = seededRandom(options.seed);
  const pid = stage.bot.child.process.pid;
  const report: SoakReport = {
    seed: options.seed,
    races: 0,
    scenarios: {},
    outcomes: {},
    crashed: false,
    sent: 0,
    activations: 0,
    applyAdminRole: 0,
    serverErrors: 0,
    hangs: 0,
    doubleActivations: 0,
    doubleApplyAdminRole: 0,
    doubleRequests: 0,
    doubleDecisions: 0,
    doubleAuditEvents: 0,
    auditChainIntact: false,
    requestLogGaps: 0,
    rssBefore: residentBytes(pid),
    elapsedMs: 0,
    problems: [],
  };
  const { tally, poll } = requestTally(stage, report);
  const poller = setInterval(() => void poll().catch(() => undefined), 500);
  const results: { user: string; result: RaceResult }[] = [];
  const track = async (sending: Promise<SendResult>): Promise<SendResult | undefined> => {
    report.sent++;
    try {
      const answer = await sending;
      if (answer.status >= 500) report.serverErrors++;
      return answer;
    } catch (error) {
      if (error instanceof Error && /timed out/.test(error.message)) report.hangs++;
      else report.crashed ||= stage.bot.child.exit !== undefined;
      return undefined;
    }
  };
  // Each race's scenario and generator come from the seed, whichever worker runs it: a seed replays the same races.
  const plans = stage.requesters.slice(0, options.races).map((user) => ({ user, scenario: pickScenario(random), seed: Math.floor(random() * 2 ** 32) }));
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < plans.length && !report.crashed) {
      const { user, scenario, seed } = plans[next++]!;
      const ctx = { botUrl: stage.bot.url, sim: stage.sim, user, random: seededRandom(seed), waitMs: options.waitMs ?? 30_000, track };
      const result = await runRace(ctx, scenario);
      results.push({ user: user.id, result });
      report.races++;
      report.scenarios[scenario] = (report.scenarios[scenario] ?? 0) + 1;
      report.outcomes[result.outcome] = (report.outcomes[result.outcome] ?? 0) + 1;
      report.crashed ||= stage.bot.child.exit !== undefined;
      if (report.races % 50 === 0) options.onProgress?.(report.races, report);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, () => worker()));
  report.elapsedMs = Date.now() - started;
  // Late duplicates (a redelivered tap finishing after the card said "Elevated") would show within seconds.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  clearInterval(poller);
  await poll();
  report.rssAfter = residentBytes(pid);
  for (const { user, result } of results) {
    const counted = tally.get(user.toLowerCase()) ?? { activations: 0, applyAdminRole: 0 };
    report.activations += counted.activations;
    report.applyAdminRole += counted.applyAdminRole;
    report.doubleActivations += Math.max(0, counted.activations - 1);
    report.doubleApplyAdminRole += Math.max(0, counted.applyAdminRole - 1);
    report.doubleRequests += Math.max(0, result.requests - 1) + Math.max(0, result.signInCards - 1);
    if (counted.activations > 1 || counted.applyAdminRole > 1 || result.requests > 1 || result.signInCards > 1) {
      report.problems.push(
        `${result.scenario} by ${user}: ${counted.activations} activations, ${counted.applyAdminRole} applyAdminRole, ${result.requests} requests, ${result.signInCards} sign-in cards`,
      );
    }
    if (result.outcome === 'elevated' && (counted.activations !== 1 || counted.applyAdminRole !== 1))
      report.problems.push(`${result.scenario} by ${user}: elevated, but PIM/Power Platform saw ${counted.activations}/${counted.applyAdminRole}`);
    if (result.outcome === 'stuck') report.problems.push(`${result.scenario} by ${user} did not finish; the chat showed: ${result.lastSeen ?? ''}`);
    if (result.outcome === 'denied' && counted.activations > 0) report.problems.push(`${result.scenario} by ${user}: denied, yet activated`);
  }
  if (!report.crashed) await auditChecks(stage, report);
  return report;
}

export function doubleActions(report: SoakReport): number {
  return report.doubleActivations + report.doubleApplyAdminRole + report.doubleRequests + report.doubleDecisions + report.doubleAuditEvents;
}

export function formatSoakReport(report: SoakReport): string {
  const map = (m: Record<string, number | undefined>) =>
    Object.entries(m)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  return [
    `soak: ${report.races} races, seed ${report.seed}, ${(report.elapsedMs / 1000).toFixed(1)} s`,
    `  scenarios: ${map(report.scenarios)}   outcomes: ${map(report.outcomes)}`,
    `  activities sent: ${report.sent}   reached the tenant: ${report.activations} PIM activations, ${report.applyAdminRole} applyAdminRole`,
    `  crashes: ${report.crashed ? 1 : 0}   5xx: ${report.serverErrors}   hangs: ${report.hangs}   double actions: ${doubleActions(report)}`,
    `    (PIM activations ${report.doubleActivations}, applyAdminRole ${report.doubleApplyAdminRole}, request or sign-in cards ${report.doubleRequests}, decisions ${report.doubleDecisions}, audit events ${report.doubleAuditEvents})`,
    `  audit chain intact: ${report.auditChainIntact}   request log gaps: ${report.requestLogGaps}`,
    `  bot memory (RSS): ${megabytes(report.rssBefore)} -> ${megabytes(report.rssAfter)}`,
    ...report.problems.slice(0, 20).map((p) => `  problem: ${p}`),
  ].join('\n');
}
