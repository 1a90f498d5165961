import { boundedReason, sameId } from '../domain/approval.js';
import { compareAndSwap, elevationAccess } from './compare-and-swap.js';
import type { ElevationFailure, ElevationRecord } from '../domain/elevation.js';
import { HttpError } from '../domain/errors.js';
import type { Versioned } from '../ports/elevation-store.js';
import type { PimApprovalStep } from '../ports/pim-directory.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';

import { failure as elevationFailure, PIM_APPROVAL_APPROVED, PIM_APPROVAL_DENIED, PIM_APPROVAL_PENDING } from '../domain/failures.js';
import { said } from '../domain/record-text.js';

/** What decide pim approval uses of the use cases' dependencies. */
export type DecidePimApprovalDeps = Pick<ElevationDeps, 'pim' | 'tokens' | 'store' | 'audit' | 'clock' | 'presenter' | 'logger'>;

export { PIM_APPROVAL_APPROVED, PIM_APPROVAL_DENIED, PIM_APPROVAL_PENDING };

/** A PIM approver's tap on a PIM approval card. Untrusted card data: `decision` and `reason` are checked here. */
export interface PimDecisionInput {
  elevationId: string;
  /** Entra object id of the tapping user (from the Teams activity, never from card data). */
  approverId: string;
  approverName?: string;
  /** Untrusted: 'approve' | 'deny'. */
  decision: string;
  reason?: string;
}

export type PimRefusal = 'unknownRequest' | 'notPending' | 'selfApproval' | 'invalidDecision' | 'reasonRequired' | 'notApprover' | 'alreadyDecided';

export type PimDecisionOutcome =
  | { kind: 'decided'; decision: 'approve' | 'deny'; record: ElevationRecord }
  /** `decidedElsewhere`: Entra had the decision already (portal, another approver's client); it is now on the record. */
  | { kind: 'refused'; reason: PimRefusal; message: string; record?: ElevationRecord; decidedElsewhere?: boolean };

/** Why a PIM approval tap was refused, in English (the `pimRefusal` catalogue section's English; logs). */
export const PIM_REFUSALS_EN: Record<PimRefusal, string> = {
  unknownRequest: 'Elevate does not know this request.',
  notPending: 'This PIM request is no longer waiting for approval.',
  selfApproval: 'You cannot approve or deny your own PIM request.',
  invalidDecision: 'Choose Approve or Deny.',
  reasonRequired: 'Give a reason to deny the PIM request.',
  notApprover: 'Entra ID does not list you as an approver of this PIM request.',
  alreadyDecided: 'Another approver already decided this PIM request.',
};

/** Steps a reviewer can still decide (docs/api-contracts.md §2 step status). */
const OPEN_STEP = new Set(['InProgress', 'NotStarted']);

/**
 * A PIM approver's Approve or Deny of a requester's PIM activation (`PendingApproval`), sent to
 * Graph with the approver's own delegated token (docs/api-contracts.md §2: approvals are beta and
 * delegated only; Entra decides who is an approver through `assignedToMe`, 403 and 409). The
 * requester can never decide their own request, and nothing reaches Graph before that check.
 * Without an approver session, `tokens.forUser` throws SignInRequiredError or StepUpRequiredError,
 * which propagate for the Teams route to ask for sign-in. Approve: the record keeps waiting in
 * `failed` (code `PimApproved`) until the requester's `retry`, which finds the role active. Deny:
 * `failed` with `PimApprovalDenied`. Both are saved with compare-and-swap and audited; every
 * refusal is audited too (`refusedTap`).
 */
export async function decidePimApproval(deps: DecidePimApprovalDeps, input: PimDecisionInput): Promise<PimDecisionOutcome> {
  const current = await deps.store.getElevation(input.elevationId);
  if (!current) return refuse(deps, input, 'unknownRequest');
  const record = current.value;
  const decision = input.decision === 'approve' || input.decision === 'deny' ? input.decision : undefined;
  if (!decision) return refuse(deps, input, 'invalidDecision', record);
  const approvalId = pendingApprovalId(record);
  if (!approvalId) return refuse(deps, input, 'notPending', record);
  if (sameId(input.approverId, record.requester.aadObjectId)) return refuse(deps, input, 'selfApproval', record);
  const reason = boundedReason(input.reason);
  if (decision === 'deny' && !reason) return refuse(deps, input, 'reasonRequired', record);

  const name = input.approverName?.trim() || input.approverId;
  const justification = reason ?? `Approved in Microsoft Teams (Elevate) by ${name}`;
  const refusal = await review(deps, input.approverId, approvalId, decision, justification);
  if (refusal === 'alreadyDecided') {
    // Decided outside Elevate (the PIM portal, another client): keep what Entra says, so every card shows it.
    const decided = await decisionInEntra(deps, input.approverId, approvalId);
    const kept = decided ? await recordDecision(deps, current, decided) : { record, wrote: false };
    if (kept.wrote && decided) {
      // Entra's decision, made elsewhere, is recorded once (by whichever tap wrote it).
      const actor = { aadObjectId: decided.approverId || 'unknown', name: decided.name };
      await audit(deps, 'decided', {
        record: kept.record,
        actor,
        details: { pimApproval: true, pimApprovalId: approvalId, decision: decided.decision, reason: decided.reason, readFromEntra: true },
      });
    }
    const outcome = await refuse(deps, input, refusal, kept.record);
    // Only the tap that wrote the decision announces it: two racing taps tell the requester once.
    return outcome.kind === 'refused' && kept.wrote ? { ...outcome, decidedElsewhere: true } : outcome;
  }
  if (refusal) return refuse(deps, input, refusal, record);

  const { record: saved } = await recordDecision(deps, current, { approverId: input.approverId, name, decision, ...(reason ? { reason } : {}) });
  await audit(deps, 'decided', {
    record: saved,
    actor: party(input),
    details: { pimApproval: true, pimApprovalId: approvalId, decision, reason },
  });
  await deps.presenter.show(saved).catch((error: unknown) => deps.logger.warn({ err: error, elevationId: saved.id }, 'could not update the requester card'));
  return { kind: 'decided', decision, record: saved };
}

/** The PIM approval id of a record still waiting for PIM approvers, else undefined. */
function pendingApprovalId(record: ElevationRecord): string | undefined {
  return record.state === 'failed' && record.failure?.code === PIM_APPROVAL_PENDING ? record.pimApprovalId : undefined;
}

/** Reads the approval and decides the caller's open step on the approver's token; a refusal when Entra says no. */
async function review(deps: DecidePimApprovalDeps, approverId: string, approvalId: string, decision: 'approve' | 'deny', justification: string) {
  const token = deps.tokens.forUser(approverId, 'graph');
  try {
    const approval = await deps.pim.getRoleAssignmentApproval(token, approvalId);
    const mine = approval.steps.filter((step) => step.assignedToMe);
    if (mine.length === 0) return 'notApprover' as const;
    const step: PimApprovalStep | undefined = mine.find((s) => OPEN_STEP.has(s.status));
    if (!step) return 'alreadyDecided' as const;
    await deps.pim.reviewRoleAssignmentApprovalStep(token, approvalId, step.id, { reviewResult: decision === 'approve' ? 'Approve' : 'Deny', justification });
    return undefined;
  } catch (error) {
    const refusal = error instanceof HttpError ? REFUSAL_BY_STATUS[error.status] : undefined;
    if (!refusal || !(error instanceof HttpError)) throw error;
    deps.logger.info({ approvalId, status: error.status, correlationId: error.correlationId }, 'PIM refused the approval review');
    return refusal;
  }
}

/** The decision Entra already has for this approval (a completed step), read with the approver's token. */
async function decisionInEntra(
  deps: DecidePimApprovalDeps,
  approverId: string,
  approvalId: string,
): Promise<{ approverId: string; name: string; decision: 'approve' | 'deny'; reason?: string } | undefined> {
  try {
    const approval = await deps.pim.getRoleAssignmentApproval(deps.tokens.forUser(approverId, 'graph'), approvalId);
    const step = approval.steps.find((s) => s.status === 'Completed' && (s.reviewResult === 'Approved' || s.reviewResult === 'Denied'));
    if (!step) return undefined;
    const reason = boundedReason(step.justification ?? undefined);
    return {
      approverId: step.reviewedBy?.id ?? '',
      name: step.reviewedBy?.displayName?.trim() || 'A PIM approver',
      decision: step.reviewResult === 'Approved' ? 'approve' : 'deny',
      ...(reason ? { reason } : {}),
    };
  } catch (error) {
    deps.logger.info({ err: error, approvalId }, 'could not read how the PIM approval was decided');
    return undefined;
  }
}

/** Graph's answers to an approval review that are the approver's situation, not a fault (docs/api-contracts.md §2). */
const REFUSAL_BY_STATUS: Partial<Record<number, PimRefusal>> = { 403: 'notApprover', 404: 'notPending', 409: 'alreadyDecided' };

/**
 * Keeps the decision on the record, compare-and-swap. failed → failed is no transition, so the
 * record is written directly. The decision already happened in Entra: a lost swap re-reads and
 * applies it again while the record still waits; a record that moved on (a retry) is left alone.
 */
async function recordDecision(
  deps: DecidePimApprovalDeps,
  initial: Versioned<ElevationRecord>,
  decided: { approverId: string; name: string; decision: 'approve' | 'deny'; reason?: string },
): Promise<{ record: ElevationRecord; wrote: boolean }> {
  const result = await compareAndSwap(
    elevationAccess(deps.store, initial.value.id),
    (current) => {
      if (!current || !pendingApprovalId(current.value)) return undefined;
      const at = deps.clock.now().toISOString();
      return { ...current.value, failure: failureOf(decided), pimDecision: { ...decided, at }, updatedAt: at };
    },
    { initial },
  );
  if (result.kind === 'updated') return { record: result.value.value, wrote: true };
  if (result.kind === 'conflict') deps.logger.warn({ elevationId: initial.value.id }, 'PIM decision kept losing the compare-and-swap');
  return { record: result.value?.value ?? initial.value, wrote: false };
}

function failureOf(decided: { name: string; decision: 'approve' | 'deny'; reason?: string }): ElevationFailure {
  if (decided.decision === 'deny')
    return elevationFailure(
      PIM_APPROVAL_DENIED,
      [said('pimApprovalDenied', { name: decided.name, reason: decided.reason ?? '' })],
      [said('approvalDeniedHint')],
    );
  return elevationFailure(PIM_APPROVAL_APPROVED, [said('pimApprovalApproved', { name: decided.name })], [said('pimApprovalApprovedHint')]);
}

async function refuse(deps: DecidePimApprovalDeps, input: PimDecisionInput, reason: PimRefusal, record?: ElevationRecord): Promise<PimDecisionOutcome> {
  await audit(deps, 'refusedTap', {
    ...(record ? { record } : {}),
    actor: party(input),
    // Card data is untrusted: keep only a bounded excerpt of what was sent.
    details: {
      refusal: reason,
      pimApproval: true,
      decision: String(input.decision).slice(0, 40),
      requestedElevationId: String(input.elevationId).slice(0, 80),
    },
  });
  return { kind: 'refused', reason, message: PIM_REFUSALS_EN[reason], ...(record ? { record } : {}) };
}

function party(input: PimDecisionInput): { aadObjectId: string; name?: string } {
  return { aadObjectId: input.approverId, ...(input.approverName !== undefined ? { name: input.approverName } : {}) };
}

/** After a PIM decision (here or in Entra): every PIM approval card, the security channel, and the requester (Finish, or why not). */
export async function announcePimDecision(deps: Pick<ElevationDeps, 'approvals' | 'notifier' | 'presenter'>, record: ElevationRecord): Promise<void> {
  await deps.approvals.refresh(record);
  await deps.notifier.approvalChanged(record);
  await deps.presenter.tell(record);
}
