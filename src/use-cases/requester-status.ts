import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationDeps } from './deps.js';
import { eligibleRoleNames } from './start-request.js';

/** What `status` shows a requester: their elevations (newest first) and the roles they may activate. */
export async function requesterStatus(
  deps: Pick<ElevationDeps, 'store' | 'pim' | 'tokens' | 'settings'>,
  aadObjectId: string,
): Promise<{ records: ElevationRecord[]; eligibleRoles: string[] }> {
  const [records, eligibleRoles] = await Promise.all([deps.store.listElevationsByRequester(aadObjectId), eligibleRoleNames(deps, aadObjectId)]);
  return { records: records.map((r) => r.value), eligibleRoles };
}

/** The requester's newest active elevation, for `deactivate`. */
export async function activeElevationOf(deps: Pick<ElevationDeps, 'store'>, aadObjectId: string): Promise<ElevationRecord | undefined> {
  return (await deps.store.listElevationsByRequester(aadObjectId)).find((r) => r.value.state === 'active')?.value;
}

/** An elevation by id (for a card that names one), or undefined. */
export async function elevationById(deps: Pick<ElevationDeps, 'store'>, id: string): Promise<ElevationRecord | undefined> {
  return id ? (await deps.store.getElevation(id))?.value : undefined;
}
