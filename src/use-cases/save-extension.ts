import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationExtension } from '../domain/extension.js';
import { audit } from './audit-trail.js';
import { compareAndSwap, elevationAccess } from './compare-and-swap.js';
import { extensionNotSaved } from './extension-anomaly.js';
import type { ElevationDeps } from './deps.js';
import { scheduleKeepSystemAdministrator } from './keep-system-administrator.js';
import type { PimLengthening } from './lengthen-pim.js';
import { TIMER_KINDS, scheduleLifecycle } from './schedule-lifecycle.js';

/** What save extension uses of the use cases' dependencies. */
export type SaveExtensionDeps = Pick<ElevationDeps, 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'settings' | 'logger'>;

export interface AppliedExtension {
  minutes: number;
  from: string;
  /** The `extending` lease this extension wrote: only its holder saves. */
  lease: { owner: string; until: string };
  lengthened: Extract<PimLengthening, { kind: 'lengthened' }>;
  approvedRequestId?: string;
}

export type SavedExtension =
  | { kind: 'saved'; record: ElevationRecord }
  /** The lease was no longer this extension's, or the end had moved: nothing saved (an anomaly, audited and alerted). */
  | { kind: 'notSaved'; record: ElevationRecord };

/**
 * PIM has the extra time: records the extension and the new end on the elevation and lets the
 * `extending` lease go (compare-and-swap, re-applied on a conflict, and only while the record is
 * active, still carries this extension's lease and still ends at `from`: PIM calls with retries can
 * outlast the lease, and another tap may have taken it over), moves the reminders and the expiry to
 * the new end, watches System Administrator across the PIM change, audits it and tells the
 * requester's card and the security channel.
 */
export async function saveExtension(deps: SaveExtensionDeps, id: string, applied: AppliedExtension): Promise<SavedExtension> {
  const now = deps.clock.now();
  const entry: ElevationExtension = {
    at: now.toISOString(),
    minutes: applied.minutes,
    from: applied.from,
    until: applied.lengthened.until,
    path: applied.lengthened.path,
    pimRequestId: applied.lengthened.pimRequestId,
    ...(applied.approvedRequestId ? { approvedRequestId: applied.approvedRequestId } : {}),
  };
  const swapped = await compareAndSwap(elevationAccess(deps.store, id), (latest) => {
    if (!latest || !holdsLease(latest.value, applied)) return undefined;
    const { extending: _done, ...rest } = latest.value;
    return { ...rest, activeUntil: entry.until, extensions: [...(latest.value.extensions ?? []), entry], updatedAt: now.toISOString() } as ElevationRecord;
  });
  if (swapped.kind === 'unchanged' && swapped.value) {
    await extensionNotSaved(deps, swapped.value.value, entry);
    return { kind: 'notSaved', record: swapped.value.value };
  }
  if (swapped.kind !== 'updated') throw new Error(`The extension of elevation ${id} could not be saved.`);
  const record = swapped.value.value;
  // Reminders are keyed by the end they announce: the old end's ones go, the new end's come.
  await deps.timers.cancel(id, [TIMER_KINDS.reminder]);
  await scheduleLifecycle(deps, record);
  // Across the PIM change (the old activation's end, or the deactivation just now) Microsoft may take System Administrator away.
  const watchFrom = entry.path === 'scheduled' ? Date.parse(entry.from) : now.getTime();
  await scheduleKeepSystemAdministrator(deps, record, new Date(watchFrom));
  const extensions = record.extensions ?? [];
  await audit(deps, 'extended', {
    record,
    details: {
      minutes: entry.minutes,
      from: entry.from,
      until: entry.until,
      path: entry.path,
      pimRequestId: entry.pimRequestId ?? null,
      extensions: extensions.length,
      extensionMinutes: extensions.reduce((sum, e) => sum + e.minutes, 0),
      ...(entry.approvedRequestId ? { approvedRequestId: entry.approvedRequestId } : {}),
    },
  });
  await deps.presenter.show(record).catch((error: unknown) => deps.logger.warn({ err: error, elevationId: id }, 'could not update the requester card'));
  await deps.notifier.elevationChanged(record);
  return { kind: 'saved', record };
}

function holdsLease(record: ElevationRecord, applied: AppliedExtension): boolean {
  const lease = record.extending;
  return record.state === 'active' && record.activeUntil === applied.from && lease?.owner === applied.lease.owner && lease.until === applied.lease.until;
}
