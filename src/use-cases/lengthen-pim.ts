import type { ElevationRecord } from '../domain/elevation.js';
import { HttpError } from '../domain/errors.js';
import { PIM_MINIMUM_MINUTES, toIsoDuration } from '../domain/duration.js';
import type { ExtensionPath } from '../domain/extension.js';
import type { ElevationDeps } from './deps.js';

/** What lengthen PIM uses of the use cases' dependencies. */
export type LengthenPimDeps = Pick<ElevationDeps, 'pim' | 'tokens' | 'clock' | 'logger' | 'settings'>;

export type PimLengthening =
  | { kind: 'lengthened'; path: ExtensionPath; until: string; pimRequestId: string }
  | { kind: 'refused'; reason: 'pimMaximum' | 'pimRefused' | 'pimApprovalRequired'; detail?: string }
  | { kind: 'tooSoon'; possibleAt: Date }
  /** Deactivated for the fallback, then neither activated again nor given back what was left: PIM has no role now. */
  | { kind: 'roleLost'; detail: string };

/** PIM statuses of an accepted activation (docs/api-contracts.md §2); the approval ones wait for PIM's approvers. */
const ACCEPTED = new Set(['Provisioned', 'Granted', 'ScheduleCreated', 'PendingProvisioning', 'PendingScheduleCreation']);
const AWAITING_APPROVAL = new Set(['PendingApproval', 'PendingEvaluation', 'PendingAdminDecision']);
/** PIM refuses to deactivate within five minutes of activation (docs/api-contracts.md §2). */
const MIN_ACTIVE_MS = 5 * 60_000;

/**
 * Gives the requester's PIM role `minutes` more, on their own token (docs/api-contracts.md §2.1):
 *
 * 1. A new `selfActivate` whose `scheduleInfo.startDateTime` is the current end (PIM documents a
 *    custom start time and answers such a request `Granted`): no gap, nothing deactivated.
 * 2. PIM refusing that because the role is still active (`RoleAssignmentExists`; undocumented for a
 *    start after the current end [?]): `selfDeactivate`, then `selfActivate` now for what was left plus
 *    the extension. The role is gone for the seconds between; Microsoft may remove System
 *    Administrator meanwhile, which keep-system-administrator.ts puts back.
 */
export async function lengthenPim(
  deps: LengthenPimDeps,
  record: ElevationRecord,
  minutes: number,
  pimMaximumMinutes: number | undefined,
): Promise<PimLengthening> {
  const from = record.activeUntil!;
  const graph = deps.tokens.forUser(record.requester.aadObjectId, 'graph');
  if (pimMaximumMinutes !== undefined && minutes > pimMaximumMinutes) return { kind: 'refused', reason: 'pimMaximum', detail: String(pimMaximumMinutes) };
  if (await pimApprovalRequired(deps, record.roleId ?? '')) return { kind: 'refused', reason: 'pimApprovalRequired' };
  try {
    const request = await deps.pim.selfActivate(graph, activation(record, minutes, from));
    return await accepted(deps, record, request, { path: 'scheduled', until: new Date(Date.parse(from) + minutes * 60_000).toISOString() });
  } catch (error) {
    if (!(error instanceof HttpError && error.serviceCode === 'RoleAssignmentExists')) return refusedBy(error);
    deps.logger.info({ elevationId: record.id }, 'PIM refused an activation starting at the current end; deactivating and activating again');
  }
  return reactivate(deps, record, minutes, pimMaximumMinutes);
}

async function reactivate(deps: LengthenPimDeps, record: ElevationRecord, minutes: number, pimMaximumMinutes: number | undefined): Promise<PimLengthening> {
  const now = deps.clock.now().getTime();
  const leftMinutes = Math.max(0, Math.ceil((Date.parse(record.activeUntil!) - now) / 60_000));
  const total = leftMinutes + minutes;
  if (pimMaximumMinutes !== undefined && total > pimMaximumMinutes) return { kind: 'refused', reason: 'pimMaximum', detail: String(pimMaximumMinutes) };
  const graph = deps.tokens.forUser(record.requester.aadObjectId, 'graph');
  const principal = { principalId: record.requester.aadObjectId, roleDefinitionId: record.roleId ?? '' };
  try {
    await deps.pim.selfDeactivate(graph, { ...principal, justification: `Elevate: extending elevation ${record.id} (activated again at once)` });
  } catch (error) {
    if (error instanceof HttpError && error.serviceCode === 'ActiveDurationTooShort') return { kind: 'tooSoon', possibleAt: await possibleAt(deps, record) };
    if (!(error instanceof HttpError && error.serviceCode === 'RoleAssignmentDoesNotExist')) return refusedBy(error);
  }
  const startedAt = deps.clock.now();
  let answer: PimLengthening | undefined;
  let failure: unknown;
  try {
    const request = await deps.pim.selfActivate(graph, activation(record, total, startedAt.toISOString()));
    answer = await accepted(deps, record, request, { path: 'reactivated', until: new Date(startedAt.getTime() + total * 60_000).toISOString() });
    if (answer.kind === 'lengthened') return answer;
  } catch (error) {
    failure = error;
  }
  // The role was deactivated a moment ago: give back what was left rather than leave the requester without it.
  deps.logger.warn({ err: failure, elevationId: record.id }, 'activating again for the extension failed; restoring the time that was left');
  const restoring = await restore(deps, record, leftMinutes, startedAt);
  if (restoring)
    return { kind: 'roleLost', detail: `activating again: ${answer ? answerDetail(answer) : errorDetail(failure)}; giving back what was left: ${restoring}` };
  return answer ?? refusedBy(failure);
}

/** Activates the `leftMinutes` that were left again; what went wrong, or undefined when PIM has the role again. */
async function restore(deps: LengthenPimDeps, record: ElevationRecord, leftMinutes: number, startedAt: Date): Promise<string | undefined> {
  if (leftMinutes < PIM_MINIMUM_MINUTES) return `${leftMinutes} min left, less than PIM's minimum`;
  const graph = deps.tokens.forUser(record.requester.aadObjectId, 'graph');
  try {
    const request = await deps.pim.selfActivate(graph, activation(record, leftMinutes, startedAt.toISOString()));
    return ACCEPTED.has(request.status) ? undefined : request.status;
  } catch (error) {
    // The activation whose answer was lost went through after all: the role is there.
    if (error instanceof HttpError && error.serviceCode === 'RoleAssignmentExists') return undefined;
    deps.logger.error({ err: error, elevationId: record.id }, 'could not give back the time that was left: PIM has no active role for this elevation');
    return errorDetail(error);
  }
}

function answerDetail(answer: PimLengthening): string {
  return answer.kind === 'refused' ? `${answer.reason}${answer.detail ? ` ${answer.detail}` : ''}` : answer.kind;
}

function errorDetail(error: unknown): string {
  return error instanceof HttpError ? (error.serviceCode ?? `HTTP ${error.status}`) : 'no answer';
}

function activation(record: ElevationRecord, minutes: number, startDateTime: string) {
  return {
    principalId: record.requester.aadObjectId,
    roleDefinitionId: record.roleId ?? '',
    justification: `Extension of Elevate elevation ${record.id}: ${record.justification ?? ''}`.slice(0, 500),
    duration: toIsoDuration(minutes),
    startDateTime,
    ...(record.ticketNumber ? { ticketNumber: record.ticketNumber, ticketSystem: record.ticketSystem ?? 'Elevate' } : {}),
  };
}

async function accepted(
  deps: LengthenPimDeps,
  record: ElevationRecord,
  request: { id: string; status: string },
  result: { path: 'scheduled' | 'reactivated'; until: string },
): Promise<PimLengthening> {
  if (ACCEPTED.has(request.status)) return { kind: 'lengthened', ...result, pimRequestId: request.id };
  if (!AWAITING_APPROVAL.has(request.status)) return { kind: 'refused', reason: 'pimRefused', detail: request.status };
  // The role's PIM policy started asking for approval after Elevate read it: a request left pending would
  // activate, once approved, without Elevate. Withdrawn (cancel, docs/api-contracts.md §2) and refused.
  await deps.pim.cancelRequest(deps.tokens.forUser(record.requester.aadObjectId, 'graph'), request.id).catch((error: unknown) => {
    deps.logger.warn({ err: error, elevationId: record.id, pimRequestId: request.id }, 'could not cancel the PIM request that waits for approval');
  });
  return { kind: 'refused', reason: 'pimApprovalRequired', detail: request.id };
}

/**
 * Whether the role's PIM policy needs approval to activate (Approval_EndUser_Assignment). Elevate then
 * refuses to extend: PIM would hold the new activation for its approvers, and on the path where PIM
 * refuses a start at the current end Elevate would have to deactivate first, leaving the requester
 * without the role until someone approves. A new elevation when this one ends goes through PIM's
 * approval flow as usual (decide-pim-approval.ts).
 */
export async function pimApprovalRequired(deps: Pick<ElevationDeps, 'pim' | 'tokens' | 'settings'>, roleId: string): Promise<boolean> {
  return (await deps.pim.getActivationPolicy(deps.tokens.forApp(deps.settings.graphResource), roleId)).approvalRequired;
}

function refusedBy(error: unknown): PimLengthening {
  if (!(error instanceof HttpError) || error.status >= 500 || error.status === 429) throw error;
  return { kind: 'refused', reason: 'pimRefused', detail: error.serviceCode ?? `HTTP ${error.status}` };
}

async function possibleAt(deps: LengthenPimDeps, record: ElevationRecord): Promise<Date> {
  const instances = await deps.pim.listMyActiveAssignments(deps.tokens.forUser(record.requester.aadObjectId, 'graph'));
  const started = instances.find((i) => i.roleDefinitionId === record.roleId && i.directoryScopeId === '/')?.startDateTime;
  const from = started ? Date.parse(started) : deps.clock.now().getTime();
  return new Date(Math.max(deps.clock.now().getTime(), from + MIN_ACTIVE_MS) + 5_000);
}
