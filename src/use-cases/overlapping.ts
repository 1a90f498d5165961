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

/** An end this close to now counts as reached (clock skew between Graph and us, as in the expiry handler). */
const END_MARGIN_MS = 30_000;

/**
 * Issue #16: when the expiry timer of an extended elevation must wait instead of cleaning up: an
 * extension holds the record (`extending`, until its lease ends), or moved `activeUntil` later.
 */
export function extensionPostpones(record: ElevationRecord, now: number): Date | undefined {
  const lease = record.extending;
  if (lease && Date.parse(lease.until) > now) return new Date(Date.parse(lease.until) + 1_000);
  const end = Date.parse(record.activeUntil ?? '');
  return (record.extensions?.length ?? 0) > 0 && end > now + END_MARGIN_MS ? new Date(end) : undefined;
}

/**
 * Whether PIM's later end belongs to another of the requester's elevations here (it was extended, or
 * runs longer): then this elevation ends at its own end instead of following PIM, and its clean-up
 * leaves System Administrator to the other one.
 */
export async function laterEndIsAnothers(deps: OverlappingDeps, record: ElevationRecord, pimEnd: number): Promise<boolean> {
  const others = (await otherActiveHere(deps, record)).filter((r) => r.state === 'active' && r.roleId === record.roleId);
  return others.some((r) => Date.parse(r.activeUntil ?? '') >= pimEnd - END_MARGIN_MS);
}
