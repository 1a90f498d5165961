import type { ElevationRecord } from '../domain/elevation.js';
import { NotAnAdminError } from '../domain/errors.js';
import type { DurableTimer, TimerOutcome } from '../ports/timer-store.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';

/** What keep system administrator uses of the use cases' dependencies. */
export type KeepSystemAdministratorDeps = Pick<
  ElevationDeps,
  'powerPlatform' | 'dataverse' | 'tokens' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'settings' | 'logger'
>;

/** The durable timer that checks System Administrator after an extension changed the PIM activation. */
export const KEEP_SYSTEM_ADMIN_KIND = 'keepSystemAdmin';
/**
 * Looks after the PIM change: Microsoft removes System Administrator "usually after a short duration" once
 * a PIM activation ends (docs/api-contracts.md §8.1); how short is not documented [?], so Elevate looks
 * several times, then stops.
 */
const CHECKS_AFTER_MS = [60_000, 3 * 60_000, 10 * 60_000, 30 * 60_000];

/** Schedules the checks from `from` (the old PIM end, or now after a deactivation); one timer per elevation. */
export async function scheduleKeepSystemAdministrator(deps: Pick<ElevationDeps, 'timers'>, record: ElevationRecord, from: Date): Promise<void> {
  if (record.heldSystemAdminBefore === true || !record.environment.url) return;
  await scheduleCheck(deps, record.id, from.getTime(), 0);
}

/** One timer per check (ids differ), so a check never has to rewrite the timer it runs on. */
async function scheduleCheck(deps: Pick<ElevationDeps, 'timers'>, id: string, from: number, check: number): Promise<void> {
  await deps.timers.schedule({
    id: `${KEEP_SYSTEM_ADMIN_KIND}:${id}:${new Date(from).toISOString()}:${check}`,
    kind: KEEP_SYSTEM_ADMIN_KIND,
    subject: id,
    dueAt: new Date(from + CHECKS_AFTER_MS[check]!).toISOString(),
    payload: { from: new Date(from).toISOString(), check },
  });
}

/**
 * Timer handler: while the extended elevation is active, System Administrator must stay. Dataverse
 * (Elevate's identity) says whether it is still there; if Microsoft removed it when the earlier PIM
 * activation ended, `applyAdminRole` on the requester's own token gives it back (the API answers
 * success for holders, so a repeat is harmless). Power Platform not seeing the new activation yet
 * ("not … admin") or no token at hand: look again soon.
 */
export async function keepSystemAdministrator(deps: KeepSystemAdministratorDeps, timer: DurableTimer): Promise<TimerOutcome> {
  const record = (await deps.store.getElevation(timer.subject))?.value;
  const now = deps.clock.now().getTime();
  if (!record || record.state !== 'active' || !record.environment.url || Date.parse(record.activeUntil ?? '') <= now) return 'done';
  const from = Date.parse(String(timer.payload['from'] ?? record.updatedAt));
  const check = Number(timer.payload['check'] ?? 0);
  const held = (await deps.dataverse.systemAdministratorStatus(record.environment.url, record.requester.aadObjectId)).held;
  if (!held) {
    const back = await giveBack(deps, record);
    if (!back) return { retryAt: new Date(now + 60_000), countAttempt: false };
  }
  if (CHECKS_AFTER_MS[check + 1] !== undefined) await scheduleCheck(deps, record.id, from, check + 1);
  return 'done';
}

async function giveBack(deps: KeepSystemAdministratorDeps, record: ElevationRecord): Promise<boolean> {
  if (!deps.tokens.hasSession(record.requester.aadObjectId)) {
    deps.logger.info({ elevationId: record.id }, 'System Administrator is gone and the requester has no session; asking them to sign in');
    await deps.presenter.askToSignIn(record).catch(() => undefined);
    return false;
  }
  try {
    await deps.powerPlatform.applyAdminRole(deps.tokens.forUser(record.requester.aadObjectId, 'powerPlatform'), record.environment.id);
  } catch (error) {
    if (error instanceof NotAnAdminError) return false;
    throw error;
  }
  await audit(deps, 'systemAdminReapplied', { record, details: { reason: 'removedWhenEarlierPimActivationEnded' } });
  return true;
}
