import { activationDeadline, sameId } from '../domain/approval.js';
import { parseIsoDuration } from '../domain/duration.js';
import { effectivePolicy } from '../domain/elevate-policy.js';
import { FINAL_FAILURES, PIM_APPROVAL_PENDING } from '../domain/failures.js';
import { transition, type ElevationRecord } from '../domain/elevation.js';
import type { ElevationDeps } from './deps.js';
import { activeUntil } from './run-elevation.js';

/** What retry elevation uses of the use cases' dependencies. */
export type RetryElevationDeps = Pick<ElevationDeps, 'pim' | 'tokens' | 'store' | 'clock' | 'settings'>;

export type RetryOutcome =
  | { kind: 'restarted'; record: ElevationRecord }
  /** Final (denied, expired, lapsed approval), or already being retried: the card shows where it stands. */
  | { kind: 'notRetryable'; record: ElevationRecord; reason: string }
  /** PIM still waits for its approvers: nothing is sent again (a second request would be refused anyway). */
  | { kind: 'stillPending'; record: ElevationRecord }
  | { kind: 'notYours' }
  | { kind: 'notFound' };

/**
 * Takes a failed elevation back to PIM activation for its requester (the `retry` command or the
 * card's **Try again** / **Finish**). The run re-reads the tenant first: an already active role
 * goes straight to the Power Platform step, so a retry never activates twice. Compare-and-swap: a
 * double tap restarts it once.
 *
 * Never without the approval it needs: a denied, expired or lapsed approval is final; an approved
 * one covers only the elevation it was given for (until its activation window plus the requested
 * duration have passed); and a request the current Elevate policy says needs approval, made when
 * it did not, needs a new request. While PIM still waits for its own approvers, nothing is sent.
 */
export async function retryElevation(deps: RetryElevationDeps, tapperObjectId: string, id: string): Promise<RetryOutcome> {
  const current = await deps.store.getElevation(id);
  if (!current) return { kind: 'notFound' };
  const record = current.value;
  if (!sameId(record.requester.aadObjectId, tapperObjectId)) return { kind: 'notYours' };
  if (record.state !== 'failed' || !record.roleId) return { kind: 'notRetryable', record, reason: 'not failed' };
  // An extension request never runs as an elevation of its own (extension-approval.ts applies it).
  if (record.extends) return { kind: 'notRetryable', record, reason: 'extension request' };
  const refusal = approvalRefusal(deps, record);
  if (refusal) return { kind: 'notRetryable', record, reason: refusal };
  if (record.failure?.code === PIM_APPROVAL_PENDING && !(await activeUntil(deps, record))) return { kind: 'stillPending', record };
  const { pimRequestId: _previousRequest, pimStatus: _previousStatus, failure: _failure, stepUp: _stepUp, ...rest } = record;
  const next = transition(rest as ElevationRecord, 'activating', deps.clock.now(), { worker: deps.settings.instanceId }, 'retried by requester');
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) {
    const latest = (await deps.store.getElevation(id))?.value ?? record;
    return { kind: 'notRetryable', record: latest, reason: 'already retried' };
  }
  return { kind: 'restarted', record: saved.value };
}

function approvalRefusal(deps: RetryElevationDeps, record: ElevationRecord): string | undefined {
  if (FINAL_FAILURES.has(record.failure?.code ?? '')) return 'final';
  const approval = record.approval;
  if (!approval) {
    const policy = effectivePolicy(deps.settings.policy, record.environment, record.roleId ?? '');
    return policy.approval.required ? 'needs approval' : undefined;
  }
  if (approval.status !== 'approved') return 'not approved';
  const deadline = activationDeadline(approval, deps.settings.approvalActivationWindowMinutes, record.schedule?.startAt);
  const duration = (parseIsoDuration(record.duration ?? '') ?? 0) * 60_000;
  if (!deadline || deps.clock.now().getTime() > deadline.getTime() + duration) return 'approval used up';
  return undefined;
}

/** The requester's most recent failed elevation, for the `retry` command. */
export async function latestFailed(deps: RetryElevationDeps, aadObjectId: string): Promise<ElevationRecord | undefined> {
  const records = await deps.store.listElevationsByRequester(aadObjectId);
  return records.find((r) => r.value.state === 'failed')?.value;
}
