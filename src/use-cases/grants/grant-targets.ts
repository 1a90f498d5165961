import { matchEnvironment } from '../../domain/environment-match.js';
import type { ScopeText } from '../../domain/grant-command.js';
import { findRole, type RbacPrincipal, type RbacRoleDefinition, type RbacScope } from '../../domain/rbac.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { GrantDeps } from './grant-deps.js';

/** Typed names resolved to what the Authorization API needs, or why not. */
export type RoleLookup = { kind: 'found'; role: RbacRoleDefinition } | { kind: 'unknownRole'; known: string[] };
export type ScopeLookup =
  { kind: 'found'; scope: RbacScope } | { kind: 'unknownScope'; suggestions: string[] } | { kind: 'ambiguousScope'; candidates: string[] };
export type AppLookup =
  | { kind: 'found'; principal: Extract<RbacPrincipal, { type: 'ApplicationUser' }>; ownerIds: string[] }
  | { kind: 'unknownApp' }
  | { kind: 'ambiguousApp'; candidates: string[] }
  | { kind: 'elevatePrincipal' };

/** Role names come from the API (`/authorization/roleDefinitions`), never from a list of our own. */
export async function lookUpRole(deps: Pick<GrantDeps, 'rbac'>, typed: string): Promise<RoleLookup> {
  const definitions = await deps.rbac.listRoleDefinitions();
  const role = findRole(definitions, typed);
  return role ? { kind: 'found', role } : { kind: 'unknownRole', known: definitions.map((d) => d.name) };
}

/**
 * Environments are matched as `elevate me in` matches them (every environment Elevate lists with its
 * own identity, else the requester's own); environment groups the same way, among the groups the
 * Power Platform API lists to Elevate (and the policy's optional `rbac.environmentGroups`): by id,
 * name, unique prefix or words, ambiguous names answered with the candidates, unknown ones with near names.
 */
export async function lookUpScope(deps: Pick<GrantDeps, 'environments' | 'environmentGroups'>, typed: ScopeText, userToken: TokenSource): Promise<ScopeLookup> {
  if (typed.kind === 'tenant') return { kind: 'found', scope: { kind: 'tenant', displayName: 'the tenant' } };
  const isGroup = typed.kind === 'environmentGroup';
  const listed = isGroup ? await deps.environmentGroups.environmentGroups() : await deps.environments.environmentsFor(userToken);
  const match = matchEnvironment(typed.name, listed);
  const named = (e: { displayName: string }) => (isGroup ? `environment group ${e.displayName}` : e.displayName);
  if (match.kind === 'match') return { kind: 'found', scope: { kind: typed.kind, id: match.environment.id, displayName: match.environment.displayName } };
  if (match.kind === 'ambiguous') return { kind: 'ambiguousScope', candidates: match.candidates.map(named) };
  return { kind: 'unknownScope', suggestions: match.suggestions.map(named) };
}

/** A service principal by display name or app id, with its owners; Elevate's own apps are refused. */
export async function lookUpApp(deps: Pick<GrantDeps, 'servicePrincipals' | 'settings'>, typed: string): Promise<AppLookup> {
  const found = await deps.servicePrincipals.find(typed);
  if (found.length === 0) return { kind: 'unknownApp' };
  if (found.length > 1) return { kind: 'ambiguousApp', candidates: found.map((sp) => `${sp.displayName} (${sp.appId})`) };
  const sp = found[0]!;
  if (deps.settings.ownAppIds.some((id) => id.toLowerCase() === sp.appId.toLowerCase())) return { kind: 'elevatePrincipal' };
  const ownerIds = await deps.servicePrincipals.ownerIds(sp.id);
  return { kind: 'found', principal: { type: 'ApplicationUser', id: sp.id, appId: sp.appId, name: sp.displayName }, ownerIds };
}
