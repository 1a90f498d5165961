/**
 * Power Platform role-based access control (issue #14), pure: the built-in roles Elevate treats
 * specially, scopes and principals. Role names and permissions come from the Authorization API
 * (`/authorization/roleDefinitions`); only the ids below are fixed (docs/api-contracts.md §3).
 */

/** Documented built-in role definition ids (tutorial "Assign roles to service principals" [D]). */
export const RBAC_OWNER = '0cb07c69-1631-4725-ab35-e59e001c51ea';
export const RBAC_CONTRIBUTOR = 'ff954d61-a89a-4fbe-ace9-01c367b89f87';
export const RBAC_READER = 'c886ad2e-27f7-4874-8381-5849b8d8a090';
export const RBAC_ADMINISTRATOR = '95e94555-018c-447b-8691-bdac8e12211e';

/** Roles that can hand out access themselves: every grant of them needs someone else's approval. */
export const ROLES_NEEDING_APPROVAL: readonly string[] = [RBAC_OWNER, RBAC_ADMINISTRATOR];

export interface RbacRoleDefinition {
  id: string;
  name: string;
  permissions: readonly string[];
}

export type RbacScopeKind = 'tenant' | 'environmentGroup' | 'environment';

export interface RbacScope {
  kind: RbacScopeKind;
  /** Environment or environment group id; absent for the tenant. */
  id?: string;
  displayName: string;
}

/**
 * Who gets the role. The Authorization API's principal types are `User`, `Group` and
 * `ApplicationUser` (a service principal, by its enterprise application object id) [S]; Elevate
 * grants to users and service principals only (groups are out of scope, issue #14).
 */
export type RbacPrincipal = { type: 'User'; id: string; name: string } | { type: 'ApplicationUser'; id: string; appId: string; name: string };

/** The scope string the Authorization API expects for `scope` in `tenantId`. */
export function scopePath(tenantId: string, scope: Pick<RbacScope, 'kind' | 'id'>): string {
  if (scope.kind === 'environment') return `/tenants/${tenantId}/environments/${scope.id}`;
  if (scope.kind === 'environmentGroup') return `/tenants/${tenantId}/environmentGroups/${scope.id}`;
  return `/tenants/${tenantId}`;
}

export function describeScope(scope: RbacScope): string {
  if (scope.kind === 'tenant') return 'the tenant';
  return scope.kind === 'environmentGroup' ? `environment group ${scope.displayName}` : scope.displayName;
}

/** Case-insensitive role lookup by id or by name ("contributor", "Power Platform contributor", "RBAC Administrator"). */
export function findRole(definitions: readonly RbacRoleDefinition[], typed: string): RbacRoleDefinition | undefined {
  const text = normalise(typed);
  if (text === '') return undefined;
  const byId = definitions.find((d) => d.id.toLowerCase() === text);
  if (byId) return byId;
  const aliases = (d: RbacRoleDefinition) => {
    const name = normalise(d.name);
    const short = name.replace(/^power platform /, '');
    const extra = d.id === RBAC_ADMINISTRATOR ? ['rbac administrator', 'rbac admin'] : [];
    return [name, short, ...extra];
  };
  return definitions.find((d) => aliases(d).includes(text));
}

function normalise(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}
