import { sameId } from '../domain/approval.js';
import type { ElevationRecord } from '../domain/elevation.js';
import { HttpError } from '../domain/errors.js';
import { cancelFollowOnActivations } from './cancel-follow-on.js';
import { endElevation } from './end-elevation.js';
import type { ElevationDeps } from './deps.js';
import { TIMER_KINDS } from './schedule-lifecycle.js';

/** What deactivate elevation uses of the use cases' dependencies. */
export type DeactivateElevationDeps = Pick<
  ElevationDeps,
  'pim' | 'dataverse' | 'tokens' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'settings' | 'logger'
>;

/** PIM refuses to deactivate within 5 minutes of activation (docs/api-contracts.md §2). */
const MIN_ACTIVE_MS = 5 * 60_000;

export type DeactivateOutcome =
  | { kind: 'ended'; record: ElevationRecord }
  | { kind: 'tooSoon'; record: ElevationRecord; possibleAt: Date }
  | { kind: 'notActive'; record: ElevationRecord }
  | { kind: 'stillActive'; record: ElevationRecord }
  | { kind: 'notYours' }
  | { kind: 'notFound' };

/**
 * Early deactivation by the requester: `selfDeactivate` on their own token, the cancellation of any
 * extension's PIM activation still waiting to start (cancel-follow-on.ts), then the same clean-up
 * as at expiry for every active elevation that relied on that PIM activation. Within PIM's first
 * five minutes it says when deactivation becomes possible instead.
 */
export async function deactivateElevation(deps: DeactivateElevationDeps, tapperObjectId: string, id: string): Promise<DeactivateOutcome> {
  const current = await deps.store.getElevation(id);
  if (!current) return { kind: 'notFound' };
  const record = current.value;
  if (!sameId(record.requester.aadObjectId, tapperObjectId)) return { kind: 'notYours' };
  if (record.state !== 'active' || !record.roleId) return { kind: 'notActive', record };
  try {
    await deps.pim.selfDeactivate(deps.tokens.forUser(tapperObjectId, 'graph'), {
      principalId: tapperObjectId,
      roleDefinitionId: record.roleId,
      justification: 'Deactivated early from Elevate',
    });
  } catch (error) {
    if (error instanceof HttpError && error.serviceCode === 'ActiveDurationTooShort')
      return { kind: 'tooSoon', record, possibleAt: await possibleAt(deps, record) };
    // Already inactive (ended elsewhere): nothing to deactivate, clean-up still runs.
    if (!(error instanceof HttpError && error.serviceCode === 'RoleAssignmentDoesNotExist')) throw error;
  }
  const siblings = (await deps.store.listElevationsByRequester(tapperObjectId)).filter((r) => r.value.state === 'active' && r.value.roleId === record.roleId);
  // An extension's activation scheduled to start at the old end would start later without Elevate.
  await cancelFollowOnActivations(
    deps,
    siblings.map((s) => s.value),
  );
  // Confirm with Graph (bot identity) that the activation is gone before cleaning up: a 201 is not
  // success, and RoleAssignmentDoesNotExist may mean the role is held another way.
  const now = deps.clock.now().getTime();
  const remaining = await deps.pim.listAssignmentsOf(deps.tokens.forApp(deps.settings.graphResource), tapperObjectId, record.roleId);
  if (remaining.some((i) => i.directoryScopeId === '/' && i.assignmentType !== 'Assigned' && (!i.endDateTime || Date.parse(i.endDateTime) > now))) {
    return { kind: 'stillActive', record };
  }
  let mine: ElevationRecord = record;
  for (const sibling of siblings) {
    try {
      const ended = await endElevation(deps, sibling, 'deactivated');
      if (sibling.value.id === id && ended) mine = ended;
    } catch (error) {
      // Dataverse failed: the expiry timer, due now, retries the clean-up with backoff.
      deps.logger.warn({ err: error, elevationId: sibling.value.id }, 'clean-up after deactivation failed; retrying through the expiry timer');
      await deps.timers.schedule({
        id: `${TIMER_KINDS.expiry}:${sibling.value.id}`,
        kind: TIMER_KINDS.expiry,
        subject: sibling.value.id,
        dueAt: deps.clock.now().toISOString(),
        payload: {},
      });
    }
  }
  return { kind: 'ended', record: mine };
}

async function possibleAt(deps: DeactivateElevationDeps, record: ElevationRecord): Promise<Date> {
  const instances = await deps.pim.listMyActiveAssignments(deps.tokens.forUser(record.requester.aadObjectId, 'graph'));
  const started = instances.find((i) => i.roleDefinitionId === record.roleId && i.directoryScopeId === '/')?.startDateTime;
  const from = started ? Date.parse(started) : Date.parse(record.updatedAt);
  return new Date(Math.max(deps.clock.now().getTime(), from + MIN_ACTIVE_MS) + 5_000);
}

/** "Let Elevate do it then": a durable timer deactivates when PIM allows it. */
export async function deactivateLater(deps: DeactivateElevationDeps, record: ElevationRecord, at: Date): Promise<void> {
  await deps.timers.schedule({
    id: `${TIMER_KINDS.deactivate}:${record.id}`,
    kind: TIMER_KINDS.deactivate,
    subject: record.id,
    dueAt: at.toISOString(),
    payload: {},
  });
}
