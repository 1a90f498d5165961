import type { TimerHandler } from '../ports/timer-store.js';
import type { StandingAccessDeps } from './standing-access-deps.js';
import { whileBeating } from './heartbeat.js';
import { loadSweep, swapSweep } from './sweep-record.js';

/** The timer kind that hands a silent running sweep to another instance (as in-flight-watchdog.ts does for elevations). */
export const SWEEP_WATCHDOG_KIND = 'sweepWatchdog';
/** How long a running sweep's claim holds without a heartbeat. */
export const SWEEP_LEASE_MS = 60_000;
/** A sweep not heard of for this long is taken over: past its lease, so the claim is free when the timer fires. */
export const SWEEP_SILENCE_MS = 90_000;
/** How often a running sweep renews its lease and pushes its watchdog back. */
const HEARTBEAT_MS = 20_000;

export const sweepWatchdogId = (sweepId: string): string => `sweep-watchdog:${sweepId}`;

type WatchdogDeps = Pick<StandingAccessDeps, 'timers' | 'clock'>;

/** The sweep's watchdog timer, due SWEEP_SILENCE_MS from now (only moved while nobody holds it: timer-store.ts). */
export async function scheduleSweepWatchdog(deps: WatchdogDeps, sweepId: string): Promise<void> {
  await deps.timers.schedule({
    id: sweepWatchdogId(sweepId),
    kind: SWEEP_WATCHDOG_KIND,
    subject: sweepId,
    dueAt: new Date(deps.clock.now().getTime() + SWEEP_SILENCE_MS).toISOString(),
    payload: {},
  });
}

/** Renews the sweep's lease while `owner` holds it and it runs; false when it no longer does (taken over, or over). */
export async function renewSweepLease(deps: Pick<StandingAccessDeps, 'store' | 'clock'>, sweepId: string, owner: string): Promise<boolean> {
  const until = new Date(deps.clock.now().getTime() + SWEEP_LEASE_MS).toISOString();
  const result = await swapSweep(deps, sweepId, (sweep) =>
    sweep.state === 'running' && sweep.lease?.owner === owner ? { ...sweep, lease: { owner, until } } : undefined,
  );
  return result.kind === 'updated';
}

/**
 * Runs `work` (one run of a claimed sweep) with a heartbeat every HEARTBEAT_MS: the sweep's lease is renewed
 * and its durable watchdog pushed back. If this process dies, both stop: the lease lapses, the watchdog falls
 * due, and whichever instance claims it continues the sweep (`sweepWatchdogHandler`), not only the next start
 * of this instance. The watchdog is removed when the sweep is over, not when this run merely lost its claim.
 */
export async function withSweepHeartbeat<T>(
  deps: Pick<StandingAccessDeps, 'store' | 'clock' | 'timers' | 'logger'>,
  sweepId: string,
  owner: string,
  work: () => Promise<T>,
): Promise<T> {
  const warn = (error: unknown) => deps.logger.warn({ err: error, sweepId }, 'could not renew the lease of a running sweep');
  const beat = async () => {
    if (await renewSweepLease(deps, sweepId, owner)) await scheduleSweepWatchdog(deps, sweepId);
  };
  return whileBeating(beat, HEARTBEAT_MS, warn, work, async () => {
    const sweep = await loadSweep(deps, sweepId).catch(() => undefined);
    if (sweep && sweep.state !== 'running') await deps.timers.cancel(sweepId, [SWEEP_WATCHDOG_KIND]);
  });
}

/**
 * The watchdog timer's handler: the running sweep went silent, so its instance is gone (or stalled past its
 * lease). `resume` claims and continues it here; while another process still holds a live lease, look again
 * when that lease ends. Nothing to do once the sweep is over.
 */
export function sweepWatchdogHandler(
  deps: Pick<StandingAccessDeps, 'store' | 'clock' | 'logger'>,
  resume: (sweepId: string) => Promise<'resumed' | 'held' | 'over'>,
): TimerHandler {
  return async (timer) => {
    const outcome = await resume(timer.subject);
    if (outcome !== 'held') return 'done';
    const sweep = await loadSweep(deps, timer.subject);
    const leaseEnd = sweep?.lease ? Date.parse(sweep.lease.until) : deps.clock.now().getTime();
    return { retryAt: new Date(Math.max(leaseEnd, deps.clock.now().getTime()) + 1_000), countAttempt: false };
  };
}
