import type { ElevationRecord, EligibleRoleOption } from '../domain/elevation.js';
import type { EnvironmentRef } from '../domain/environment.js';
import { matchEnvironment } from '../domain/environment-match.js';
import { buildRoleOptions, directlyEligibleRoleIds, groupOnlyRoles, type SubmissionRules } from '../domain/request-options.js';
import type { GroupOnlyRole } from '../domain/role-membership.js';
import type { RoleActivationPolicy, RoleAssignmentInstance, RoleEligibility } from '../ports/pim-directory.js';
import { parseIsoDuration, toIsoDuration } from '../domain/duration.js';
import { roleById } from '../domain/roles.js';
import { effectivePolicy, maximumMinutes } from '../domain/elevate-policy.js';
import type { SignedInUser, TokenSource } from '../ports/token-broker.js';
import type { ElevationDeps } from './deps.js';
import { capForBreakGlass } from './break-glass.js';

/** What start request uses of the use cases' dependencies. */
export type StartRequestDeps = Pick<ElevationDeps, 'pim' | 'environments' | 'dataverse' | 'tokens' | 'store' | 'clock' | 'settings' | 'newId' | 'logger'>;

export interface RequestInput {
  environment: string;
  roleId?: string;
  durationMinutes?: number;
  justification?: string;
  ticketNumber?: string;
  /**
   * Break glass (issue #16): the caller checked that the requester is on call (`checkBreakGlass`); the
   * roles' durations are capped by the break-glass maximum and submit checks membership again.
   */
  breakGlass?: boolean;
  /** A later start (issue #16, ISO), checked by the parser and again at submit; with the requester's zone for plain-text times. */
  startAt?: string;
  timeZone?: string;
}

export type StartOutcome =
  | { kind: 'draft'; record: ElevationRecord; version: string }
  | { kind: 'noEligibleRole' }
  /** Eligible only through groups, which Power Platform ignores: nothing was activated. */
  | { kind: 'groupOnly'; roles: GroupOnlyRole[] }
  | { kind: 'unknownEnvironment'; query: string; suggestions: EnvironmentRef[] }
  | { kind: 'ambiguousEnvironment'; query: string; candidates: EnvironmentRef[] }
  /** The environment has no Dataverse database: there is no System Administrator to elevate to. */
  | { kind: 'noDataverse'; environment: EnvironmentRef }
  /** Elevate has no application user there and the policy refuses what it could not undo. */
  | { kind: 'cannotUndo'; environment: EnvironmentRef };

/**
 * Step 1–3 of the flow: the roles the user is eligible for (directly: Power Platform ignores group
 * roles) and the environment, looked up among every environment Elevate can list, not only those the
 * requester's own token shows (docs/api-contracts.md §8); then whether Elevate could undo an
 * elevation there, and the draft the request card refers to. Nothing is activated here.
 */
export async function startRequest(deps: StartRequestDeps, user: SignedInUser & { name: string }, input: RequestInput): Promise<StartOutcome> {
  const graph = deps.tokens.forUser(user.aadObjectId, 'graph');
  const [roles, environments, policies] = await Promise.all([
    readRoles(deps, graph),
    deps.environments.environmentsFor(deps.tokens.forUser(user.aadObjectId, 'powerPlatform')),
    readPolicies(deps),
  ]);
  const eligibleRoleIds = directlyEligibleRoleIds({ userId: user.aadObjectId, roleIds: deps.settings.roleIds, eligibilities: roles.eligibilities });
  if (eligibleRoleIds.length === 0) {
    const viaGroups = groupOnlyRoles({ userId: user.aadObjectId, roleIds: deps.settings.roleIds, eligibilities: roles.eligibilities });
    return viaGroups.length > 0 ? { kind: 'groupOnly', roles: viaGroups } : { kind: 'noEligibleRole' };
  }
  // Only environments with a Dataverse database can have a System Administrator: the others are never suggested.
  const match = matchEnvironment(input.environment, environments);
  if (match.kind === 'none') {
    const elevatable = environments.filter((e) => e.url);
    return {
      kind: 'unknownEnvironment',
      query: input.environment,
      suggestions: (matchEnvironment(input.environment, elevatable) as { suggestions?: EnvironmentRef[] }).suggestions ?? [],
    };
  }
  if (match.kind === 'ambiguous') return { kind: 'ambiguousEnvironment', query: input.environment, candidates: match.candidates };
  const environment = match.environment;
  if (!environment.url) return { kind: 'noDataverse', environment };

  const undoable = await canUndo(deps, environment);
  const offered = undoableOptions(deps, optionsFor(deps, user.aadObjectId, { ...roles, policies }, eligibleRoleIds, environment), environment, undoable);
  if (offered.length === 0) return { kind: 'cannotUndo', environment };
  const breakGlass = input.breakGlass === true ? deps.settings.policy.breakGlass : undefined;
  const options = breakGlass ? capForBreakGlass(breakGlass, offered) : offered;

  const now = deps.clock.now().toISOString();
  const record: ElevationRecord = {
    id: deps.newId(),
    state: 'draft',
    requester: { aadObjectId: user.aadObjectId, name: user.name, tenantId: user.tenantId },
    environment,
    options,
    ...prefill(options, input),
    ...(undoable ? {} : { applicationUserMissing: true }),
    ...(breakGlass ? { breakGlass: true } : {}),
    ...(input.startAt && !breakGlass ? { schedule: { startAt: input.startAt, ...(input.timeZone ? { timeZone: input.timeZone } : {}) } } : {}),
    createdAt: now,
    updatedAt: now,
    history: [{ at: now, state: 'draft' }],
  };
  const stored = await deps.store.createElevation(record);
  return { kind: 'draft', record: stored.value, version: stored.version };
}

interface RoleFacts {
  eligibilities: RoleEligibility[];
  assignments: RoleAssignmentInstance[];
}

async function readRoles(deps: StartRequestDeps, graph: TokenSource): Promise<RoleFacts> {
  const [eligibilities, assignments] = await Promise.all([deps.pim.listMyEligibilities(graph), deps.pim.listMyActiveAssignments(graph)]);
  return { eligibilities, assignments };
}

/**
 * The activation policies of the configured roles, read with Elevate's own identity: a delegated
 * read needs a directory role (Global Reader, Security Reader, …) besides the permission, which a
 * requester may not hold (docs/api-contracts.md §8.1). Read alongside the user's roles.
 */
function readPolicies(deps: StartRequestDeps): Promise<RoleActivationPolicy[]> {
  const app = deps.tokens.forApp(deps.settings.graphResource);
  return Promise.all(deps.settings.roleIds.map((id) => deps.pim.getActivationPolicy(app, id)));
}

function optionsFor(
  deps: StartRequestDeps,
  userId: string,
  roles: RoleFacts & { policies: RoleActivationPolicy[] },
  roleIds: string[],
  environment: EnvironmentRef,
): EligibleRoleOption[] {
  return buildRoleOptions({ userId, roleIds, ...roles, now: deps.clock.now() }).map((option) => withElevatePolicy(deps, option, environment));
}

/**
 * Whether Elevate's application user exists in the environment, so that clean-up can remove System
 * Administrator at expiry. When Dataverse cannot tell (a passing fault), the request goes on: clean-up
 * then keeps the role and alerts, as for any unknown.
 */
async function canUndo(deps: StartRequestDeps, environment: EnvironmentRef): Promise<boolean> {
  if (!environment.url) return false;
  try {
    return await deps.dataverse.hasApplicationUser(environment.url);
  } catch (error) {
    deps.logger.warn({ err: error, environmentId: environment.id }, 'could not tell whether Elevate has an application user here');
    return true;
  }
}

/**
 * Where Elevate could not undo an elevation, only the roles whose Elevate policy says `warn` remain
 * (Production refuses by default).
 */
function undoableOptions(
  deps: Pick<ElevationDeps, 'settings'>,
  options: EligibleRoleOption[],
  environment: EnvironmentRef,
  undoable: boolean,
): EligibleRoleOption[] {
  return undoable ? options : options.filter((o) => effectivePolicy(deps.settings.policy, environment, o.roleId).missingApplicationUser === 'warn');
}

/**
 * The self-elevation roles the user may activate here right now, with their activation policies:
 * eligible directly, and allowed by the Elevate policy where Elevate could not undo the elevation.
 * Re-read on every submit and activation (card data is never trusted).
 */
export async function eligibleOptions(deps: StartRequestDeps, aadObjectId: string, environment: EnvironmentRef): Promise<EligibleRoleOption[]> {
  const graph = deps.tokens.forUser(aadObjectId, 'graph');
  const roles = await readRoles(deps, graph);
  const roleIds = directlyEligibleRoleIds({ userId: aadObjectId, roleIds: deps.settings.roleIds, eligibilities: roles.eligibilities });
  const [policies, undoable] = await Promise.all([readPolicies(deps), canUndo(deps, environment)]);
  return undoableOptions(deps, optionsFor(deps, aadObjectId, { ...roles, policies }, roleIds, environment), environment, undoable);
}

/**
 * The submission rules for a role in an environment: Elevate's minimum justification, and its
 * maximum duration so that a too-long duration names the policy that refuses it.
 */
export function submissionRules(deps: Pick<ElevationDeps, 'settings'>, environment: EnvironmentRef, roleId: string | undefined): SubmissionRules {
  const maximum = effectivePolicy(deps.settings.policy, environment, roleId ?? '').maximumDuration;
  const minutes = maximum === undefined ? undefined : parseIsoDuration(maximum);
  return { minJustificationLength: deps.settings.minJustificationLength, ...(minutes !== undefined ? { maxDurationMinutes: minutes } : {}) };
}

/** Elevate's own policy on top of PIM's: the shorter maximum duration, a ticket when either asks. */
function withElevatePolicy(deps: Pick<ElevationDeps, 'settings'>, option: EligibleRoleOption, environment: EnvironmentRef): EligibleRoleOption {
  const policy = effectivePolicy(deps.settings.policy, environment, option.roleId);
  const minutes = maximumMinutes(policy, option.maximumDuration);
  return {
    ...option,
    ...(minutes !== undefined ? { maximumDuration: toIsoDuration(minutes) } : {}),
    ticketRequired: option.ticketRequired || policy.ticketRequired,
  };
}

function prefill(options: EligibleRoleOption[], input: RequestInput): Partial<ElevationRecord> {
  const role = options.find((o) => o.roleId === input.roleId);
  const prefilled: Partial<ElevationRecord> = {};
  if (role) {
    prefilled.roleId = role.roleId;
    prefilled.roleName = role.roleName;
  }
  if (input.durationMinutes !== undefined) prefilled.duration = toIsoDuration(input.durationMinutes);
  if (input.justification) prefilled.justification = input.justification;
  if (input.ticketNumber) prefilled.ticketNumber = input.ticketNumber;
  return prefilled;
}

/** Names of the self-elevation roles the user is eligible for directly in PIM now (for `status`). */
export async function eligibleRoleNames(deps: Pick<ElevationDeps, 'pim' | 'tokens' | 'settings'>, aadObjectId: string): Promise<string[]> {
  const eligibilities = await deps.pim.listMyEligibilities(deps.tokens.forUser(aadObjectId, 'graph'));
  return directlyEligibleRoleIds({ userId: aadObjectId, roleIds: deps.settings.roleIds, eligibilities }).map((id) => roleById(id)?.name ?? id);
}
