import { collection, graphError, graphRoute, type Access, type GraphCall } from './common.js';
import { holdsSupportedRole, PIM_POLICY_READERS } from './directory-roles.js';
import { policyAssignment, policyFor } from './policy.js';
import type { SimResponse } from '../core/http.js';
import { parseFilter, parseSelect, project, type Comparison } from '../core/odata-filter.js';
import { activeEligibilities, isActive, transitiveGroups } from '../pim/model.js';
import type { Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';

/**
 * PIM reads (docs/api-contracts.md §2): the signed-in user's eligible and active roles, the app-only list of
 * assignment instances (expiry checks), and a role's activation policy.
 */
const RM_READ = ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'RoleManagement.ReadWrite.Directory'];
export const ELIGIBILITY_READ: Access = {
  delegated: ['RoleEligibilitySchedule.Read.Directory', 'RoleEligibilitySchedule.ReadWrite.Directory', ...RM_READ],
  application: [],
};
export const ASSIGNMENT_READ: Access = {
  delegated: ['RoleAssignmentSchedule.Read.Directory', 'RoleAssignmentSchedule.ReadWrite.Directory', ...RM_READ],
  application: ['RoleAssignmentSchedule.Read.Directory', 'RoleAssignmentSchedule.ReadWrite.Directory', ...RM_READ],
};
const POLICY_READ: Access = {
  delegated: ['RoleManagementPolicy.Read.Directory', 'RoleManagementPolicy.ReadWrite.Directory', ...RM_READ],
  application: ['RoleManagementPolicy.Read.Directory', 'RoleManagementPolicy.ReadWrite.Directory', ...RM_READ],
};

const INSTANCE_FIELDS = ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'appScopeId', 'memberType', 'assignmentType'];
export const FILTER_BY_CURRENT_USER = /^filterByCurrentUser\(on='(?<on>\w+)'\)$/i;

/** Parsed `$filter` restricted to `fields`, or the 400 to answer. */
export function filterOf(call: GraphCall, fields: readonly string[]): Comparison[] | SimResponse {
  const raw = call.req.query.get('$filter');
  if (raw === null) return [];
  const parsed = parseFilter(raw);
  const unknown = parsed?.find((c) => !fields.some((f) => f.toLowerCase() === c.field.toLowerCase()) || !c.quoted);
  if (!parsed || unknown) return graphError(call, 400, 'BadRequest', `Invalid filter clause: ${raw}`);
  return parsed;
}

function matches(item: Record<string, unknown>, filter: readonly Comparison[]): boolean {
  return filter.every((c) => {
    const key = Object.keys(item).find((k) => k.toLowerCase() === c.field.toLowerCase());
    return key !== undefined && String(item[key]).toLowerCase() === String(c.value).toLowerCase();
  });
}

/**
 * Applies `$filter`, `$expand` (`roleDefinition` and/or `principal`, the relationships of schedule
 * instances, Graph reference "unifiedRoleEligibilityScheduleInstance") and `$select`; strips
 * simulator-only fields.
 */
function present(call: GraphCall, items: Record<string, unknown>[], what: string): SimResponse {
  const filter = filterOf(call, INSTANCE_FIELDS);
  if (!Array.isArray(filter)) return filter;
  const expand = (call.req.query.get('$expand') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const unknown = expand.find((e) => !['roledefinition', 'principal'].includes(e.toLowerCase()));
  if (unknown) return graphError(call, 400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${unknown}'.`);
  const select = parseSelect(call.req.query.get('$select'));
  const tenant = call.ctx.state.tenant;
  const expanded = new Set(expand.map((e) => e.toLowerCase()));
  const out = items
    .filter((item) => matches(item, filter))
    .map(({ provisionedDateTime: _hidden, ...item }) => {
      const shown: Record<string, unknown> = project(item, select);
      if (expanded.has('roledefinition')) {
        const role = tenant.roleDefinitions.find((r) => r.id === item['roleDefinitionId']);
        shown['roleDefinition'] = role ? { id: role.id, displayName: role.displayName, templateId: role.id, isBuiltIn: true, isEnabled: true } : null;
      }
      if (expanded.has('principal')) shown['principal'] = directoryObject(call, String(item['principalId']));
      return shown;
    });
  return collection(call, out, what);
}

/** A user or group as a `directoryObject` with its `@odata.type`. */
function directoryObject(call: GraphCall, id: string): Record<string, unknown> | null {
  const tenant = call.ctx.state.tenant;
  const user = tenant.users.find((u) => u.id === id);
  if (user) return { '@odata.type': '#microsoft.graph.user', id: user.id, displayName: user.name, userPrincipalName: user.upn };
  const group = tenant.groups.find((g) => g.id === id);
  if (group) return { '@odata.type': '#microsoft.graph.group', id: group.id, displayName: group.displayName, securityEnabled: true };
  return null;
}

/**
 * The user's own instances and those of the groups they belong to. A group's instance keeps the
 * group as `principalId` and says `memberType: "Group"` (MicrosoftDocs/azure-docs#113251 [3P];
 * the reference names the value only).
 */
function mineOrMyGroups(call: GraphCall, principalId: string): boolean {
  return principalId === call.principal.oid || transitiveGroups(call.ctx.state.tenant, call.principal.oid).has(principalId);
}

function onPrincipal(call: GraphCall): SimResponse | undefined {
  return call.params['on']?.toLowerCase() === 'principal'
    ? undefined
    : graphError(call, 400, 'BadRequest', `Unsupported value for 'on': ${call.params['on']}.`);
}

function myEligibilities(call: GraphCall): SimResponse {
  const bad = onPrincipal(call);
  if (bad) return bad;
  const principals = [call.principal.oid, ...transitiveGroups(call.ctx.state.tenant, call.principal.oid)];
  const items = principals.flatMap((id) => activeEligibilities(call.ctx.state, id)) as unknown as Record<string, unknown>[];
  return present(call, items, 'Collection(unifiedRoleEligibilityScheduleInstance)');
}

function myAssignments(call: GraphCall): SimResponse {
  const bad = onPrincipal(call);
  if (bad) return bad;
  const now = call.ctx.state.now();
  const items = call.ctx.state.tenant.assignments.filter((a) => mineOrMyGroups(call, a.principalId) && isActive(a, now));
  return present(call, items as unknown as Record<string, unknown>[], 'Collection(unifiedRoleAssignmentScheduleInstance)');
}

function allAssignments(call: GraphCall): SimResponse {
  const now = call.ctx.state.now();
  const items = call.ctx.state.tenant.assignments.filter((a) => isActive(a, now));
  return present(call, items as unknown as Record<string, unknown>[], 'roleManagement/directory/roleAssignmentScheduleInstances');
}

function policyAssignments(call: GraphCall): SimResponse {
  if (!holdsSupportedRole(call.ctx, call.principal, PIM_POLICY_READERS))
    return graphError(call, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const filter = filterOf(call, ['scopeId', 'scopeType', 'roleDefinitionId']);
  if (!Array.isArray(filter)) return filter;
  const scopeId = filter.find((c) => c.field.toLowerCase() === 'scopeid')?.value;
  const scopeType = filter.find((c) => c.field.toLowerCase() === 'scopetype')?.value;
  // The scope filter is mandatory on this endpoint (docs/api-contracts.md §2); the exact error text is [?].
  if (scopeId !== '/' || scopeType?.toLowerCase() !== 'directoryrole') {
    return graphError(call, 400, 'BadRequest', "The filter must specify scopeId eq '/' and scopeType eq 'DirectoryRole'.");
  }
  const expand = (call.req.query.get('$expand') ?? '').replace(/\s+/g, '').toLowerCase();
  if (expand !== '' && expand !== 'policy' && expand !== 'policy($expand=rules)') return graphError(call, 400, 'BadRequest', `Unsupported $expand: ${expand}.`);
  const roleId = filter.find((c) => c.field.toLowerCase() === 'roledefinitionid')?.value;
  const tenant = call.ctx.state.tenant;
  const roleIds = roleId ? [roleId] : tenant.roleDefinitions.map((r) => r.id);
  const items = roleIds
    .filter((id) => tenant.roleDefinitions.some((r) => r.id === id))
    .map((id) => {
      const assignment = policyAssignment(tenant, policyFor(tenant, id), expand !== '');
      const policy = assignment['policy'] as Record<string, unknown> | undefined;
      if (policy && expand === 'policy') delete policy['rules'];
      return assignment;
    });
  return collection(call, items, 'policies/roleManagementPolicyAssignments');
}

const directory = ['roleManagement', 'directory'];

export const graphPimRoutes: Route<SimContext>[] = [
  graphRoute('GET', [...directory, 'roleEligibilityScheduleInstances', FILTER_BY_CURRENT_USER], { ...ELIGIBILITY_READ, userOnly: true }, myEligibilities),
  graphRoute('GET', [...directory, 'roleAssignmentScheduleInstances', FILTER_BY_CURRENT_USER], { ...ASSIGNMENT_READ, userOnly: true }, myAssignments),
  graphRoute('GET', [...directory, 'roleAssignmentScheduleInstances'], ASSIGNMENT_READ, allAssignments),
  graphRoute('GET', ['policies', 'roleManagementPolicyAssignments'], POLICY_READ, policyAssignments),
];
