import { sameId } from '../domain/approval.js';
import { transition, type ElevationRecord } from '../domain/elevation.js';
import type { ElevationDeps } from './deps.js';

export type RetryOutcome =
  { kind: 'restarted'; record: ElevationRecord } | { kind: 'notRetryable'; record: ElevationRecord } | { kind: 'notYours' } | { kind: 'notFound' };

/**
 * Takes a failed elevation back to PIM activation for its requester (the `retry` command or the
 * card's **Try again**). The run re-reads the tenant first: an already active role goes straight
 * to the Power Platform step, so a retry never activates twice. Compare-and-swap: a double tap
 * restarts it once.
 */
export async function retryElevation(deps: ElevationDeps, tapperObjectId: string, id: string): Promise<RetryOutcome> {
  const current = await deps.store.getElevation(id);
  if (!current) return { kind: 'notFound' };
  if (!sameId(current.value.requester.aadObjectId, tapperObjectId)) return { kind: 'notYours' };
  if (current.value.state !== 'failed' || !current.value.roleId) return { kind: 'notRetryable', record: current.value };
  // A denied or expired approval is final: retrying would reach the tenant without one.
  const approval = current.value.approval;
  if (approval && approval.status !== 'approved') return { kind: 'notRetryable', record: current.value };
  const { pimRequestId: _previousRequest, pimStatus: _previousStatus, failure: _failure, stepUp: _stepUp, ...rest } = current.value;
  const next = transition(rest as ElevationRecord, 'activating', deps.clock.now(), { worker: deps.settings.instanceId }, 'retried by requester');
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) return { kind: 'notRetryable', record: (await deps.store.getElevation(id))?.value ?? current.value };
  return { kind: 'restarted', record: saved.value };
}

/** The requester's most recent failed elevation, for the `retry` command. */
export async function latestFailed(deps: ElevationDeps, aadObjectId: string): Promise<ElevationRecord | undefined> {
  const records = await deps.store.listElevationsByRequester(aadObjectId);
  return records.find((r) => r.value.state === 'failed')?.value;
}
