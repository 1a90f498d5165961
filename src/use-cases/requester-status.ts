import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationDeps } from './deps.js';
import { TIMER_KINDS } from './schedule-lifecycle.js';
import { eligibleRoleNames } from './start-request.js';

export interface RequesterStatus {
  records: ElevationRecord[];
  eligibleRoles: string[];
  /** Elevation id → when a "Deactivate when possible" the requester chose will run (ISO). */
  deactivations: Record<string, string>;
}

/**
 * What `status` shows a requester: their elevations (newest first), the roles they may activate, and
 * the deactivations they scheduled (the durable timers of their active elevations).
 */
export async function requesterStatus(
  deps: Pick<ElevationDeps, 'store' | 'pim' | 'tokens' | 'settings' | 'timers'>,
  aadObjectId: string,
): Promise<RequesterStatus> {
  const [records, eligibleRoles] = await Promise.all([deps.store.listElevationsByRequester(aadObjectId), eligibleRoleNames(deps, aadObjectId)]);
  const active = records.filter((r) => r.value.state === 'active');
  const timers = (await Promise.all(active.map((r) => deps.timers.list(r.value.id)))).flat();
  const deactivations: Record<string, string> = {};
  for (const timer of timers) if (timer.kind === TIMER_KINDS.deactivate) deactivations[timer.subject] = timer.dueAt;
  return { records: records.map((r) => r.value), eligibleRoles, deactivations };
}

/** The requester's newest active elevation, for `deactivate`. */
export async function activeElevationOf(deps: Pick<ElevationDeps, 'store'>, aadObjectId: string): Promise<ElevationRecord | undefined> {
  return (await deps.store.listElevationsByRequester(aadObjectId)).find((r) => r.value.state === 'active')?.value;
}

/** An elevation by id (for a card that names one), or undefined. */
export async function elevationById(deps: Pick<ElevationDeps, 'store'>, id: string): Promise<ElevationRecord | undefined> {
  return id ? (await deps.store.getElevation(id))?.value : undefined;
}
