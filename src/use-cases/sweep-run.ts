import { classifyHolders } from '../domain/standing-access.js';
import { planSweep } from '../domain/sweep-plan.js';
import { audit } from './audit-trail.js';
import type { StandingAccessDeps } from './standing-access-deps.js';
import { activeElevations } from './standing-inventory.js';
import { loadSweep, markRunning, runningSweepIds, swapSweep, type SweepItem, type SweepRecord } from './sweep-record.js';
import { SWEEP_LEASE_MS, withSweepHeartbeat } from './sweep-watchdog.js';

/** Told after each environment and at the end, to show progress on the sweep's card. */
export type SweepReporter = (sweep: SweepRecord) => Promise<void>;

export interface SweepRunner {
  /** `instanceId#bootId` of this process. */
  owner: string;
  instanceId: string;
  report: SweepReporter;
}

const key = (i: Pick<SweepItem, 'environmentId' | 'systemUserId' | 'roleId'>): string => `${i.environmentId}|${i.systemUserId}|${i.roleId}`.toLowerCase();

function claimable(sweep: SweepRecord, runner: SweepRunner, now: number): boolean {
  if (sweep.state !== 'running') return false;
  const lease = sweep.lease;
  // Ours, free, lapsed, or left by an earlier run of this same instance (killed): take it.
  return !lease || lease.owner === runner.owner || Date.parse(lease.until) <= now || lease.owner.startsWith(`${runner.instanceId}#`);
}

/** Claims the sweep for this process (compare-and-swap); undefined when another process runs it or it is over. */
async function claim(deps: StandingAccessDeps, id: string, runner: SweepRunner): Promise<SweepRecord | undefined> {
  const now = deps.clock.now().getTime();
  const result = await swapSweep(deps, id, (sweep) =>
    claimable(sweep, runner, now) ? { ...sweep, lease: { owner: runner.owner, until: new Date(now + SWEEP_LEASE_MS).toISOString() } } : undefined,
  );
  return result.kind === 'updated' ? result.value.value : undefined;
}

/** Records one item's outcome, only while this process still holds the sweep and the item is still pending. */
async function settle(
  deps: StandingAccessDeps,
  id: string,
  runner: SweepRunner,
  item: SweepItem,
  change: Partial<SweepItem>,
): Promise<SweepRecord | undefined> {
  const now = deps.clock.now();
  const result = await swapSweep(deps, id, (sweep) => {
    if (sweep.lease?.owner !== runner.owner) return undefined;
    const index = sweep.items.findIndex((i) => key(i) === key(item) && i.status === 'pending');
    if (index < 0) return undefined;
    const items = sweep.items.map((i, n) => (n === index ? { ...i, ...change, at: now.toISOString() } : i));
    return { ...sweep, items, lease: { owner: runner.owner, until: new Date(now.getTime() + SWEEP_LEASE_MS).toISOString() } };
  });
  return result.kind === 'updated' ? result.value.value : undefined;
}

/**
 * Re-reads the environment just before removing and removes only what the sweep rules still allow now: an
 * elevation started, an account made expected or the last administrator since the preview is kept.
 */
async function sweepEnvironment(deps: StandingAccessDeps, sweep: SweepRecord, runner: SweepRunner, pending: SweepItem[]): Promise<void> {
  const first = pending[0]!;
  const environment = { id: first.environmentId, displayName: first.environmentName, url: first.environmentUrl };
  let removable: Map<string, true>;
  let keptWhy: Map<string, string>;
  try {
    const records = await deps.holders.systemAdministratorHolders(environment.url);
    const expected = deps.settings.policy.standingAccess?.expected ?? [];
    const plan = planSweep(classifyHolders(environment, records, await activeElevations(deps), expected));
    removable = new Map(plan.remove.map((h) => [key({ environmentId: environment.id, ...h }), true]));
    keptWhy = new Map(plan.keep.map((k) => [key({ environmentId: environment.id, ...k.holder }), k.reason]));
  } catch (error) {
    for (const item of pending) await settle(deps, sweep.id, runner, item, { status: 'failed', note: error instanceof Error ? error.message : String(error) });
    return;
  }
  for (const item of pending) {
    // Another process took the sweep over (this one stalled past its lease) or settled the item: leave it to them.
    if (!(await stillOurs(deps, sweep.id, runner, item))) return;
    if (!removable.has(key(item))) {
      const held = keptWhy.get(key(item));
      if (held) await settle(deps, sweep.id, runner, item, { status: 'kept', note: held });
      // Gone before this read: removed by someone else, or by this sweep just before a restart lost its outcome.
      else await recordRemoval(deps, sweep, runner, item, 'notAssigned');
      continue;
    }
    await removeOne(deps, sweep, runner, item);
  }
}

async function stillOurs(deps: StandingAccessDeps, id: string, runner: SweepRunner, item: SweepItem): Promise<boolean> {
  const now = await loadSweep(deps, id);
  return now?.lease?.owner === runner.owner && now.items.some((i) => key(i) === key(item) && i.status === 'pending');
}

async function removeOne(deps: StandingAccessDeps, sweep: SweepRecord, runner: SweepRunner, item: SweepItem): Promise<void> {
  let outcome: 'removed' | 'notAssigned';
  try {
    outcome = await deps.holders.removeDirectAssignment(item.environmentUrl, item.systemUserId, item.roleId);
  } catch (error) {
    await settle(deps, sweep.id, runner, item, { status: 'failed', note: error instanceof Error ? error.message : String(error) });
    return;
  }
  await recordRemoval(deps, sweep, runner, item, outcome);
}

/** The item's outcome, then its one audit entry (only when this process wrote the outcome: never twice). */
async function recordRemoval(
  deps: StandingAccessDeps,
  sweep: SweepRecord,
  runner: SweepRunner,
  item: SweepItem,
  outcome: 'removed' | 'notAssigned',
): Promise<void> {
  const settled = await settle(deps, sweep.id, runner, item, { status: outcome === 'removed' ? 'removed' : 'alreadyGone' });
  if (!settled) return;
  await audit(deps, 'standingAccessRemoved', {
    ...(sweep.confirmedBy ? { actor: sweep.confirmedBy } : {}),
    subject: { aadObjectId: item.aadObjectId ?? item.systemUserId, name: item.name },
    environment: { id: item.environmentId, displayName: item.environmentName },
    details: {
      sweepId: sweep.id,
      systemUserId: item.systemUserId,
      roleId: item.roleId,
      outcome: outcome === 'removed' ? 'removed' : 'alreadyGone',
      requestedBy: sweep.requestedBy.aadObjectId,
      confirmedBy: sweep.confirmedBy?.aadObjectId ?? null,
    },
  });
}

/**
 * Runs a confirmed sweep to its end, one environment at a time, from wherever it stopped: every item's outcome
 * is written (compare-and-swap, under this process's lease) before the next, so a restart continues with the
 * pending ones and nothing is removed twice (a removal whose outcome was lost is read back as already gone).
 * The claim is a lease renewed by a heartbeat (sweep-watchdog.ts): when this process dies, another running
 * instance takes the sweep over through its watchdog timer, and a stalled run that lost its claim stops.
 */
export async function runSweep(deps: StandingAccessDeps, id: string, runner: SweepRunner): Promise<SweepRecord | undefined> {
  const sweep = await claim(deps, id, runner);
  if (!sweep) return loadSweep(deps, id);
  return withSweepHeartbeat(deps, id, runner.owner, () => runClaimed(deps, sweep, runner));
}

async function runClaimed(deps: StandingAccessDeps, claimed: SweepRecord, runner: SweepRunner): Promise<SweepRecord | undefined> {
  const id = claimed.id;
  let sweep = claimed;
  await runner.report(sweep);
  for (;;) {
    const pending = sweep.items.filter((i) => i.status === 'pending');
    const environmentId = pending[0]?.environmentId;
    if (!environmentId) break;
    await sweepEnvironment(
      deps,
      sweep,
      runner,
      pending.filter((i) => i.environmentId === environmentId),
    );
    const now = await loadSweep(deps, id);
    if (!now || now.lease?.owner !== runner.owner) return now;
    sweep = now;
    await runner.report(sweep);
  }
  const done = await swapSweep(deps, id, (s) =>
    s.lease?.owner === runner.owner && s.state === 'running' ? { ...s, state: 'done', finishedAt: deps.clock.now().toISOString() } : undefined,
  );
  await markRunning(deps, id, false);
  const final = done.kind === 'updated' ? done.value.value : await loadSweep(deps, id);
  if (final) await runner.report(final);
  return final;
}

/**
 * Continues one confirmed sweep that is not finished, here and now, when its claim is free: lapsed (its
 * process died, found by the sweep's watchdog timer on any instance) or left by an earlier run of this instance.
 * 'held' while another live process runs it; 'over' when it is finished (or unknown).
 */
export async function resumeSweep(deps: StandingAccessDeps, id: string, runner: SweepRunner): Promise<'resumed' | 'held' | 'over'> {
  const sweep = await loadSweep(deps, id);
  if (!sweep || sweep.state !== 'running') {
    await markRunning(deps, id, false);
    return 'over';
  }
  if (!claimable(sweep, runner, deps.clock.now().getTime())) return 'held';
  deps.logger.info({ sweepId: id, from: sweep.lease?.owner ?? null }, 'continuing a sweep whose run stopped');
  await runSweep(deps, id, runner);
  return 'resumed';
}

/** At start: continue every confirmed sweep that is not finished (this instance's own at once, others' once their lease lapsed). */
export async function resumeSweeps(deps: StandingAccessDeps, runner: SweepRunner): Promise<number> {
  let resumed = 0;
  for (const id of await runningSweepIds(deps)) {
    if ((await resumeSweep(deps, id, runner)) === 'resumed') resumed += 1;
  }
  return resumed;
}
