import type { EnvironmentRef } from '../domain/environment.js';
import { HttpError, ThrottledError } from '../domain/errors.js';
import type { RbacScope } from '../domain/rbac.js';
import { classifyRbacHolders, type ActiveGrant, type ClassifiedRbacHolder, type RbacHolderRecord } from '../domain/standing-rbac.js';
import { GRANT_TIMER_KINDS } from './grants/grant-schedule.js';
import { getGrant } from './grants/grant-store.js';
import { mapLimited, type StandingAccessDeps } from './standing-access-deps.js';

export type { RbacReader } from './standing-access-deps.js';

/** The RBAC part of an inventory: its holders, or why Elevate did not read them. */
export type RbacInventory =
  | { status: 'read'; holders: ClassifiedRbacHolder[]; unread: { scope: RbacScope; message: string }[] }
  | { status: 'notConfigured' | 'accessDenied' | 'failed'; message: string };

/** Active Elevate grants, found through their expiry timers (a grant is active until its expiry timer ends it). */
async function activeGrants(deps: Pick<StandingAccessDeps, 'store' | 'timers'>): Promise<ActiveGrant[]> {
  const ids = new Set((await deps.timers.list()).filter((t) => t.kind === GRANT_TIMER_KINDS.expire).map((t) => t.subject));
  const grants = await Promise.all([...ids].map((id) => getGrant(deps.store, id)));
  return grants.flatMap((found) => {
    const g = found?.value;
    if (!g || g.state !== 'active' || g.preExisting || !g.activeUntil) return [];
    return [
      { ...(g.assignmentId ? { assignmentId: g.assignmentId } : {}), principalId: g.principal.id, roleId: g.role.id, scope: g.scope, until: g.activeUntil },
    ];
  });
}

/** The scopes read: the tenant (its roles apply in every environment), the environment groups for `all`, each environment. */
function scopesOf(groupList: readonly { id: string; displayName: string }[], environments: readonly EnvironmentRef[], whole: boolean): RbacScope[] {
  const groups: RbacScope[] = whole ? groupList.map((g) => ({ kind: 'environmentGroup', id: g.id, displayName: g.displayName })) : [];
  const each: RbacScope[] = environments.map((e) => ({ kind: 'environment', id: e.id, displayName: e.displayName }));
  return [{ kind: 'tenant', displayName: 'Tenant' }, ...groups, ...each];
}

const denied = (error: unknown): boolean => error instanceof HttpError && !(error instanceof ThrottledError) && (error.status === 401 || error.status === 403);
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Power Platform RBAC role holders (Owner, Contributor, Reader, RBAC Administrator, and any other role the API
 * defines) at the tenant, the policy's environment groups (`whole`) and each environment, classified like
 * System Administrator holders. Reads only; the RBAC identity's 401/403 is the whole part's status.
 */
export async function rbacInventory(
  deps: Pick<StandingAccessDeps, 'rbac' | 'store' | 'timers' | 'settings' | 'concurrency' | 'logger'>,
  environments: readonly EnvironmentRef[],
  whole: boolean,
): Promise<RbacInventory> {
  const reader = deps.rbac;
  if (!reader) return { status: 'notConfigured', message: 'ELEVATE_RBAC_CLIENT_ID is not set' };
  let names: Map<string, string>;
  try {
    names = new Map((await reader.api.listRoleDefinitions()).map((d) => [d.id.toLowerCase(), d.name]));
  } catch (error) {
    deps.logger.warn({ err: error }, 'standing access: RBAC role definitions not read');
    return { status: denied(error) ? 'accessDenied' : 'failed', message: messageOf(error) };
  }
  const unread: { scope: RbacScope; message: string; denied: boolean }[] = [];
  let groupList: readonly { id: string; displayName: string }[] = [];
  if (whole) {
    try {
      groupList = await reader.environmentGroups();
    } catch (error) {
      // Not read is said, not hidden: the groups' roles are then missing from this inventory.
      deps.logger.warn({ err: error }, 'standing access: environment groups not listed');
      unread.push({ scope: { kind: 'environmentGroup', displayName: 'environment groups' }, message: messageOf(error), denied: denied(error) });
    }
  }
  const scopes = scopesOf(groupList, environments, whole);
  const perScope = await mapLimited(scopes, deps.concurrency, async (scope): Promise<RbacHolderRecord[]> => {
    try {
      const assignments = await reader.api.listAssignments(scope);
      return assignments.map((a) => ({
        assignmentId: a.id,
        principalId: a.principalId,
        principalType: a.principalType,
        roleId: a.roleDefinitionId,
        roleName: names.get(a.roleDefinitionId.toLowerCase()) ?? a.roleDefinitionId,
        scope,
      }));
    } catch (error) {
      unread.push({ scope, message: messageOf(error), denied: denied(error) });
      return [];
    }
  });
  // Refused everywhere: the RBAC identity lacks its role (README "Power Platform RBAC grants"), not one scope's trouble.
  if (unread.length === scopes.length && unread.every((u) => u.denied)) return { status: 'accessDenied', message: unread[0]!.message };
  const [grants, ownPrincipalIds] = await Promise.all([activeGrants(deps), reader.ownPrincipalIds().catch(() => [])]);
  const holders = classifyRbacHolders(perScope.flat(), {
    grants,
    expected: deps.settings.policy.standingAccess?.expected ?? [],
    ownPrincipalIds,
    environmentOf: (id) => environments.find((e) => e.id.toLowerCase() === id.toLowerCase()),
  });
  return { status: 'read', holders, unread: unread.map(({ scope, message }) => ({ scope, message })) };
}
