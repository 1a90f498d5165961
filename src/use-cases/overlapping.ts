import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationDeps } from './deps.js';

/** What overlapping uses of the use cases' dependencies. */
export type OverlappingDeps = Pick<ElevationDeps, 'store'>;

/** The requester's other elevations in the same environment that are active (or being elevated) now. */
export async function otherActiveHere(deps: OverlappingDeps, record: ElevationRecord): Promise<ElevationRecord[]> {
  const mine = await deps.store.listElevationsByRequester(record.requester.aadObjectId);
  return mine
    .map((r) => r.value)
    .filter((r) => r.id !== record.id && r.environment.id === record.environment.id && (r.state === 'active' || r.state === 'elevating'));
}
