import { activityWindowStart, summarizeActivity, type ChangeSummary } from '../domain/what-changed.js';
import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationDeps } from './deps.js';

/** What reading the changes uses of the use cases' dependencies. */
export type ReadChangesDeps = Pick<ElevationDeps, 'dataverse' | 'logger'>;

/**
 * What the requester did in the environment during the elevation (Dataverse auditing, with Elevate's own
 * identity), summarised for the ended card and the channel post. Never throws: a failure to read is
 * `unread`, so that the clean-up is never held up by the audit log.
 */
export async function readChanges(deps: Pick<ReadChangesDeps, 'dataverse' | 'logger'>, record: ElevationRecord, endedAt: Date): Promise<ChangeSummary> {
  if (!record.environment.url) return { state: 'unread' };
  try {
    const from = activityWindowStart(record.history, record.createdAt);
    const activity = await deps.dataverse.auditActivity(record.environment.url, record.requester.aadObjectId, from, endedAt.toISOString());
    return summarizeActivity(activity);
  } catch (error) {
    deps.logger.warn({ requestId: record.id, code: (error as { code?: string }).code }, 'could not read the Dataverse audit log');
    return { state: 'unread' };
  }
}
