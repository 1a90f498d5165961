import type { AuditDetailValue, AuditEntry, AuditEvent, AuditEventType, AuditParty } from '../domain/audit.js';
import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationDeps } from './deps.js';

/** What audit trail uses of the use cases' dependencies. */
export type AuditTrailDeps = Pick<ElevationDeps, 'audit' | 'clock' | 'logger'>;

type Details = Record<string, AuditDetailValue | undefined>;

/** The facts of an elevation worth keeping in the audit log (never a token). */
function elevationDetails(record: ElevationRecord): Details {
  return {
    state: record.state,
    duration: record.duration,
    justification: record.justification,
    ticket: record.ticketNumber,
    pimRequestId: record.pimRequestId,
    ppCorrelationId: record.ppCorrelationId,
    activeUntil: record.activeUntil,
    heldSystemAdminBefore: record.heldSystemAdminBefore,
    failureCode: record.failure?.code,
    failure: record.failure?.message,
    ending: record.ending?.reason,
    systemAdminRemoved: record.ending?.systemAdminRemoved,
    breakGlass: record.breakGlass,
  };
}

function compact(details: Details): Record<string, AuditDetailValue> {
  return Object.fromEntries(Object.entries(details).filter((entry): entry is [string, AuditDetailValue] => entry[1] !== undefined));
}

/**
 * Appends an event to the hash-chained audit log. An audit failure is logged loudly but does not
 * undo or block the step it records (the step already happened in the tenant).
 */
export async function audit(
  deps: Pick<ElevationDeps, 'audit' | 'clock' | 'logger'>,
  type: AuditEventType,
  options: {
    record?: ElevationRecord;
    actor?: AuditParty;
    details?: Details;
    /** Without a record (standing access, issue #15): whose access it concerns, and where. */
    subject?: AuditParty;
    environment?: { id: string; displayName: string };
  } = {},
): Promise<void> {
  const { record } = options;
  const requester = record ? { aadObjectId: record.requester.aadObjectId, name: record.requester.name } : options.subject;
  const event: AuditEvent = {
    type,
    at: deps.clock.now().toISOString(),
    ...((options.actor ?? requester) ? { actor: (options.actor ?? requester)! } : {}),
    ...(requester ? { subject: requester } : {}),
    ...(record ? { elevationId: record.id, environment: { id: record.environment.id, displayName: record.environment.displayName } } : {}),
    ...(!record && options.environment ? { environment: options.environment } : {}),
    ...(record?.roleName ? { roleName: record.roleName } : {}),
    details: compact({ ...(record ? elevationDetails(record) : {}), ...options.details }),
  };
  try {
    await deps.audit.append(event);
  } catch (error) {
    deps.logger.error({ err: error, auditType: type, elevationId: record?.id }, 'AUDIT LOG APPEND FAILED');
  }
}

/** The audit event type for an elevation that just reached `state`, if that state is an event. */
export function eventForState(record: ElevationRecord): AuditEventType | undefined {
  switch (record.state) {
    case 'activating':
      return 'requested';
    case 'elevating':
      return 'activated';
    case 'active':
      return 'elevated';
    case 'failed':
      return 'failed';
    case 'ended':
      return record.ending?.reason === 'deactivated' ? 'deactivated' : 'expired';
    default:
      return undefined;
  }
}

/** The newest audit entries of the last `sinceMinutes` (of one user when given), newest first, at most `limit`. */
export async function recentAuditEntries(
  deps: Pick<ElevationDeps, 'audit' | 'clock'>,
  query: { sinceMinutes: number; userId?: string; limit: number },
): Promise<AuditEntry[]> {
  const since = new Date(deps.clock.now().getTime() - query.sinceMinutes * 60_000);
  const entries = await deps.audit.list({ since, ...(query.userId ? { aadObjectId: query.userId } : {}), limit: query.limit });
  return entries.reverse();
}

/**
 * An export link was downloaded: which export, in which format, whose link (the subject), from which
 * address. No actor: the link works for whoever holds it, known by address only, not necessarily the
 * one who asked for it.
 */
export async function auditExportDownload(
  deps: AuditTrailDeps,
  download: { export: 'standingAccess' | 'elevationActivity'; format: string; requestedBy: string; remoteAddress: string; rows: number; elevationId?: string },
): Promise<void> {
  const event: AuditEvent = {
    type: 'exportDownloaded',
    at: deps.clock.now().toISOString(),
    subject: { aadObjectId: download.requestedBy },
    ...(download.elevationId ? { elevationId: download.elevationId } : {}),
    details: { export: download.export, format: download.format, remoteAddress: download.remoteAddress, rows: download.rows },
  };
  try {
    await deps.audit.append(event);
  } catch (error) {
    deps.logger.error({ err: error, auditType: event.type }, 'AUDIT LOG APPEND FAILED');
  }
}
