import { failure as elevationFailure } from '../domain/failures.js';
import { said, type RecordTextKey } from '../domain/record-text.js';
import { transition, type ElevationRecord } from '../domain/elevation.js';
import type { Versioned } from '../ports/elevation-store.js';
import type { DurableTimer, TimerOutcome } from '../ports/timer-store.js';
import { audit } from './audit-trail.js';
import { waitForToken } from './await-power-platform.js';
import type { ElevationDeps } from './deps.js';
import { runElevation } from './run-elevation.js';

/** What take over uses of the use cases' dependencies. */
export type TakeOverDeps = Pick<
  ElevationDeps,
  'pim' | 'powerPlatform' | 'dataverse' | 'tokens' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'approvals' | 'settings' | 'logger'
>;

/** Why the run stopped, in the requester's words. */
export type Interruption = 'restart' | 'instanceGone';

const STOPPED: Record<Interruption, RecordTextKey> = {
  restart: 'interruptedRestart',
  instanceGone: 'interruptedInstanceGone',
};

/** Whether the elevation is between the tap and its outcome, on no durable timer (the Power Platform wait has its own). */
export function isInFlight(record: ElevationRecord): boolean {
  return (record.state === 'activating' || record.state === 'elevating') && !record.propagation;
}

/**
 * Carries on an elevation whose run stopped (this instance restarted, or another one went away):
 * runs it when this instance holds the requester's session; when PIM is active and only Power
 * Platform is left, asks Teams for the requester's token (a sign-in card the Teams client answers
 * silently, else **Continue**); otherwise marks it failed with **Try again**, which continues without
 * activating the role twice. Never sends a second PIM request.
 */
export async function takeOver(deps: TakeOverDeps, current: Versioned<ElevationRecord>, why: Interruption): Promise<void> {
  if (deps.tokens.hasSession(current.value.requester.aadObjectId)) {
    await runElevation(deps, current.value.id);
    return;
  }
  if (current.value.state === 'elevating') {
    await waitForToken(deps, current);
    return;
  }
  const failure = elevationFailure('Interrupted', [said(STOPPED[why])], [said('interruptedHint')]);
  const next = transition(
    current.value,
    'failed',
    deps.clock.now(),
    { failure },
    why === 'restart' ? 'interrupted by restart' : 'taken over from a silent instance',
  );
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) return;
  await audit(deps, 'failed', { record: saved.value });
  await deps.presenter.show(saved.value);
  await deps.notifier.elevationChanged(saved.value);
}

/**
 * The watchdog timer's handler (in-flight-watchdog.ts): its run stopped being heard of, so the
 * instance running it is gone. Nothing to do when the elevation has moved on meanwhile.
 */
export async function takeOverSilent(deps: TakeOverDeps, timer: DurableTimer): Promise<TimerOutcome> {
  const current = await deps.store.getElevation(timer.subject);
  if (!current || !isInFlight(current.value)) return 'done';
  deps.logger.warn({ elevationId: current.value.id, worker: current.value.worker ?? null }, 'an in-flight elevation went silent: taking it over');
  await takeOver(deps, current, 'instanceGone');
  return 'done';
}
