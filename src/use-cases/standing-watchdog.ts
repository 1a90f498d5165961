import type { ElevationRecord } from '../domain/elevation.js';
import { hasChanges, holderKey, rbacHolderKey, watchdogChanges, type WatchdogChanges, type WatchdogSnapshot } from '../domain/watchdog-changes.js';
import type { TimerHandler, TimerStore } from '../ports/timer-store.js';
import { compareAndSwap, documentAccess } from './compare-and-swap.js';
import type { StandingAccessDeps } from './standing-access-deps.js';
import { takeInventory, type EnvironmentInventory, type InventoryOutcome } from './standing-inventory.js';

export const WATCHDOG_KIND = 'standingWatchdog';
const WATCHDOG_TIMER = 'standing-watchdog';
const SNAPSHOT_KEY = 'standingAccess:watchdog';

/** Posts the changes to the security channel; resolves false when none is configured. */
export type WatchdogReporter = (changes: WatchdogChanges) => Promise<boolean>;

/** Ended elevations whose requester still holds System Administrator directly there (and did not before it). */
function outlived(environments: readonly EnvironmentInventory[], ended: readonly ElevationRecord[]) {
  return ended.flatMap((record) => {
    if (record.heldSystemAdminBefore === true) return [];
    const entry = environments.find((e) => e.environment.id.toLowerCase() === record.environment.id.toLowerCase());
    if (entry?.status !== 'read') return [];
    const holder = entry.holders.find((h) => !h.team && h.kind === 'unexplained' && h.aadObjectId === record.requester.aadObjectId.toLowerCase());
    return holder
      ? [{ key: holderKey(entry.environment.id, holder), environment: entry.environment.displayName, name: holder.fullName, elevationId: record.id }]
      : [];
  });
}

function current(environments: readonly EnvironmentInventory[], ended: readonly ElevationRecord[], rbac: Extract<InventoryOutcome, { kind: 'done' }>['rbac']) {
  const unexplained = environments.flatMap((e) =>
    e.status === 'read'
      ? e.holders
          .filter((h) => h.kind === 'unexplained')
          .map((holder) => {
            const by = holder.modifiedBy ? e.holders.find((o) => o.systemUserId.toLowerCase() === holder.modifiedBy?.toLowerCase())?.fullName : undefined;
            return { key: holderKey(e.environment.id, holder), environment: e.environment.displayName, holder, ...(by ? { modifiedByName: by } : {}) };
          })
      : [],
  );
  const unreadable = environments.flatMap((e) =>
    e.status === 'read' ? [] : [{ key: `${e.environment.id}|${e.status}`.toLowerCase(), environment: e.environment.displayName, status: e.status }],
  );
  // RBAC roles not read (no RBAC identity, or refused) are not news: the inventory card says why.
  const unexplainedRbac =
    rbac?.status === 'read' ? rbac.holders.filter((h) => h.kind === 'unexplained').map((holder) => ({ key: rbacHolderKey(holder), holder })) : [];
  return { unexplained, unreadable, outlived: outlived(environments, ended), unexplainedRbac };
}

/**
 * One watchdog pass (issue #15): the inventory of every environment, compared with what the last pass saw (a
 * stored snapshot of keys); only new unexplained holders (of System Administrator, and of Power Platform RBAC roles
 * with the RBAC identity), elevations whose System Administrator outlived them and environments Elevate cannot read
 * are posted; the snapshot is written once they are (or when there are none).
 */
export async function watchStandingAccess(deps: StandingAccessDeps, report: WatchdogReporter): Promise<WatchdogChanges | undefined> {
  const inventory = await takeInventory(deps, 'all', { rbac: deps.rbac !== undefined });
  if (inventory.kind !== 'done') return undefined;
  const ended = (await deps.store.listElevationsInStates(['ended'])).map((v) => v.value);
  const now = current(inventory.environments, ended, inventory.rbac);
  const previous = (await deps.store.getDocument<WatchdogSnapshot>(SNAPSHOT_KEY))?.value;
  const changes = await withModifierNames(deps, inventory.environments, watchdogChanges(previous, now));
  // Not posted (no security channel yet): the snapshot stays, so the next pass reports the same changes.
  if (hasChanges(changes) && !(await report(changes))) return changes;
  await compareAndSwap(documentAccess<WatchdogSnapshot>(deps.store, SNAPSHOT_KEY), () => ({
    at: inventory.at,
    unexplained: now.unexplained.map((u) => u.key),
    unreadable: now.unreadable.map((u) => u.key),
    outlived: now.outlived.map((o) => o.key),
    unexplainedRbac: now.unexplainedRbac.map((u) => u.key),
  }));
  return changes;
}

/** Names who last changed each new holder's systemuser row (one read each, only for what is posted). */
async function withModifierNames(deps: StandingAccessDeps, environments: readonly EnvironmentInventory[], changes: WatchdogChanges): Promise<WatchdogChanges> {
  const newUnexplained = [];
  for (const change of changes.newUnexplained) {
    const url = environments.find((e) => e.environment.displayName === change.environment)?.environment.url;
    const by = !change.modifiedByName && change.holder.modifiedBy && url ? await deps.holders.systemUserName(url, change.holder.modifiedBy) : undefined;
    newUnexplained.push(by ? { ...change, modifiedByName: by } : change);
  }
  return { ...changes, newUnexplained };
}

/** Keeps one watchdog timer scheduled (`intervalMs` 0 cancels it); an existing one keeps its due time. */
export async function scheduleWatchdog(deps: { timers: TimerStore; clock: StandingAccessDeps['clock'] }, intervalMs: number): Promise<void> {
  if (intervalMs <= 0) return void (await deps.timers.cancel(WATCHDOG_TIMER, [WATCHDOG_KIND]));
  if ((await deps.timers.list(WATCHDOG_TIMER)).some((timer) => timer.kind === WATCHDOG_KIND)) return;
  const dueAt = new Date(deps.clock.now().getTime() + intervalMs).toISOString();
  await deps.timers.schedule({ id: WATCHDOG_TIMER, kind: WATCHDOG_KIND, subject: WATCHDOG_TIMER, dueAt, payload: {} });
}

/** Timer handler: one pass, then the next an interval later (the timer's lease keeps other instances off it). */
export function watchdogHandler(deps: StandingAccessDeps, intervalMs: number, report: WatchdogReporter): TimerHandler {
  return async () => {
    if (intervalMs <= 0) return 'done';
    await watchStandingAccess(deps, report);
    return { retryAt: new Date(deps.clock.now().getTime() + intervalMs), countAttempt: false };
  };
}
