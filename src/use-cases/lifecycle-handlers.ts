import { effectivePolicy } from '../domain/elevate-policy.js';
import type { DurableTimer, TimerHandler, TimerOutcome } from '../ports/timer-store.js';
import { audit } from './audit-trail.js';
import { PROPAGATION_KIND, retryPowerPlatform } from './await-power-platform.js';
import { runElevation } from './run-elevation.js';
import { deactivateElevation } from './deactivate-elevation.js';
import type { ElevationDeps } from './deps.js';
import { endElevation } from './end-elevation.js';
import { APPROVAL_TIMEOUT_KIND, expireApproval } from './request-approval.js';
import { TIMER_KINDS, scheduleLifecycle } from './schedule-lifecycle.js';
import { WATCHDOG_KIND } from './in-flight-watchdog.js';
import { takeOverSilent } from './take-over.js';
import { canExtend } from '../domain/break-glass.js';
import { extensionLeft } from '../domain/extension.js';
import { extensionPostpones, laterEndIsAnothers } from './overlapping.js';
import { KEEP_SYSTEM_ADMIN_KIND, keepSystemAdministrator } from './keep-system-administrator.js';
import { SCHEDULED_START_KIND, startScheduled } from './scheduled-start.js';

/** What lifecycle handlers uses of the use cases' dependencies. */
export type LifecycleHandlersDeps = Pick<
  ElevationDeps,
  | 'pim'
  | 'powerPlatform'
  | 'dataverse'
  | 'environments'
  | 'tokens'
  | 'store'
  | 'audit'
  | 'timers'
  | 'clock'
  | 'notifier'
  | 'presenter'
  | 'approvals'
  | 'settings'
  | 'newId'
  | 'logger'
>;

/** An assignment ending within this margin counts as ended (clock skew between Graph and us). */
const END_MARGIN_MS = 30_000;

/** A reminder this late (the bot was down) says a time that is no longer true: dropped, with a log line. */
const STALE_REMINDER_MS = 5 * 60_000;

/** Reminder before expiry: a 1:1 message with **Deactivate now**, once. */
async function remind(deps: LifecycleHandlersDeps, timer: DurableTimer): Promise<TimerOutcome> {
  const late = deps.clock.now().getTime() - Date.parse(timer.dueAt);
  if (late > STALE_REMINDER_MS) {
    deps.logger.info(
      { event: 'reminderDropped', elevationId: timer.subject, lateMinutes: Math.round(late / 60_000) },
      'a reminder missed while Elevate was down was dropped',
    );
    return 'done';
  }
  const record = (await deps.store.getElevation(timer.subject))?.value;
  if (!record || record.state !== 'active' || !record.activeUntil) return 'done';
  const minutesLeft = Math.round((Date.parse(record.activeUntil) - deps.clock.now().getTime()) / 60_000);
  if (minutesLeft <= 0) return 'done';
  // Issue #16: the reminder says how much extension is left (none for break glass).
  const limits = effectivePolicy(deps.settings.policy, record.environment, record.roleId ?? '').extensions;
  await deps.presenter.remind(record, minutesLeft, canExtend(record) ? extensionLeft(record, limits) : { count: 0, minutes: 0 });
  // Issue #16: the security channel gets it too where the Elevate policy says so (e.g. Production only);
  // keyed by the timer, so a retried or second instance's run posts it once.
  const toChannel = record.roleId !== undefined && effectivePolicy(deps.settings.policy, record.environment, record.roleId).remindChannel;
  if (toChannel) await deps.notifier.reminder(record, minutesLeft, timer.id);
  await audit(deps, 'reminded', { record, details: { minutesLeft, ...(toChannel ? { channel: true } : {}) } });
  return 'done';
}

/**
 * At expiry: confirm with Graph (bot identity) that the assignment ended; if it is still active
 * (extended, or activated again elsewhere) follow its new end. Then clean up. A Dataverse failure
 * throws, so the scheduler retries with backoff; from the configured attempt on the security
 * channel gets an alert.
 */
async function expire(deps: LifecycleHandlersDeps, timer: DurableTimer): Promise<TimerOutcome> {
  const current = await deps.store.getElevation(timer.subject);
  const cleanable = current?.value.state === 'active' || (current?.value.state === 'failed' && timer.payload['afterFailure'] === true);
  if (!current || !cleanable || !current.value.roleId) return 'done';
  const record = current.value;
  const now = deps.clock.now().getTime();
  // Issue #16: an extension moved the end (or is moving it right now): wait for that, never clean up under it.
  const postponed = extensionPostpones(record, now);
  if (postponed) return { retryAt: postponed };
  const instances = await deps.pim.listAssignmentsOf(deps.tokens.forApp(deps.settings.graphResource), record.requester.aadObjectId, current.value.roleId);
  // Only a time-bound activation that now ends later (extended, or activated again) moves the end;
  // a permanent assignment does not keep Elevate's grant alive past the requested duration.
  const later = instances.filter((i) => i.directoryScopeId === '/' && i.endDateTime && Date.parse(i.endDateTime) > now + END_MARGIN_MS);
  // Break glass is never extended (canExtend): its clean-up runs at the cap even if PIM now ends later.
  const newEnd = later.length > 0 ? Math.max(...later.map((i) => Date.parse(i.endDateTime!))) : 0;
  // ...unless another elevation of this user here explains the later end (its own extension): this one ends now,
  // and its clean-up keeps System Administrator for that one (end-elevation.ts).
  if (later.length > 0 && canExtend(record) && !(await laterEndIsAnothers(deps, record, newEnd))) {
    const activeUntil = new Date(newEnd).toISOString();
    const saved = await deps.store.updateElevation({ ...record, activeUntil, updatedAt: new Date(now).toISOString() }, current.version);
    if (saved) await scheduleLifecycle(deps, saved.value);
    return { retryAt: new Date(newEnd) };
  }
  try {
    const after = await endElevation(deps, current, 'expired');
    // Someone else is cleaning up (a deactivation, another instance): look again when their turn runs out.
    if (after && after.state !== 'ended' && after.cleanupLease) return { retryAt: new Date(Date.parse(after.cleanupLease.until) + 1_000) };
    return 'done';
  } catch (error) {
    // The weekly digest counts failed clean-ups from the audit trail: the first failure of each elevation's clean-up.
    if (timer.attempts === 0) await audit(deps, 'cleanupFailed', { record, details: { failureCode: (error as { code?: string }).code ?? 'unknown' } });
    if (timer.attempts + 1 === deps.settings.cleanupAlertAfterAttempts) {
      await deps.notifier.alert(record, {
        kind: 'cleanupFailing',
        attempts: timer.attempts + 1,
        error: error instanceof Error ? error.message : 'unknown error',
      });
    }
    throw error;
  }
}

/** "Deactivate when possible": deactivate with the user's session, or ask them to tap. */
async function deactivate(deps: LifecycleHandlersDeps, timer: DurableTimer): Promise<TimerOutcome> {
  const record = (await deps.store.getElevation(timer.subject))?.value;
  if (!record || record.state !== 'active') return 'done';
  if (!deps.tokens.hasSession(record.requester.aadObjectId)) {
    const minutesLeft = record.activeUntil ? Math.max(1, Math.round((Date.parse(record.activeUntil) - deps.clock.now().getTime()) / 60_000)) : 0;
    await deps.presenter.remind(record, minutesLeft);
    return 'done';
  }
  const outcome = await deactivateElevation(deps, record.requester.aadObjectId, record.id);
  if (outcome.kind === 'tooSoon') return { retryAt: outcome.possibleAt };
  return outcome.kind === 'stillActive' ? { retryAt: new Date(deps.clock.now().getTime() + 60_000) } : 'done';
}

/** The durable timers' handlers by kind, for the scheduler. */
export function lifecycleHandlers(deps: LifecycleHandlersDeps): Record<string, TimerHandler> {
  return {
    [TIMER_KINDS.reminder]: (timer) => remind(deps, timer),
    [TIMER_KINDS.expiry]: (timer) => expire(deps, timer),
    [TIMER_KINDS.deactivate]: (timer) => deactivate(deps, timer),
    [APPROVAL_TIMEOUT_KIND]: (timer) => expireApproval(deps, timer),
    [PROPAGATION_KIND]: (timer) => retryPowerPlatform(deps, timer, runElevation),
    [WATCHDOG_KIND]: (timer) => takeOverSilent(deps, timer),
    [KEEP_SYSTEM_ADMIN_KIND]: (timer) => keepSystemAdministrator(deps, timer),
    [SCHEDULED_START_KIND]: (timer) => startScheduled(deps, timer, (d, id) => runElevation({ ...deps, ...d }, id)),
  };
}
