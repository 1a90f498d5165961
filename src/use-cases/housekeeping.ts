import { isUnsubmitted, RETENTION } from '../domain/retention.js';
import type { TimerHandler } from '../ports/timer-store.js';
import type { ElevationDeps } from './deps.js';

/** What housekeeping uses of the use cases' dependencies. */
export type HousekeepingDeps = Pick<ElevationDeps, 'store' | 'timers' | 'clock' | 'logger'>;

/** Durable timer kind (and id) of the periodic housekeeping: one timer, whichever instance runs it. */
export const HOUSEKEEPING_KIND = 'housekeeping';
const HOUSEKEEPING_TIMER = 'housekeeping';

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
/** After a run that reached its bound: the rest goes a minute later, not an hour. */
const CATCH_UP_MS = 60_000;

export interface HousekeepingReport {
  claimsPruned: number;
  draftsDeleted: number;
  /** True when a kind reached `RETENTION.perRun`: more may be left for the next run. */
  more: boolean;
}

/**
 * One run of housekeeping (README "What Elevate keeps and for how long"): removes once-only claims
 * older than `RETENTION.claimDays` and drafts older than `RETENTION.draftHours`, each at most
 * `RETENTION.perRun`. A draft is removed with compare-and-swap on the version read, so one that
 * was submitted (or changed) meanwhile stays.
 */
export async function runHousekeeping(deps: HousekeepingDeps): Promise<HousekeepingReport> {
  const now = deps.clock.now().getTime();
  const claimsPruned = await deps.store.pruneClaims(new Date(now - RETENTION.claimDays * DAY_MS), RETENTION.perRun);
  const drafts = await deps.store.listElevationsInStates(['draft'], {
    createdBefore: new Date(now - RETENTION.draftHours * HOUR_MS),
    limit: RETENTION.perRun,
  });
  let draftsDeleted = 0;
  for (const draft of drafts) if (await deps.store.deleteElevation(draft.value.id, draft.version)) draftsDeleted++;
  const more = claimsPruned >= RETENTION.perRun || drafts.length >= RETENTION.perRun;
  deps.logger.info({ event: 'housekeeping', claimsPruned, draftsDeleted, more }, 'housekeeping done');
  return { claimsPruned, draftsDeleted, more };
}

/**
 * Keeps a requester's newest `RETENTION.unsubmittedPerRequester` unsubmitted requests (drafts, and
 * drafts they cancelled) and removes the older ones with compare-and-swap; returns how many went.
 * Run in the background after a new request card.
 */
export async function capDrafts(deps: Pick<HousekeepingDeps, 'store' | 'logger'>, aadObjectId: string): Promise<number> {
  const unsubmitted = (await deps.store.listElevationsByRequester(aadObjectId)).filter((r) => isUnsubmitted(r.value));
  let deleted = 0;
  for (const old of unsubmitted.slice(RETENTION.unsubmittedPerRequester)) {
    if (await deps.store.deleteElevation(old.value.id, old.version)) deleted++;
  }
  if (deleted > 0) deps.logger.info({ event: 'draftsCapped', requester: aadObjectId, deleted }, 'older unsubmitted requests removed');
  return deleted;
}

/** Schedules the periodic housekeeping unless it is scheduled already (a restart must not push it back). */
export async function scheduleHousekeeping(deps: Pick<HousekeepingDeps, 'timers' | 'clock'>): Promise<void> {
  if ((await deps.timers.list(HOUSEKEEPING_TIMER)).some((timer) => timer.kind === HOUSEKEEPING_KIND)) return;
  const dueAt = new Date(deps.clock.now().getTime() + RETENTION.housekeepingMinutes * 60_000).toISOString();
  await deps.timers.schedule({ id: HOUSEKEEPING_TIMER, kind: HOUSEKEEPING_KIND, subject: HOUSEKEEPING_TIMER, dueAt, payload: {} });
}

/** Timer handler: one run, then the next an interval later (a minute when this one left work behind). */
export function housekeepingHandler(deps: HousekeepingDeps): TimerHandler {
  return async () => {
    const report = await runHousekeeping(deps);
    const delay = report.more ? CATCH_UP_MS : RETENTION.housekeepingMinutes * 60_000;
    return { retryAt: new Date(deps.clock.now().getTime() + delay) };
  };
}
