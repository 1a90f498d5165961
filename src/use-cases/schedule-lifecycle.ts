import { parseIsoDuration } from '../domain/duration.js';
import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationDeps } from './deps.js';

/** What schedule lifecycle uses of the use cases' dependencies. */
export type ScheduleLifecycleDeps = Pick<ElevationDeps, 'timers' | 'clock' | 'settings'>;

export const TIMER_KINDS = { reminder: 'reminder', expiry: 'expiry', deactivate: 'deactivate' } as const;

/**
 * Durable timers of an active elevation: a reminder before expiry for each configured lead time
 * still in the future, and the expiry itself. Ids are deterministic, so scheduling twice (a retry,
 * a second instance) keeps one timer each.
 */
export async function scheduleLifecycle(deps: ScheduleLifecycleDeps, record: ElevationRecord): Promise<void> {
  if (record.state !== 'active' || !record.activeUntil) return;
  const end = Date.parse(record.activeUntil);
  if (Number.isNaN(end)) return;
  const now = deps.clock.now().getTime();
  for (const minutes of deps.settings.reminderMinutes) {
    const due = end - minutes * 60_000;
    if (due <= now) continue;
    await deps.timers.schedule({
      id: `${TIMER_KINDS.reminder}:${record.id}:${minutes}:${record.activeUntil}`,
      kind: TIMER_KINDS.reminder,
      subject: record.id,
      dueAt: new Date(due).toISOString(),
      payload: { minutesBefore: minutes },
    });
  }
  await deps.timers.schedule({
    id: `${TIMER_KINDS.expiry}:${record.id}`,
    kind: TIMER_KINDS.expiry,
    subject: record.id,
    dueAt: record.activeUntil,
    payload: {},
  });
}

/**
 * A failed elevation that reached the Power Platform step may still have been granted System
 * Administrator (the grant can land before an error or a crash). Its expiry timer cleans up at the
 * end it would have had, unless a retry makes it active again (which reschedules the same id).
 */
export async function scheduleCleanupAfterFailure(deps: ScheduleLifecycleDeps, record: ElevationRecord): Promise<void> {
  if (record.heldSystemAdminBefore !== false) return;
  const minutes = parseIsoDuration(record.duration ?? '') ?? 60;
  const dueAt = record.activeUntil ?? new Date(deps.clock.now().getTime() + minutes * 60_000).toISOString();
  await deps.timers.schedule({
    id: `${TIMER_KINDS.expiry}:${record.id}`,
    kind: TIMER_KINDS.expiry,
    subject: record.id,
    dueAt,
    payload: { afterFailure: true },
  });
}
