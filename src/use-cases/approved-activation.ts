import type { SubmissionWords } from '../domain/submission-text.js';
import { activationDeadline, sameId } from '../domain/approval.js';
import { transition, type ElevationRecord } from '../domain/elevation.js';
import { validateSubmission } from '../domain/request-options.js';
import type { ElevationDeps } from './deps.js';
import { audit } from './audit-trail.js';
import { APPROVAL_TIMEOUT_KIND, announce, closeApproval, lapsedEnding } from './request-approval.js';
import { eligibleOptions, submissionRules } from './start-request.js';
import { scheduleCancelled } from './move-scheduled.js';

/** What approved activation uses of the use cases' dependencies. */
export type ApprovedActivationDeps = Pick<
  ElevationDeps,
  | 'pim'
  | 'environments'
  | 'dataverse'
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

export type ActivateOutcome =
  | { kind: 'started'; record: ElevationRecord }
  /** Not approved (yet), denied, expired, cancelled or already running: the card shows where it stands. */
  | { kind: 'notActivatable'; record: ElevationRecord }
  /** Approved, but the tenant or the policy no longer allows what was approved (eligibility lost, duration now too long). */
  | { kind: 'invalid'; record: ElevationRecord; message: string; words?: SubmissionWords }
  | { kind: 'notYours' }
  | { kind: 'notFound' };

/**
 * The requester's **Activate** after approval: only users can elevate themselves, so the run
 * starts on the requester's own token, and only within the activation window. The approved fields
 * are re-validated against Graph (eligibility, PIM policy, Elevate policy): card data and a stale
 * record are never trusted. Compare-and-swap `awaitingApproval` → `activating`: a double tap, or a
 * tap on each of the requester's two cards, starts one activation.
 */
export async function activateApproved(deps: ApprovedActivationDeps, tapperObjectId: string, id: string): Promise<ActivateOutcome> {
  const current = await deps.store.getElevation(id);
  if (!current) return { kind: 'notFound' };
  const record = current.value;
  if (!sameId(record.requester.aadObjectId, tapperObjectId)) return { kind: 'notYours' };
  const approval = record.approval;
  if (record.state !== 'awaitingApproval' || approval?.status !== 'approved' || !record.roleId || !record.duration) return { kind: 'notActivatable', record };
  // An approved extension request is applied to its elevation (applyApprovedExtension), never activated on its own.
  if (record.extends) return { kind: 'notActivatable', record };
  const now = deps.clock.now();
  // A scheduled request (issue #16) starts at its start (scheduled-start.ts), never earlier.
  if (record.schedule && now.getTime() < Date.parse(record.schedule.startAt)) return { kind: 'notActivatable', record };
  const deadline = activationDeadline(approval, deps.settings.approvalActivationWindowMinutes, record.schedule?.startAt);
  if (!deadline || now >= deadline) {
    const closed = await closeApproval(deps, current, lapsedEnding(approval, deps.settings.approvalActivationWindowMinutes));
    if (!closed) return { kind: 'notActivatable', record: (await deps.store.getElevation(id))?.value ?? record };
    await deps.timers.cancel(id, [APPROVAL_TIMEOUT_KIND]);
    return { kind: 'notActivatable', record: closed };
  }

  const options = await eligibleOptions(deps, tapperObjectId, record.environment);
  const checked = validateSubmission(
    options,
    {
      roleId: record.roleId,
      duration: record.duration,
      justification: record.justification ?? '',
      ...(record.ticketNumber ? { ticketNumber: record.ticketNumber } : {}),
    },
    submissionRules(deps, record.environment, record.roleId),
  );
  if (!checked.ok) return { kind: 'invalid', record, message: `Elevate cannot activate what was approved any more: ${checked.message}`, words: checked.words };
  const option = options.find((o) => o.roleId === record.roleId);
  const alreadyActive = option?.activeUntil !== undefined;
  const next = transition(
    record,
    alreadyActive ? 'elevating' : 'activating',
    now,
    { options, worker: deps.settings.instanceId, ...(alreadyActive && option?.activeUntil ? { activeUntil: option.activeUntil } : {}) },
    alreadyActive ? 'activated by requester after approval; role already active in PIM' : 'activated by requester after approval',
  );
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) return { kind: 'notActivatable', record: (await deps.store.getElevation(id))?.value ?? record };
  await deps.timers.cancel(id, [APPROVAL_TIMEOUT_KIND]);
  return { kind: 'started', record: saved.value };
}

export type CancelOutcome =
  { kind: 'cancelled'; record: ElevationRecord } | { kind: 'notCancellable'; record: ElevationRecord } | { kind: 'notYours' } | { kind: 'notFound' };

/**
 * The requester abandons a request that has not reached the tenant: a draft, or one waiting for
 * (or granted) approval. Compare-and-swap; the approval cards lose their buttons and the security
 * channel is told when approvers were involved.
 */
export async function cancelRequest(deps: ApprovedActivationDeps, tapperObjectId: string, id: string): Promise<CancelOutcome> {
  const current = await deps.store.getElevation(id);
  if (!current) return { kind: 'notFound' };
  if (!sameId(current.value.requester.aadObjectId, tapperObjectId)) return { kind: 'notYours' };
  // A scheduled request (issue #16) can be cancelled until it starts.
  if (!['draft', 'awaitingApproval', 'scheduled'].includes(current.value.state)) return { kind: 'notCancellable', record: current.value };
  const next = transition(current.value, 'cancelled', deps.clock.now(), {}, 'cancelled by requester');
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) return { kind: 'notCancellable', record: (await deps.store.getElevation(id))?.value ?? current.value };
  if (current.value.state === 'awaitingApproval') {
    await deps.timers.cancel(id, [APPROVAL_TIMEOUT_KIND]);
    await audit(deps, 'cancelled', { record: saved.value, details: { approvalStatus: saved.value.approval?.status ?? null } });
    await announce(deps, saved.value);
  }
  if (current.value.schedule) await scheduleCancelled(deps, saved.value, current.value.state === 'scheduled');
  return { kind: 'cancelled', record: saved.value };
}
