import type { GrantCommand, ScopeText } from '../../domain/grant-command.js';
import { findRole, type RbacPrincipal, type RbacRoleDefinition, type RbacScope } from '../../domain/rbac.js';
import { decideRbacGrant, requesterGroupsNamed, type RbacPolicyRefusal } from '../../domain/rbac-policy.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { GrantDeps } from './grant-deps.js';
import { lookUpApp, lookUpScope } from './grant-targets.js';

/** A scope on the request card; `key` is what the card sends back (`tenant`, `environmentGroup:<id>`, `environment:<id>`). */
export interface GrantScopeChoice {
  key: string;
  scope: RbacScope;
}

/** What the grant request card may offer this requester: only pairs the Elevate policy allows. */
export interface GrantChoices {
  principal: RbacPrincipal;
  roles: Pick<RbacRoleDefinition, 'id' | 'name'>[];
  scopes: GrantScopeChoice[];
  /** The longest duration any offered pair allows (the chosen pair's rule is checked on submit). */
  maximumMinutes: number;
  /** Some offered pair needs a ticket (`some`), or every one does (`all`). */
  ticket: 'none' | 'some' | 'all';
  /** The typed role and scope, when they name an offered choice. */
  roleId?: string;
  scopeKey?: string;
  /** The typed role and scope resolve, but the policy refuses that pair (the card says why). */
  refusedPair?: RbacPolicyRefusal;
  /** A typed role or scope that matched nothing offered. */
  unmatched?: 'role' | 'scope';
}

export type GrantChoicesOutcome =
  | { kind: 'choices'; choices: GrantChoices }
  | { kind: 'refused'; reason: 'off' | 'unknownApp' | 'elevatePrincipal' | 'notAllowedForRequester' | 'noRule' }
  | { kind: 'refused'; reason: 'ambiguousApp'; options: string[] };

export interface GrantChoicesInput {
  requester: { aadObjectId: string; name: string };
  command: Pick<GrantCommand, 'role' | 'target' | 'scope'>;
  /** The requester's own Power Platform token: environments are listed as for `elevate me`. */
  userToken: TokenSource;
}

/** A request card offers at most this many scopes (Teams' cards stay under their size limit). */
const MAX_SCOPES = 100;

export function scopeKey(scope: Pick<RbacScope, 'kind' | 'id'>): string {
  return scope.kind === 'tenant' ? 'tenant' : `${scope.kind}:${scope.id ?? ''}`;
}

/** The card's scope key as typed text, resolved again on submit like a typed scope (by id). Untrusted. */
export function scopeTextOfKey(key: string): ScopeText | undefined {
  if (key === 'tenant') return { kind: 'tenant' };
  const match = /^(environmentGroup|environment):([A-Za-z0-9._-]{1,200})$/.exec(key);
  if (!match) return undefined;
  return match[1] === 'environmentGroup' ? { kind: 'environmentGroup', name: match[2]! } : { kind: 'environment', name: match[2]! };
}

/**
 * The roles and scopes the Elevate policy lets this requester ask for (for themselves or for an app
 * they own), for the grant request card. Every role (from the API) is tried at the tenant, at each
 * environment group the policy names and at each environment the requester can see. Nothing is
 * stored: the submission is checked again from scratch by `requestGrant`.
 */
export async function grantChoices(deps: GrantDeps | undefined, input: GrantChoicesInput): Promise<GrantChoicesOutcome> {
  if (!deps) return { kind: 'refused', reason: 'off' };
  const principal = await principalOf(deps, input);
  if ('reason' in principal) return principal;
  const [definitions, environments, groups, groupIds] = await Promise.all([
    deps.rbac.listRoleDefinitions(),
    deps.environments.environmentsFor(input.userToken),
    deps.environmentGroups.environmentGroups(),
    memberships(deps, input.requester.aadObjectId),
  ]);
  const scopes: RbacScope[] = [
    { kind: 'tenant', displayName: 'the tenant' },
    ...groups.map((g) => ({ kind: 'environmentGroup' as const, id: g.id, displayName: g.displayName })),
    ...environments.map((e) => ({ kind: 'environment' as const, id: e.id, displayName: e.displayName })),
  ];
  const decide = (role: RbacRoleDefinition, scope: RbacScope) =>
    decideRbacGrant(deps.settings.policy, {
      roleId: role.id,
      scope,
      principal: principal.principal,
      requesterId: input.requester.aadObjectId,
      requesterGroupIds: groupIds,
      requesterOwnsPrincipal: principal.owns,
    });
  const allowed = definitions.flatMap((role) =>
    scopes.flatMap((scope) => {
      const decision = decide(role, scope);
      return decision.allowed ? [{ role, scope, decision }] : [];
    }),
  );
  if (allowed.length === 0)
    return { kind: 'refused', reason: principal.principal.type === 'ApplicationUser' && !principal.owns ? 'notAllowedForRequester' : 'noRule' };

  const typedRole = input.command.role ? findRole(definitions, input.command.role) : undefined;
  const typedScope = input.command.scope ? await typedScopeOf(deps, input.command.scope, input.userToken) : undefined;
  const fits = (pair: (typeof allowed)[number]) =>
    (!typedRole || pair.role.id === typedRole.id) && (!typedScope || scopeKey(pair.scope) === scopeKey(typedScope));
  const fitting = allowed.filter(fits);
  const offered = fitting.length > 0 ? fitting : allowed;
  const refused = typedRole && typedScope && fitting.length === 0 ? decide(typedRole, typedScope) : undefined;
  const roleIds = new Set(allowed.filter((p) => !typedScope || fitting.length === 0 || scopeKey(p.scope) === scopeKey(typedScope)).map((p) => p.role.id));
  const scopeKeys = new Set(allowed.filter((p) => !typedRole || fitting.length === 0 || p.role.id === typedRole.id).map((p) => scopeKey(p.scope)));
  const tickets = offered.map((p) => p.decision.allowed && p.decision.ticketRequired);
  const unmatched =
    (input.command.role && !roleIds.has(typedRole?.id ?? '') ? 'role' : undefined) ?? (input.command.scope && !typedScope ? 'scope' : undefined);
  return {
    kind: 'choices',
    choices: {
      principal: principal.principal,
      roles: definitions.filter((d) => roleIds.has(d.id)).map((d) => ({ id: d.id, name: d.name })),
      scopes: scopes
        .filter((s) => scopeKeys.has(scopeKey(s)))
        .slice(0, MAX_SCOPES)
        .map((s) => ({ key: scopeKey(s), scope: s })),
      maximumMinutes: Math.max(...offered.map((p) => (p.decision.allowed ? p.decision.maximumMinutes : 0))),
      ticket: tickets.every(Boolean) ? 'all' : tickets.some(Boolean) ? 'some' : 'none',
      ...(typedRole && roleIds.has(typedRole.id) ? { roleId: typedRole.id } : {}),
      ...(typedScope && scopeKeys.has(scopeKey(typedScope)) ? { scopeKey: scopeKey(typedScope) } : {}),
      ...(refused && !refused.allowed ? { refusedPair: refused.reason } : {}),
      ...(unmatched ? { unmatched } : {}),
    },
  };
}

async function principalOf(
  deps: GrantDeps,
  input: GrantChoicesInput,
): Promise<{ principal: RbacPrincipal; owns: boolean } | Extract<GrantChoicesOutcome, { kind: 'refused' }>> {
  const target = input.command.target;
  if (target.kind === 'me') {
    return { principal: { type: 'User', id: input.requester.aadObjectId.toLowerCase(), name: input.requester.name }, owns: false };
  }
  const app = await lookUpApp(deps, target.app);
  if (app.kind === 'ambiguousApp') return { kind: 'refused', reason: 'ambiguousApp', options: app.candidates };
  if (app.kind !== 'found') return { kind: 'refused', reason: app.kind };
  return { principal: app.principal, owns: app.ownerIds.includes(input.requester.aadObjectId.toLowerCase()) };
}

async function memberships(deps: GrantDeps, userId: string): Promise<string[]> {
  const groups = requesterGroupsNamed(deps.settings.policy);
  return groups.length > 0 ? deps.memberOf(userId, groups) : [];
}

async function typedScopeOf(deps: GrantDeps, typed: ScopeText, userToken: TokenSource): Promise<RbacScope | undefined> {
  const found = await lookUpScope(deps, typed, userToken);
  return found.kind === 'found' ? found.scope : undefined;
}
