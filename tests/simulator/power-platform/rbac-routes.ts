import { isRecord, json, type SimResponse } from '../core/http.js';
import { route, type Route } from '../core/router.js';
import { newId, type SimContext } from '../core/state.js';
import { servicePrincipals } from '../graph/directory-model.js';
import type { RbacAssignment, RbacPrincipalType } from '../tenant/model.js';
import { RBAC_ROLE_DEFINITIONS } from '../tenant/rbac-seed.js';
import { mayManage, mayRead, scopeExists, scopeString, type PathScope, type ScopeKind } from './rbac-scope.js';
import { ppError, versioned, type PpCall } from './routes.js';

/**
 * The Power Platform Authorization API (RBAC, preview; docs/api-contracts.md §3 "RBAC"):
 * - `GET /authorization/roleDefinitions` → `{value:[{roleDefinitionId, roleDefinitionName, permissions}]}` [D];
 * - `POST|GET /authorization/roleAssignments`, `/authorization/environmentGroups/{id}/roleAssignments`,
 *   `/authorization/environments/{id}/roleAssignments`; `DELETE .../roleAssignments/{id}` (paths and
 *   body `{principalObjectId, principalType, scope, roleDefinitionId}`: Microsoft's
 *   EnterprisePolicies module, RoleAssignmentOperations.ps1 [S]);
 * - principal types `User`, `Group`, `ApplicationUser` (a service principal by its enterprise
 *   application object id) [S];
 * - api-version: `2024-10-01` (docs/api-contracts.md [D]), `2022-03-01-preview` (REST reference
 *   "List Role Assignments" [D]) and `1` (what the module sends [S]).
 * Error codes and statuses the docs do not give are [?]: 400 `InvalidScope` (scope not the path's, or
 * naming nothing), 400 `PrincipalNotFound` (no such principal of that type), 400 `RoleDefinitionNotFound`,
 * 400 `InvalidRequestBody`, 403 `Forbidden` (caller lacks the role), 404 `RoleAssignmentNotFound` on
 * delete ("The role assignment does not exist." [D]), 409 `RoleAssignmentAlreadyExists`; 201 on
 * create [D], 204 on delete [D] (the module also accepts 200 [S]). Lists page with `@odata.nextLink`
 * (the module follows it [S]): 50 a page [?], or `$top`. 429/5xx/latency come from the fault control.
 */
const VERSIONS = ['2024-10-01', '2022-03-01-preview', '1'];
const PRINCIPAL_TYPES: readonly RbacPrincipalType[] = ['User', 'Group', 'ApplicationUser'];
const PAGE_SIZE = 50;

function pathScope(kind: ScopeKind, call: PpCall): PathScope {
  return kind === 'tenant' ? { kind } : { kind, id: call.params['scopeId'] };
}

const forbidden = (call: PpCall) =>
  ppError(403, 'Forbidden', `The caller '${call.principal.oid}' does not have permission to manage role assignments at this scope.`);

function principalExists(ctx: SimContext, id: string, type: RbacPrincipalType): boolean {
  const lower = id.toLowerCase();
  if (type === 'User') return ctx.state.tenant.users.some((u) => u.id.toLowerCase() === lower);
  if (type === 'Group') return ctx.state.tenant.groups.some((g) => g.id.toLowerCase() === lower);
  return servicePrincipals(ctx.state.tenant).some((sp) => sp.id.toLowerCase() === lower);
}

function roleDefinitions(): SimResponse {
  return json(200, { value: RBAC_ROLE_DEFINITIONS });
}

function list(kind: ScopeKind) {
  return (call: PpCall): SimResponse => {
    const scope = pathScope(kind, call);
    if (!scopeExists(call.ctx, scope)) return ppError(400, 'InvalidScope', `The scope '${scopeString(call.ctx.state.tenant.tenantId, scope)}' does not exist.`);
    if (!mayRead(call, scope)) return forbidden(call);
    const wanted = scopeString(call.ctx.state.tenant.tenantId, scope).toLowerCase();
    const all = call.ctx.state.tenant.rbacAssignments.filter((a) => a.scope.toLowerCase() === wanted);
    const top = Number(call.req.query.get('$top') ?? PAGE_SIZE);
    const skip = Number(call.req.query.get('$skiptoken') ?? '0');
    if (!Number.isInteger(top) || top < 1 || !Number.isInteger(skip) || skip < 0) return ppError(400, 'InvalidQuery', 'Invalid $top or $skiptoken.');
    const body: Record<string, unknown> = { value: all.slice(skip, skip + top) };
    if (skip + top < all.length) {
      const next = new URLSearchParams(call.req.query);
      next.set('$skiptoken', String(skip + top));
      body['@odata.nextLink'] = `${call.ctx.baseUrl}${call.req.path}?${next.toString()}`;
    }
    return json(200, body);
  };
}

function create(kind: ScopeKind) {
  return (call: PpCall): SimResponse => {
    const { ctx } = call;
    const scope = pathScope(kind, call);
    const body = call.req.body;
    const field = (k: string) => (isRecord(body) && typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const [roleDefinitionId, principalObjectId, principalType, scopeText] = [
      field('roleDefinitionId'),
      field('principalObjectId'),
      field('principalType'),
      field('scope'),
    ];
    if (!roleDefinitionId || !principalObjectId || !principalType || !scopeText) {
      return ppError(400, 'InvalidRequestBody', 'roleDefinitionId, principalObjectId, principalType and scope are required.');
    }
    const expected = scopeString(ctx.state.tenant.tenantId, scope);
    if (!scopeExists(ctx, scope) || scopeText.toLowerCase() !== expected.toLowerCase()) {
      return ppError(400, 'InvalidScope', `The scope '${scopeText}' is not valid for this request.`);
    }
    if (!mayManage(call, scope)) return forbidden(call);
    if (!RBAC_ROLE_DEFINITIONS.some((r) => r.roleDefinitionId === roleDefinitionId)) {
      return ppError(400, 'RoleDefinitionNotFound', `The role definition '${roleDefinitionId}' does not exist.`);
    }
    const type = PRINCIPAL_TYPES.find((t) => t === principalType);
    if (!type) return ppError(400, 'InvalidPrincipalType', `The principal type '${principalType}' is not supported.`);
    if (!principalExists(ctx, principalObjectId, type)) {
      return ppError(400, 'PrincipalNotFound', `The principal '${principalObjectId}' of type '${type}' was not found in the tenant.`);
    }
    const duplicate = ctx.state.tenant.rbacAssignments.find(
      (a) =>
        a.principalObjectId.toLowerCase() === principalObjectId.toLowerCase() &&
        a.roleDefinitionId === roleDefinitionId &&
        a.scope.toLowerCase() === expected.toLowerCase(),
    );
    if (duplicate) return ppError(409, 'RoleAssignmentAlreadyExists', `The role assignment already exists (${duplicate.roleAssignmentId}).`);
    const created: RbacAssignment = {
      roleAssignmentId: newId(),
      principalObjectId,
      principalType: type,
      roleDefinitionId,
      scope: expected,
      createdOn: ctx.state.nowIso(),
    };
    ctx.state.tenant.rbacAssignments.push(created);
    return json(201, created);
  };
}

function remove(kind: ScopeKind) {
  return (call: PpCall): SimResponse => {
    const { ctx } = call;
    const scope = pathScope(kind, call);
    if (!scopeExists(ctx, scope)) return ppError(400, 'InvalidScope', `The scope '${scopeString(ctx.state.tenant.tenantId, scope)}' does not exist.`);
    if (!mayManage(call, scope)) return forbidden(call);
    const wanted = scopeString(ctx.state.tenant.tenantId, scope).toLowerCase();
    const id = call.params['roleAssignmentId']!.toLowerCase();
    const index = ctx.state.tenant.rbacAssignments.findIndex((a) => a.roleAssignmentId.toLowerCase() === id && a.scope.toLowerCase() === wanted);
    if (index < 0) return ppError(404, 'RoleAssignmentNotFound', 'The role assignment does not exist.');
    ctx.state.tenant.rbacAssignments.splice(index, 1);
    return json(204);
  };
}

const PREFIX: Record<ScopeKind, string> = {
  tenant: '/powerplatform/authorization',
  environmentGroup: '/powerplatform/authorization/environmentGroups/:scopeId',
  environment: '/powerplatform/authorization/environments/:scopeId',
};

export const rbacRoutes: Route<SimContext>[] = [
  route('GET', '/powerplatform/authorization/roleDefinitions', versioned(VERSIONS, roleDefinitions)),
  ...(['environmentGroup', 'environment', 'tenant'] as const).flatMap((kind) => [
    route('GET', `${PREFIX[kind]}/roleAssignments`, versioned(VERSIONS, list(kind))),
    route('POST', `${PREFIX[kind]}/roleAssignments`, versioned(VERSIONS, create(kind))),
    route('DELETE', `${PREFIX[kind]}/roleAssignments/:roleAssignmentId`, versioned(VERSIONS, remove(kind))),
  ]),
];
