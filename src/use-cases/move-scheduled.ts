import { activationDeadline, sameId } from '../domain/approval.js';
import type { ElevationRecord } from '../domain/elevation.js';
import { movedRecord, waitsForStart } from '../domain/scheduled-start.js';
import { checkStart, type StartRefusal } from '../domain/start-time.js';
import { audit } from './audit-trail.js';
import { compareAndSwap, elevationAccess } from './compare-and-swap.js';
import type { ElevationDeps } from './deps.js';
import { APPROVAL_TIMEOUT_KIND, approvalTimerId } from './request-approval.js';
import { SCHEDULED_START_KIND, scheduledStartTimerId } from './scheduled-start.js';

/** What moving and cancelling scheduled elevations use of the use cases' dependencies. */
export type MoveScheduledDeps = Pick<ElevationDeps, 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'approvals' | 'settings' | 'logger'>;

export type MoveOutcome =
  | { kind: 'moved'; record: ElevationRecord; previous: string }
  /** The same start again (a redelivered command, a double tap): nothing changed. */
  | { kind: 'unchanged'; record: ElevationRecord }
  | { kind: 'refused'; reason: StartRefusal }
  /** Started, ended, cancelled or failed meanwhile. */
  | { kind: 'notMovable'; record: ElevationRecord }
  /** Its approvers approved the start it has: a new time needs a new request. */
  | { kind: 'approved'; record: ElevationRecord }
  | { kind: 'notYours' }
  | { kind: 'notFound' };

/**
 * A new start for a scheduled elevation that has not started (issue #16). The requester only (by the
 * Teams activity's object id, never card data); the start is checked again here (ahead, within the
 * limit); compare-and-swap, so a move racing the start timer either moves a waiting request or finds
 * it started. The start timer (and an approved request's activation window) follow the new start;
 * the security channel is told. A request still waiting for its approvers moves (their cards show the
 * new start); an approved one does not: its approvers approved that time (a change window), so it is
 * cancelled and asked again instead.
 */
export async function moveScheduled(deps: MoveScheduledDeps, tapperObjectId: string, id: string, startAt: string): Promise<MoveOutcome> {
  const refusal = checkStart(new Date(startAt), deps.clock.now());
  if (refusal) return { kind: 'refused', reason: refusal };
  let blocked: MoveOutcome | undefined;
  const swapped = await compareAndSwap(elevationAccess(deps.store, id), (current) => {
    const record = current?.value;
    blocked = !record
      ? { kind: 'notFound' }
      : !sameId(record.requester.aadObjectId, tapperObjectId)
        ? { kind: 'notYours' }
        : !waitsForStart(record) || record.schedule?.signInRequestedAt
          ? { kind: 'notMovable', record }
          : record.schedule?.startAt === startAt
            ? { kind: 'unchanged', record }
            : record.approval?.status === 'approved'
              ? { kind: 'approved', record }
              : undefined;
    return blocked ? undefined : movedRecord(record!, startAt, deps.clock.now());
  });
  if (swapped.kind !== 'updated') return blocked ?? { kind: 'notFound' };
  const record = swapped.value.value;
  const previous = record.schedule?.movedFrom?.at(-1) ?? startAt;
  await deps.timers.schedule({ id: scheduledStartTimerId(id), kind: SCHEDULED_START_KIND, subject: id, dueAt: startAt, payload: {} });
  const deadline = record.approval ? activationDeadline(record.approval, deps.settings.approvalActivationWindowMinutes, startAt) : undefined;
  if (deadline) await deps.timers.schedule({ id: approvalTimerId(id), kind: APPROVAL_TIMEOUT_KIND, subject: id, dueAt: deadline.toISOString(), payload: {} });
  await audit(deps, 'scheduleMoved', { record, details: { from: previous, to: startAt } });
  await deps.presenter.show(record);
  if (record.approval) await deps.approvals.refresh(record);
  await deps.notifier.elevationChanged(record);
  return { kind: 'moved', record, previous };
}

/** The requester's next scheduled elevation that has not started (soonest first), for `move to …`. */
export async function nextScheduled(deps: Pick<ElevationDeps, 'store'>, aadObjectId: string): Promise<ElevationRecord | undefined> {
  return (await deps.store.listElevationsByRequester(aadObjectId))
    .map((r) => r.value)
    .filter((r) => waitsForStart(r) && !r.schedule?.signInRequestedAt)
    .sort((a, b) => Date.parse(a.schedule!.startAt) - Date.parse(b.schedule!.startAt))[0];
}

/**
 * After a scheduled request was cancelled (cancelRequest): its start timer goes, and a request that
 * had no approvers (`scheduled`) is audited and posted here (one with approvers was announced with them).
 */
export async function scheduleCancelled(deps: MoveScheduledDeps, record: ElevationRecord, withoutApproval: boolean): Promise<void> {
  await deps.timers.cancel(record.id, [SCHEDULED_START_KIND]);
  if (!withoutApproval) return;
  await audit(deps, 'cancelled', { record, details: { scheduledStart: record.schedule?.startAt ?? null } });
  await deps.notifier.elevationChanged(record);
}
