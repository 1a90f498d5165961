import { graphError, graphRoute, odataContext, type Access, type GraphCall } from './common.js';
import { json, stringField, type SimResponse } from '../core/http.js';
import { provision } from '../pim/activation.js';
import { transitiveGroups } from '../pim/model.js';
import type { Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';
import type { Approval, ApprovalStep } from '../tenant/model.js';

/**
 * Approvals of PIM requests, beta only for Entra roles, delegated only (docs/api-contracts.md §2): read an
 * approval with `assignedToMe` per step; decide a step (204; 403 not an approver; 404 unknown; 409
 * already decided). An approval activates the requester's role; a denial ends the request.
 */
const READ: Access = {
  delegated: ['RoleAssignmentSchedule.Read.Directory', 'RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'],
  application: [],
  userOnly: true,
};
const DECIDE: Access = { delegated: ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'], application: [], userOnly: true };
const APPROVALS = ['roleManagement', 'directory', 'roleAssignmentApprovals', ':approvalId'];

function assignedToMe(call: GraphCall, approval: Approval, step: ApprovalStep): boolean {
  const request = call.ctx.state.tenant.requests.find((r) => r.id === approval.requestId);
  if (!request || request.principalId === call.principal.oid) return false;
  const me = new Set([call.principal.oid, ...transitiveGroups(call.ctx.state.tenant, call.principal.oid)]);
  return step.approverIds.some((id) => me.has(id));
}

function findApproval(call: GraphCall): Approval | undefined {
  return call.ctx.state.tenant.approvals.find((a) => a.id === call.params['approvalId']);
}

function read(call: GraphCall): SimResponse {
  const approval = findApproval(call);
  if (!approval) return graphError(call, 404, 'ResourceNotFound', `The approval ${call.params['approvalId']} was not found.`);
  const steps = approval.steps.map((step) => {
    const { approverIds: _simulatorOnly, ...visible } = step;
    return { ...visible, assignedToMe: assignedToMe(call, approval, step) };
  });
  return json(200, { '@odata.context': odataContext(call, 'roleManagement/directory/roleAssignmentApprovals/$entity'), id: approval.id, steps });
}

function decide(call: GraphCall): SimResponse {
  const approval = findApproval(call);
  const step = approval?.steps.find((s) => s.id === call.params['stepId']);
  if (!approval || !step) return graphError(call, 404, 'ResourceNotFound', 'The approval or approval step was not found.');
  if (!assignedToMe(call, approval, step)) return graphError(call, 403, 'Authorization_RequestDenied', 'The caller is not an approver of this step.');
  if (step.status === 'Completed' || step.status === 'Expired') return graphError(call, 409, 'Conflict', 'The approval step has already been completed.');
  const result = stringField(call.req.body, 'reviewResult') ?? '';
  const justification = stringField(call.req.body, 'justification')?.trim();
  if (!['approve', 'deny'].includes(result.toLowerCase())) return graphError(call, 400, 'BadRequest', "reviewResult must be 'Approve' or 'Deny'.");
  if (!justification) return graphError(call, 400, 'BadRequest', 'A justification is required to review this step.');
  const user = call.principal.kind === 'user' ? call.principal : undefined;
  Object.assign(step, {
    status: 'Completed',
    reviewResult: result.toLowerCase() === 'approve' ? 'Approved' : 'Denied',
    reviewedBy: { id: call.principal.oid, displayName: user?.name ?? '' },
    reviewedDateTime: call.ctx.state.nowIso(),
    justification,
  });
  const request = call.ctx.state.tenant.requests.find((r) => r.id === approval.requestId);
  if (request && request.status === 'PendingApproval') {
    if (step.reviewResult === 'Approved') provision(call.ctx.state, request);
    else Object.assign(request, { status: 'Denied', completedDateTime: call.ctx.state.nowIso() });
  }
  return json(204);
}

export const graphPimApprovalRoutes: Route<SimContext>[] = [
  graphRoute('GET', APPROVALS, READ, read, true),
  graphRoute('PATCH', [...APPROVALS, 'steps', ':stepId'], DECIDE, decide, true),
];
