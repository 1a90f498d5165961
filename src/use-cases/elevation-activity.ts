import type { ElevationRecord } from '../domain/elevation.js';
import { activityWindow, type ActivityWindow, type AuditEntry } from '../domain/what-changed.js';
import type { ElevationDeps } from './deps.js';
import { EXPORT_TTL_MS } from './inventory-export.js';

/** What reading one elevation's activity uses of the use cases' dependencies. */
export type ElevationActivityDeps = Pick<ElevationDeps, 'store' | 'dataverse' | 'clock' | 'logger'>;

/**
 * Rows `audit <elevation id>` and its export read at most: every page of any realistic window (200 of Dataverse's
 * 500-row pages), still a bound on memory when a script ran under the elevated user.
 */
export const MAX_ACTIVITY_ROWS = 100_000;

/** Elevation ids are `randomUUID()`s. */
const ELEVATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ActivityOutcome =
  | { kind: 'malformed' }
  | { kind: 'unknown' }
  /** It never reached the environment (denied, cancelled, failed before Power Platform): nothing to read. */
  | { kind: 'notElevated'; record: ElevationRecord }
  | { kind: 'off'; record: ElevationRecord; window: ActivityWindow }
  | { kind: 'unread'; record: ElevationRecord; window: ActivityWindow }
  | { kind: 'read'; record: ElevationRecord; window: ActivityWindow; entries: AuditEntry[]; truncated: boolean };

export function isElevationId(id: string): boolean {
  return ELEVATION_ID.test(id);
}

/**
 * Everything the requester did in the environment during elevation `id` (issue #16, `audit <elevation id>`):
 * every page of the Dataverse `audits` rows of their systemuser in the elevation's window, read with Elevate's
 * own identity, oldest first. A Dataverse failure is `unread` (logged with its code), never thrown.
 */
export async function readElevationActivity(deps: ElevationActivityDeps, id: string): Promise<ActivityOutcome> {
  if (!isElevationId(id)) return { kind: 'malformed' };
  const record = (await deps.store.getElevation(id.toLowerCase()))?.value;
  if (!record) return { kind: 'unknown' };
  const window = activityWindow(record, deps.clock.now());
  if (!window) return { kind: 'notElevated', record };
  if (!record.environment.url) return { kind: 'unread', record, window };
  try {
    const activity = await deps.dataverse.auditActivity(record.environment.url, record.requester.aadObjectId, window.from, window.to, {
      maxRows: MAX_ACTIVITY_ROWS,
    });
    if (activity.auditing === 'off') return { kind: 'off', record, window };
    const entries = [...activity.entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return { kind: 'read', record, window, entries, truncated: activity.truncated };
  } catch (error) {
    deps.logger.warn({ elevationId: record.id, code: (error as { code?: string }).code }, 'could not read the Dataverse audit log for audit <elevation id>');
    return { kind: 'unread', record, window };
  }
}

/** A stored export link: which elevation, who asked and until when; the rows are read again from Dataverse at download. */
export interface ActivityExport {
  elevationId: string;
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
}

const exportKey = (id: string): string => `elevationActivityExport:${id}`;
const EXPORT_ID = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * Keeps an export link of one elevation's activity under an unguessable id (`newExportId`) for `EXPORT_TTL_MS`, like the
 * inventory export. Only the elevation id is stored: the rows stay in Dataverse and are read again at download, so no
 * size limit of the store applies and nothing of the tenant's data is copied.
 */
export async function saveActivityExport(
  deps: Pick<ElevationDeps, 'store' | 'clock'> & { newExportId: () => string },
  elevationId: string,
  requestedBy: string,
): Promise<{ id: string; expiresAt: string }> {
  const id = deps.newExportId();
  const now = deps.clock.now().getTime();
  const stored: ActivityExport = {
    elevationId,
    requestedBy,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + EXPORT_TTL_MS).toISOString(),
  };
  await deps.store.putDocument(exportKey(id), stored);
  return { id, expiresAt: stored.expiresAt };
}

/** The elevation of an export link that has not expired; undefined for an unknown, malformed or expired id (an expired one is deleted). */
export async function readActivityExport(deps: Pick<ElevationDeps, 'store' | 'clock'>, id: string): Promise<ActivityExport | undefined> {
  if (!EXPORT_ID.test(id)) return undefined;
  const found = await deps.store.getDocument<ActivityExport>(exportKey(id));
  if (!found) return undefined;
  if (Date.parse(found.value.expiresAt) <= deps.clock.now().getTime()) {
    await deps.store.deleteDocument(exportKey(id), found.version);
    return undefined;
  }
  return found.value;
}
