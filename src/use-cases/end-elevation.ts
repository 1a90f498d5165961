import { inEnglish, said, type RecordText } from '../domain/record-text.js';
import { transition, type ElevationEnding, type ElevationRecord } from '../domain/elevation.js';
import type { Versioned } from '../ports/elevation-store.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';
import { otherActiveHere } from './overlapping.js';
import { readChanges } from './read-changes.js';

/** What end elevation uses of the use cases' dependencies. */
export type EndElevationDeps = Pick<ElevationDeps, 'dataverse' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'settings' | 'logger'>;

/** How long a clean-up stays taken if its taker crashed (a failed one gives it back at once). */
const CLEANUP_LEASE_MS = 5 * 60_000;

/** The lease owner of this process: the instance and this boot of it. */
export function leaseOwner(deps: EndElevationDeps): string {
  return `${deps.settings.instanceId}#${deps.settings.bootId}`;
}

/** A lease this instance left before it restarted: same instance, another boot. */
function leftByOwnCrash(deps: EndElevationDeps, owner: string): boolean {
  return owner.startsWith(`${deps.settings.instanceId}#`) && owner !== leaseOwner(deps);
}

interface Taken {
  current: Versioned<ElevationRecord>;
  /** This instance had started the clean-up before it restarted: what it finds done, it did. */
  resumed: boolean;
}

async function takeCleanup(deps: EndElevationDeps, current: Versioned<ElevationRecord>): Promise<Taken | undefined> {
  const now = deps.clock.now().getTime();
  const lease = current.value.cleanupLease;
  const resumed = lease !== undefined && leftByOwnCrash(deps, lease.owner);
  // A live lease of another process is respected; one this instance left before a restart is taken back at once.
  if (lease && Date.parse(lease.until) > now && !resumed) return undefined;
  const until = new Date(now + CLEANUP_LEASE_MS).toISOString();
  const taken = await deps.store.updateElevation({ ...current.value, cleanupLease: { owner: leaseOwner(deps), until } }, current.version);
  return taken ? { current: taken, resumed } : undefined;
}

/**
 * Clean-up once the PIM assignment has ended (expiry or early deactivation): removes System
 * Administrator in the environment with the bot's application identity — only when this elevation
 * added it (held-before and unknown both keep it) — then records the ending, tells the requester
 * and the security channel. Throws when Dataverse fails, so the caller's timer retries with backoff. Returns the
 * record unchanged (not `ended`) while another caller holds the clean-up.
 */
export async function endElevation(
  deps: EndElevationDeps,
  current: Versioned<ElevationRecord>,
  reason: ElevationEnding['reason'],
): Promise<ElevationRecord | undefined> {
  // `failed` after reaching the Power Platform step: the grant may have landed (scheduleCleanupAfterFailure).
  const reachedPowerPlatform = current.value.state === 'failed' && current.value.history.some((h) => h.state === 'elevating');
  if (current.value.state !== 'active' && !reachedPowerPlatform) return current.value;
  // Take the clean-up first (compare-and-swap), then act: an expiry racing a deactivation, or two
  // instances, remove System Administrator and write the audit entries once.
  const taken = await takeCleanup(deps, current);
  if (!taken) return (await deps.store.getElevation(current.value.id))?.value;
  const leased = taken.current;
  try {
    return await cleanUp(deps, leased, reason, taken.resumed);
  } catch (error) {
    // Dataverse failed: give the clean-up back so the caller's retry can take it again.
    const { cleanupLease: _given, ...back } = leased.value;
    await deps.store.updateElevation(back as ElevationRecord, leased.version).catch(() => undefined);
    throw error;
  }
}

async function cleanUp(
  deps: EndElevationDeps,
  current: Versioned<ElevationRecord>,
  reason: ElevationEnding['reason'],
  resumed: boolean,
): Promise<ElevationRecord | undefined> {
  const record = current.value;
  let removed = false;
  let removedBy: ElevationEnding['removedBy'];
  let note: RecordText;
  const environment = record.environment.displayName;
  const stillRunning = (await otherActiveHere(deps, record)).filter((r) => r.state === 'active');
  if (stillRunning.length > 0) {
    // Another elevation of this user here still needs the role; it removes it when it ends.
    const until = stillRunning[0]!.activeUntil;
    note = until ? said('endedStays', { environment, until }) : said('endedStaysNoEnd', { environment });
  } else if (record.heldSystemAdminBefore === false && record.environment.url) {
    // Reads Dataverse first: Microsoft removes the role itself when the PIM activation ends
    // (docs/api-contracts.md §8), so "already gone" is a normal, finished clean-up.
    const outcome = await deps.dataverse.removeSystemAdministrator(record.environment.url, record.requester.aadObjectId);
    // Gone after this instance's own interrupted clean-up: that clean-up removed it before the restart.
    removed = outcome === 'removed' || resumed;
    removedBy = removed ? 'elevate' : 'someoneElse';
    note = said(outcome === 'removed' ? 'endedRemoved' : resumed ? 'endedRemovedBeforeRestart' : 'endedAlreadyGone', { environment });
    const done = outcome === 'removed' ? 'removed' : resumed ? 'removedBeforeRestart' : 'alreadyGone';
    await audit(deps, 'cleanedUp', { record, details: { outcome: done, removedBy, reason } });
  } else {
    note = said(record.heldSystemAdminBefore === true ? 'endedHeldBefore' : 'endedUnknownBefore', { environment });
  }
  const noteWords = [said('endedRoleInactive'), note];
  const at = deps.clock.now();
  const changes = await readChanges(deps, record, at);
  const ending: ElevationEnding = {
    reason,
    at: at.toISOString(),
    systemAdminRemoved: removed,
    ...(removedBy ? { removedBy } : {}),
    note: inEnglish(noteWords),
    noteWords,
    changes,
  };
  const { cleanupLease: _done, ...finished } = record;
  const saved = await deps.store.updateElevation(
    transition(finished as ElevationRecord, 'ended', at, { ending }, `${reason}; ${removed ? 'removed' : 'kept'} System Administrator`),
    current.version,
  );
  if (!saved) return (await deps.store.getElevation(record.id))?.value;
  await audit(deps, reason === 'deactivated' ? 'deactivated' : 'expired', { record: saved.value });
  await deps.presenter.show(saved.value);
  await deps.presenter.ended(saved.value);
  await deps.notifier.elevationChanged(saved.value);
  await deps.timers.cancel(record.id);
  return saved.value;
}
