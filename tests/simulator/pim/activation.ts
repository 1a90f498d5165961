import { policyFor } from '../graph/policy.js';
import { isRecord, stringField } from '../core/http.js';
import { activeEligibilities, isActiveOrPending, parseDuration } from './model.js';
import { parseSchedule, type Schedule } from './schedule.js';
import type { Principal } from '../core/principal.js';
import { newId, type SimulatorState } from '../core/state.js';
import type { AssignmentRequest, RolePolicy } from '../tenant/model.js';

/**
 * selfActivate and selfDeactivate on the tenant model, with PIM's answers (docs/api-contracts.md §2
 * "Activate, deactivate, cancel" and its error table).
 */
export type Outcome = { ok: true; request: AssignmentRequest } | { ok: false; status: number; code: string; message: string };
type User = Extract<Principal, { kind: 'user' }>;

const MIN_ACTIVE_MS = 5 * 60_000;
const TOO_SHORT: Outcome = {
  ok: false,
  status: 400,
  code: 'ActiveDurationTooShort',
  message: 'The Active duration is too short. Miniumum Required is 5 minutes.',
};

function refused(code: string, message: string, status = 400): Outcome {
  return { ok: false, status, code, message };
}

function baseRequest(state: SimulatorState, user: User, body: Record<string, unknown>, action: string): AssignmentRequest {
  const ticket = isRecord(body['ticketInfo']) ? body['ticketInfo'] : undefined;
  return {
    id: newId(),
    action,
    principalId: user.oid,
    roleDefinitionId: stringField(body, 'roleDefinitionId') ?? '',
    directoryScopeId: stringField(body, 'directoryScopeId') ?? '/',
    appScopeId: stringField(body, 'appScopeId') ?? null,
    status: 'Provisioned',
    createdDateTime: state.nowIso(),
    completedDateTime: state.nowIso(),
    approvalId: null,
    isValidationOnly: body['isValidationOnly'] === true,
    targetScheduleId: null,
    justification: stringField(body, 'justification') ?? null,
    createdBy: { user: { id: user.oid, displayName: user.name || null }, application: null, device: null },
    scheduleInfo: null,
    ticketInfo: ticket ? { ticketNumber: stringField(ticket, 'ticketNumber') ?? null, ticketSystem: stringField(ticket, 'ticketSystem') ?? null } : null,
  };
}

function failedRules(state: SimulatorState, user: User, request: AssignmentRequest, policy: RolePolicy, schedule: Schedule): string[] {
  const failed: string[] = [];
  const eligible = activeEligibilities(state, user.oid).some(
    (e) => e.roleDefinitionId === request.roleDefinitionId && e.directoryScopeId === request.directoryScopeId,
  );
  if (!eligible) failed.push('EligibilityRule');
  const maxMs = parseDuration(policy.maximumDuration) ?? 8 * 3600_000;
  if (schedule.durationMs === undefined || schedule.durationMs > maxMs) failed.push('ExpirationRule');
  if (policy.enabledRules.includes('MultiFactorAuthentication') && !user.amr.includes('mfa')) failed.push('MfaRule');
  if (policy.enabledRules.includes('Justification') && !request.justification?.trim()) failed.push('JustificationRule');
  if (policy.enabledRules.includes('Ticketing') && !request.ticketInfo?.ticketNumber?.trim()) failed.push('TicketingRule');
  return failed;
}

function acrsRefusal(policy: RolePolicy, user: User): Outcome | undefined {
  const value = policy.authenticationContext;
  if (value === null || user.acrs.includes(value)) return undefined;
  // The claims challenge travels URL-encoded inside the message [3P].
  const claims = encodeURIComponent(JSON.stringify({ access_token: { acrs: { essential: true, value } } }));
  return refused('RoleAssignmentRequestAcrsValidationFailed', `The following policy rules failed: ["AuthenticationContextRule"]. &claims=${claims}`);
}

export function selfActivate(state: SimulatorState, user: User, body: Record<string, unknown>): Outcome {
  const request = baseRequest(state, user, body, 'selfActivate');
  const now = state.now();
  const assignments = state.tenant.assignments.filter(
    (a) => a.principalId === user.oid && a.roleDefinitionId === request.roleDefinitionId && a.memberType === 'Direct',
  );
  // A start at or after every running activation's end is scheduled only when the setting says so (state.ts, [?]).
  const requestedStart = Date.parse(isRecord(body['scheduleInfo']) ? String(body['scheduleInfo']['startDateTime'] ?? '') : '');
  const followsOn = (a: (typeof assignments)[number]) =>
    state.settings.activationAfterCurrentEnd === 'accept' && a.endDateTime !== null && requestedStart >= Date.parse(a.endDateTime);
  if (assignments.some((a) => isActiveOrPending(a, now) && !followsOn(a))) return refused('RoleAssignmentExists', 'The Role assignment already exists.');
  const pending = state.tenant.requests.some(
    (r) => r.principalId === user.oid && r.roleDefinitionId === request.roleDefinitionId && r.status === 'PendingApproval',
  );
  // [3P] error code for a second request while one awaits approval.
  if (pending) return refused('PendingRoleAssignmentRequest', 'There is already an existing pending Role assignment request.');
  const parsed = parseSchedule(body['scheduleInfo'], now);
  if (!parsed.ok) return refused('BadRequest', parsed.message);
  const schedule = parsed.schedule;
  if (schedule.durationMs !== undefined && schedule.durationMs < MIN_ACTIVE_MS) return TOO_SHORT;
  const policy = policyFor(state.tenant, request.roleDefinitionId);
  const failed = failedRules(state, user, request, policy, schedule);
  if (failed.length > 0) return refused('RoleAssignmentRequestPolicyValidationFailed', `The following policy rules failed: ${JSON.stringify(failed)}`);
  const acrs = acrsRefusal(policy, user);
  if (acrs) return acrs;
  request.scheduleInfo = schedule.echo;
  if (request.isValidationOnly) return { ok: true, request: { ...request, status: 'Granted' } };
  if (policy.approvalRequired) {
    const approvalId = newId();
    state.tenant.approvals.push({
      id: approvalId,
      requestId: request.id,
      steps: [
        {
          id: newId(),
          displayName: null,
          status: 'InProgress',
          reviewResult: 'NotReviewed',
          reviewedBy: null,
          reviewedDateTime: null,
          justification: null,
          approverIds: [...policy.approverIds],
        },
      ],
    });
    Object.assign(request, { status: 'PendingApproval', approvalId, completedDateTime: null });
  } else {
    // The instance starts at the instant the request was taken, the one its echoed schedule shows:
    // a second reading of the clock could be a millisecond later, and an activation asked to start
    // at this one's end would then overlap it (RoleAssignmentExists).
    provision(state, request, now);
  }
  state.tenant.requests.push(request);
  return { ok: true, request };
}

/**
 * Creates the active instance of an accepted activation, visible after `activationDelayMs`. `acceptedAt`:
 * when it was accepted (now, for an approval given now); it starts then, or at its own later start.
 */
export function provision(state: SimulatorState, request: AssignmentRequest, acceptedAt = state.now()): void {
  const startMs = Math.max(acceptedAt, Date.parse(request.scheduleInfo?.startDateTime ?? '') || 0);
  const expiration = request.scheduleInfo?.expiration;
  const durationMs = expiration?.duration
    ? (parseDuration(expiration.duration) ?? 0)
    : Date.parse(expiration?.endDateTime ?? '') - Date.parse(request.scheduleInfo?.startDateTime ?? '');
  const scheduleId = newId();
  state.tenant.assignments.push({
    id: newId(),
    principalId: request.principalId,
    roleDefinitionId: request.roleDefinitionId,
    directoryScopeId: request.directoryScopeId,
    appScopeId: request.appScopeId,
    startDateTime: new Date(startMs).toISOString(),
    endDateTime: new Date(startMs + durationMs).toISOString(),
    assignmentType: 'Activated',
    memberType: 'Direct',
    roleAssignmentOriginId: newId(),
    roleAssignmentScheduleId: scheduleId,
    provisionedDateTime: new Date(state.now() + state.settings.activationDelayMs).toISOString(),
  });
  // A start in the future (issue #16): learn.microsoft.com "Activate a Microsoft Entra role in PIM"
  // (pim-how-to-activate-role, "Self-activate a role eligibility with justification") answers a
  // selfActivate whose scheduleInfo.startDateTime is the next day with 201, status "Granted" and
  // completedDateTime = the start; the portal says "the Microsoft Entra role would be activated after
  // the selected time". The instance above is listed as active only from its startDateTime (model.ts
  // isActive). When the request turns Provisioned at the start is not documented [?]: it stays Granted.
  const future = startMs > state.now();
  Object.assign(request, {
    status: future ? 'Granted' : 'Provisioned',
    targetScheduleId: scheduleId,
    completedDateTime: future ? new Date(startMs).toISOString() : state.nowIso(),
  });
}

export function selfDeactivate(state: SimulatorState, user: User, body: Record<string, unknown>): Outcome {
  const request = baseRequest(state, user, body, 'selfDeactivate');
  const now = state.now();
  const index = state.tenant.assignments.findIndex(
    (a) => a.principalId === user.oid && a.roleDefinitionId === request.roleDefinitionId && a.assignmentType === 'Activated' && isActiveOrPending(a, now),
  );
  const assignment = state.tenant.assignments[index];
  if (!assignment) return refused('RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
  if (now - Date.parse(assignment.startDateTime) < MIN_ACTIVE_MS) return TOO_SHORT;
  state.tenant.assignments.splice(index, 1);
  state.adminRoleEndedAt.set(user.oid, now);
  Object.assign(request, { status: 'Revoked', targetScheduleId: assignment.roleAssignmentScheduleId });
  state.tenant.requests.push(request);
  return { ok: true, request };
}
