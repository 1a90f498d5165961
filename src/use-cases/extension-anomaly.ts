import type { ElevationExtension, ElevationRecord } from '../domain/elevation.js';
import { audit } from './audit-trail.js';
import { compareAndSwap, elevationAccess } from './compare-and-swap.js';
import type { ElevationDeps } from './deps.js';
import { TIMER_KINDS, scheduleLifecycle } from './schedule-lifecycle.js';

/** What the extension anomalies use of the use cases' dependencies. */
export type ExtensionAnomalyDeps = Pick<ElevationDeps, 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'settings' | 'logger'>;

/**
 * Extending elevation `id` from its end `from` deactivated the PIM role and neither the new activation
 * nor giving back what was left went through (lengthen-pim.ts, `roleLost`): the record says active
 * while PIM has no role. Marks the record (`pimRoleLost`) and moves its end to now (compare-and-swap),
 * so that the expiry timer cleans up at once: it asks Graph first and follows a PIM end that turns out
 * later, else removes System Administrator. Audited (`extensionAnomaly`) and the security channel alerted.
 */
export async function pimRoleLost(deps: ExtensionAnomalyDeps, id: string, from: string, detail: string): Promise<ElevationRecord | undefined> {
  const at = deps.clock.now().toISOString();
  const swapped = await compareAndSwap(elevationAccess(deps.store, id), (latest) =>
    latest?.value.state === 'active' ? { ...latest.value, activeUntil: at, pimRoleLost: { at, detail }, updatedAt: at } : undefined,
  );
  const record = swapped.value?.value;
  deps.logger.error({ elevationId: id, detail, marked: swapped.kind === 'updated' }, 'an extension left the elevation without its PIM role');
  if (!record) return undefined;
  if (swapped.kind === 'updated') {
    await deps.timers.cancel(id, [TIMER_KINDS.reminder]);
    await scheduleLifecycle(deps, record);
  }
  await audit(deps, 'extensionAnomaly', { record, details: { anomaly: 'pimRoleLost', from, detail } });
  await deps.notifier.alert(record, { kind: 'pimRoleLost', from, detail });
  await deps.presenter.show(record).catch((error: unknown) => deps.logger.warn({ err: error, elevationId: id }, 'could not update the requester card'));
  return record;
}

/**
 * PIM was lengthened (`entry`) but the record no longer carried this extension's `extending` lease, or
 * its end had moved (PIM outlasted the lease and another tap or instance took over): nothing is saved
 * over the other extension. Audited (`extensionAnomaly`) and the security channel alerted, because PIM
 * may now end later than the record says.
 */
export async function extensionNotSaved(deps: ExtensionAnomalyDeps, latest: ElevationRecord, entry: ElevationExtension): Promise<void> {
  deps.logger.error(
    { elevationId: latest.id, from: entry.from, until: entry.until, holder: latest.extending?.owner },
    'an extension lengthened PIM after losing its lease: not saved',
  );
  await audit(deps, 'extensionAnomaly', {
    record: latest,
    details: {
      anomaly: 'leaseLost',
      minutes: entry.minutes,
      from: entry.from,
      until: entry.until,
      path: entry.path,
      pimRequestId: entry.pimRequestId ?? null,
      holder: latest.extending?.owner ?? null,
      activeUntil: latest.activeUntil ?? null,
      state: latest.state,
    },
  });
  await deps.notifier.alert(latest, { kind: 'extensionNotSaved', from: entry.from, until: entry.until });
}
