import type { ElevationDeps } from './deps.js';
import { publishApproval } from './request-approval.js';
import { scheduleLifecycle } from './schedule-lifecycle.js';
import { isInFlight, takeOver } from './take-over.js';

/** What resume elevations uses of the use cases' dependencies. */
export type ResumeElevationsDeps = Pick<
  ElevationDeps,
  'pim' | 'powerPlatform' | 'dataverse' | 'tokens' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'approvals' | 'settings' | 'logger'
>;

/** A request saved this recently may still be having its approval cards posted by the instance that saved it. */
const PUBLISHING_GRACE_MS = 2 * 60_000;
/**
 * Unfinished work of another instance untouched this long is taken over at start. Runs since the
 * watchdog (in-flight-watchdog.ts) are taken over by its timer within two minutes, start or not.
 */
const STALE_AFTER_MS = 10 * 60_000;

/**
 * At start: every elevation left in `activating` or `elevating` by a previous run of this instance
 * is finished (when the requester's session is still usable), handed to the Power Platform wait
 * (`elevating`: PIM is active, Elevate asks Teams for the requester's token and goes on), or marked
 * failed with what to do (`activating`: **Try again** continues without activating twice). Nothing
 * stays stuck silently. Elevations already waiting for Power Platform are left to their timer.
 * Requests waiting for approval get their approval cards if they never went out.
 */
export async function resumeElevations(deps: ResumeElevationsDeps, instanceId: string): Promise<number> {
  // Every active elevation keeps its reminder and expiry timers (idempotent ids): nothing granted is left without an end.
  for (const active of await deps.store.listElevationsInStates(['active'])) await scheduleLifecycle(deps, active.value);
  const now = deps.clock.now().getTime();
  // Requests waiting for approvers whose cards never went out (a crash right after the request was
  // saved, or no approvals channel then): post them now. Recent ones are left to the instance publishing them.
  for (const waiting of await deps.store.listElevationsInStates(['awaitingApproval'])) {
    if (waiting.value.approval?.status !== 'pending' || now - Date.parse(waiting.value.updatedAt) < PUBLISHING_GRACE_MS) continue;
    await publishApproval(deps, waiting.value);
  }
  const unfinished = await deps.store.listElevationsInStates(['activating', 'elevating']);
  let handled = 0;
  for (const current of unfinished) {
    // Waiting for Power Platform: its durable timer carries on, on whichever instance claims it.
    if (!isInFlight(current.value)) continue;
    const owner = current.value.worker;
    // Another instance's work is taken over once it has been silent for a while (that instance is gone,
    // or came back under another name).
    const stale = now - Date.parse(current.value.updatedAt) > STALE_AFTER_MS;
    if (owner !== undefined && owner !== instanceId && !stale) continue;
    handled++;
    await takeOver(deps, current, 'restart');
  }
  return handled;
}
