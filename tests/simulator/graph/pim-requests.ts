import { collection, graphError, graphRoute, odataContext, type Access, type GraphCall } from './common.js';
import { ASSIGNMENT_READ, FILTER_BY_CURRENT_USER, filterOf } from './pim.js';
import { json, isRecord, stringField, type SimResponse } from '../core/http.js';
import { selfActivate, selfDeactivate } from '../pim/activation.js';
import { transitiveGroups } from '../pim/model.js';
import type { Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';
import type { AssignmentRequest } from '../tenant/model.js';

/**
 * `roleAssignmentScheduleRequests` (docs/api-contracts.md §2): create (201 with the request; read `status`),
 * the caller's history as principal or approver, one request, and cancel.
 */
const ASSIGNMENT_WRITE: Access = {
  delegated: ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'],
  application: ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'],
};
const REQUESTS = ['roleManagement', 'directory', 'roleAssignmentScheduleRequests'];
const ENTITY = 'roleManagement/directory/roleAssignmentScheduleRequests/$entity';

function entity(call: GraphCall, request: AssignmentRequest, status = 200): SimResponse {
  return json(status, { '@odata.context': odataContext(call, ENTITY), ...request });
}

function create(call: GraphCall): SimResponse {
  const body = call.req.body;
  if (!isRecord(body)) return graphError(call, 400, 'BadRequest', 'The request body is missing or is not a JSON object.');
  const action = stringField(body, 'action') ?? '';
  for (const field of ['action', 'principalId', 'roleDefinitionId']) {
    if (!stringField(body, field)) return graphError(call, 400, 'BadRequest', `The property '${field}' is required.`);
  }
  if (!stringField(body, 'directoryScopeId') && !stringField(body, 'appScopeId'))
    return graphError(call, 400, 'BadRequest', 'Either directoryScopeId or appScopeId is required.');
  const user = call.principal;
  if (!action.toLowerCase().startsWith('self')) return graphError(call, 501, 'NotImplemented', `The tenant simulator does not implement action '${action}'.`);
  if (user.kind !== 'user') return graphError(call, 400, 'BadRequest', 'Self actions need a delegated (user) token.');
  // The principal of a self action is always the caller (docs/api-contracts.md §2 "Traps"); the exact refusal is [?].
  if (stringField(body, 'principalId') !== user.oid)
    return graphError(call, 403, 'Authorization_RequestDenied', 'The principal of a self action must be the signed-in user.');
  let outcome;
  switch (action.toLowerCase()) {
    case 'selfactivate':
      outcome = selfActivate(call.ctx.state, user, body);
      break;
    case 'selfdeactivate':
      outcome = selfDeactivate(call.ctx.state, user, body);
      break;
    default:
      return graphError(call, 501, 'NotImplemented', `The tenant simulator does not implement action '${action}'.`);
  }
  return outcome.ok ? entity(call, outcome.request, 201) : graphError(call, outcome.status, outcome.code, outcome.message);
}

function isApproverOf(call: GraphCall, request: AssignmentRequest): boolean {
  const approval = call.ctx.state.tenant.approvals.find((a) => a.id === request.approvalId);
  const me = new Set([call.principal.oid, ...transitiveGroups(call.ctx.state.tenant, call.principal.oid)]);
  return approval?.steps.some((s) => s.approverIds.some((id) => me.has(id))) ?? false;
}

function mine(call: GraphCall): SimResponse {
  const on = call.params['on']?.toLowerCase();
  if (on !== 'principal' && on !== 'approver') return graphError(call, 400, 'BadRequest', `Unsupported value for 'on': ${call.params['on']}.`);
  const filter = filterOf(call, ['status', 'roleDefinitionId', 'action', 'principalId', 'id']);
  if (!Array.isArray(filter)) return filter;
  const items = call.ctx.state.tenant.requests
    .filter((r) => (on === 'principal' ? r.principalId === call.principal.oid : r.principalId !== call.principal.oid && isApproverOf(call, r)))
    .filter((r) => filter.every((c) => String((r as unknown as Record<string, unknown>)[c.field] ?? '').toLowerCase() === String(c.value).toLowerCase()));
  return collection(call, items, 'Collection(unifiedRoleAssignmentScheduleRequest)');
}

function findVisible(call: GraphCall): { request: AssignmentRequest } | { response: SimResponse } {
  const request = call.ctx.state.tenant.requests.find((r) => r.id === call.params['id']);
  const visible = request && (call.principal.kind === 'app' || request.principalId === call.principal.oid || isApproverOf(call, request));
  return visible ? { request } : { response: graphError(call, 404, 'ResourceNotFound', `The request ${call.params['id']} was not found.`) };
}

function one(call: GraphCall): SimResponse {
  const found = findVisible(call);
  return 'response' in found ? found.response : entity(call, found.request);
}

function cancel(call: GraphCall): SimResponse {
  const found = findVisible(call);
  if ('response' in found) return found.response;
  const request = found.request;
  if (request.principalId !== call.principal.oid) return graphError(call, 403, 'Authorization_RequestDenied', 'Only the requestor can cancel a request.');
  // The code for a request that is no longer cancelable is [?].
  if (!cancelable(call.ctx.state, request)) return graphError(call, 400, 'RequestNotCancelable', `The request is ${request.status} and cannot be canceled.`);
  const state = call.ctx.state;
  // A Granted activation that has not started yet: its instance never starts (the schedule is what the request created).
  state.tenant.assignments = state.tenant.assignments.filter(
    (a) => a.roleAssignmentScheduleId !== request.targetScheduleId || request.targetScheduleId === null,
  );
  Object.assign(request, { status: 'Canceled', completedDateTime: state.nowIso() });
  for (const step of state.tenant.approvals.find((a) => a.id === request.approvalId)?.steps ?? []) step.status = 'Completed';
  return json(204);
}

/**
 * Graph v1.0 "unifiedRoleAssignmentScheduleRequest: cancel" (learn.microsoft.com/graph/api/
 * unifiedroleassignmentschedulerequest-cancel): "Immediately cancel a unifiedRoleAssignmentScheduleRequest
 * object that is in a Granted status … the status of the canceled unifiedRoleAssignmentScheduleRequest changes
 * to Canceled"; 204; "a unifiedRoleAssignmentScheduleRequest object whose status is Provisioned or Failed"
 * gets 400. Also a request still waiting for approval (docs/api-contracts.md §2). This simulator keeps a future
 * activation `Granted` after its start (activation.ts); once started it counts as Provisioned here [?].
 */
function cancelable(state: SimContext['state'], request: AssignmentRequest): boolean {
  if (request.status === 'PendingApproval') return true;
  if (request.status !== 'Granted' || request.action !== 'selfActivate') return false;
  return Date.parse(request.scheduleInfo?.startDateTime ?? '') > state.now();
}

export const graphPimRequestRoutes: Route<SimContext>[] = [
  graphRoute('POST', REQUESTS, ASSIGNMENT_WRITE, create),
  graphRoute('GET', [...REQUESTS, FILTER_BY_CURRENT_USER], { ...ASSIGNMENT_READ, userOnly: true }, mine),
  graphRoute('GET', [...REQUESTS, ':id'], ASSIGNMENT_READ, one),
  graphRoute('POST', [...REQUESTS, ':id', 'cancel'], { ...ASSIGNMENT_WRITE, userOnly: true }, cancel),
];
