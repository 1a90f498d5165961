import type { ElevationRecord } from '../domain/elevation.js';
import { HttpError } from '../domain/errors.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';

/** What cancelling follow-on activations uses of the use cases' dependencies. */
export type CancelFollowOnDeps = Pick<ElevationDeps, 'pim' | 'tokens' | 'audit' | 'clock' | 'logger'>;

/** The extensions of `record` whose PIM activation is scheduled to start later (the `scheduled` path, not started yet). */
export function followOnActivations(record: ElevationRecord, now: Date): { pimRequestId: string; from: string; until: string }[] {
  return (record.extensions ?? [])
    .filter((e) => e.path === 'scheduled' && e.pimRequestId && Date.parse(e.from) > now.getTime())
    .map((e) => ({ pimRequestId: e.pimRequestId!, from: e.from, until: e.until }));
}

/**
 * An early deactivation ends only the PIM activation that is running; an extension on the scheduled
 * path (docs/api-contracts.md §2.1) left a second activation `Granted` to start at the current end,
 * which would then start without Elevate. Each is cancelled on the requester's own token
 * (`POST roleAssignmentScheduleRequests/{id}/cancel`, Graph v1.0 "unifiedRoleAssignmentScheduleRequest:
 * cancel": a `Granted` request is cancelable, 204) and audited. PIM's 400 (no longer cancelable: it
 * started, which the deactivation ended, or it was cancelled already) and 404 (gone) are settled
 * answers, so a repeated deactivation is harmless; anything else propagates and the requester's
 * `deactivate` can be tried again (the deactivation itself is idempotent).
 */
export async function cancelFollowOnActivations(deps: CancelFollowOnDeps, records: readonly ElevationRecord[]): Promise<number> {
  let cancelled = 0;
  for (const record of records) {
    for (const followOn of followOnActivations(record, deps.clock.now())) {
      try {
        await deps.pim.cancelRequest(deps.tokens.forUser(record.requester.aadObjectId, 'graph'), followOn.pimRequestId);
      } catch (error) {
        if (!(error instanceof HttpError && (error.status === 400 || error.status === 404))) throw error;
        deps.logger.info({ elevationId: record.id, pimRequestId: followOn.pimRequestId, status: error.status }, 'follow-on PIM activation not cancelable');
        continue;
      }
      cancelled++;
      await audit(deps, 'extensionCancelled', { record, details: { pimRequestId: followOn.pimRequestId, from: followOn.from, until: followOn.until } });
    }
  }
  return cancelled;
}
