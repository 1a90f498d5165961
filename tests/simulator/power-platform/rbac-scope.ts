import type { SimContext } from '../core/state.js';
import type { RbacAssignment } from '../tenant/model.js';
import { RBAC_ROLES } from '../tenant/rbac-seed.js';
import { isHonouredAdmin, type PpCall } from './routes.js';

/**
 * Scopes and the caller's right to manage role assignments in the Authorization API.
 *
 * Scope strings are `/tenants/{tid}`, `/tenants/{tid}/environmentGroups/{id}` and
 * `/tenants/{tid}/environments/{id}` (Microsoft.PowerPlatform.EnterprisePolicies
 * `RoleAssignmentOperations.ps1` [S]); a role held at the tenant covers its groups and
 * environments, one held on a group covers the group's environments ("scope inheritance",
 * learn.microsoft.com/power-platform/admin, role-based access control [D]).
 */
export type ScopeKind = 'tenant' | 'environmentGroup' | 'environment';

export interface PathScope {
  kind: ScopeKind;
  /** Environment or environment group id from the path; absent at tenant scope. */
  id?: string;
}

export function scopeString(tenantId: string, scope: PathScope): string {
  if (scope.kind === 'environment') return `/tenants/${tenantId}/environments/${scope.id}`;
  if (scope.kind === 'environmentGroup') return `/tenants/${tenantId}/environmentGroups/${scope.id}`;
  return `/tenants/${tenantId}`;
}

/** The path's scope names something that exists in this tenant. */
export function scopeExists(ctx: SimContext, scope: PathScope): boolean {
  const id = scope.id?.toLowerCase();
  if (scope.kind === 'environment') return ctx.state.tenant.environments.some((e) => e.id.toLowerCase() === id);
  if (scope.kind === 'environmentGroup') return ctx.state.tenant.environmentGroups.some((g) => g.id.toLowerCase() === id);
  return true;
}

/** The scopes whose assignments apply at `scope`: itself, its environment group (environments), the tenant. */
export function coveringScopes(ctx: SimContext, scope: PathScope): string[] {
  const tenantId = ctx.state.tenant.tenantId;
  const scopes = [scopeString(tenantId, scope).toLowerCase(), `/tenants/${tenantId}`.toLowerCase()];
  if (scope.kind === 'environment') {
    for (const group of ctx.state.tenant.environmentGroups) {
      if (group.environmentIds.some((e) => e.toLowerCase() === scope.id?.toLowerCase())) {
        scopes.push(scopeString(tenantId, { kind: 'environmentGroup', id: group.id }).toLowerCase());
      }
    }
  }
  return scopes;
}

function holds(ctx: SimContext, principalId: string, roles: readonly string[], scope: PathScope): boolean {
  const covering = coveringScopes(ctx, scope);
  return ctx.state.tenant.rbacAssignments.some(
    (a: RbacAssignment) =>
      a.principalObjectId.toLowerCase() === principalId.toLowerCase() && roles.includes(a.roleDefinitionId) && covering.includes(a.scope.toLowerCase()),
  );
}

/**
 * "The calling identity must have the Power Platform Administrator or Power Platform role-based access
 * control administrator role" (the tutorial's prerequisites [D]): an active Entra admin role Power
 * Platform honours (Global Administrator counts as well [?]), a registered management application
 * ("treated as a Power Platform Administrator" [D]), or the RBAC Administrator role covering the scope.
 * Owner also has "all permissions" [D], so it may manage assignments too [?].
 */
export function mayManage(call: PpCall, scope: PathScope): boolean {
  const { ctx, principal } = call;
  if (principal.kind === 'user' && isHonouredAdmin(ctx, principal.oid, true)) return true;
  if (principal.kind === 'app' && ctx.state.tenant.apps.some((a) => a.clientId === principal.appid && a.powerPlatformManagementApp === true)) return true;
  return holds(ctx, principal.oid, [RBAC_ROLES.rbacAdministrator, RBAC_ROLES.owner], scope);
}

/** Listing also works for every RBAC role covering the scope (all include read) [?]. */
export function mayRead(call: PpCall, scope: PathScope): boolean {
  return mayManage(call, scope) || holds(call.ctx, call.principal.oid, [RBAC_ROLES.contributor, RBAC_ROLES.reader], scope);
}
