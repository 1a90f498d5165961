import type { ElevationRecord, EligibleRoleOption, EnvironmentRef } from '../domain/elevation.js';
import { matchEnvironment } from '../domain/environment-match.js';
import { buildRoleOptions, type SubmissionRules } from '../domain/request-options.js';
import { parseIsoDuration, toIsoDuration } from '../domain/duration.js';
import { roleById } from '../domain/roles.js';
import { effectivePolicy, maximumMinutes } from '../domain/elevate-policy.js';
import type { SignedInUser } from '../ports/token-broker.js';
import type { ElevationDeps } from './deps.js';

export interface RequestInput {
  environment: string;
  roleId?: string;
  durationMinutes?: number;
  justification?: string;
  ticketNumber?: string;
}

export type StartOutcome =
  | { kind: 'draft'; record: ElevationRecord; version: string }
  | { kind: 'noEligibleRole'; environment: EnvironmentRef }
  | { kind: 'unknownEnvironment'; query: string; suggestions: EnvironmentRef[] }
  | { kind: 'ambiguousEnvironment'; query: string; candidates: EnvironmentRef[] };

/**
 * Step 1–3 of the flow: find the environment among the user's own, the roles the user is eligible
 * for (with their PIM policy), and create the draft elevation the request card refers to.
 * Runs entirely on the user's on-behalf-of tokens.
 */
export async function startRequest(deps: ElevationDeps, user: SignedInUser & { name: string }, input: RequestInput): Promise<StartOutcome> {
  const environments = await deps.powerPlatform.listEnvironments(deps.tokens.forUser(user.aadObjectId, 'powerPlatform'));
  const match = matchEnvironment(input.environment, environments);
  if (match.kind === 'none') return { kind: 'unknownEnvironment', query: input.environment, suggestions: match.suggestions };
  if (match.kind === 'ambiguous') return { kind: 'ambiguousEnvironment', query: input.environment, candidates: match.candidates };

  const options = await eligibleOptions(deps, user.aadObjectId, match.environment);
  if (options.length === 0) return { kind: 'noEligibleRole', environment: match.environment };

  const now = deps.clock.now().toISOString();
  const record: ElevationRecord = {
    id: deps.newId(),
    state: 'draft',
    requester: { aadObjectId: user.aadObjectId, name: user.name, tenantId: user.tenantId },
    environment: match.environment,
    options,
    ...prefill(options, input),
    createdAt: now,
    updatedAt: now,
    history: [{ at: now, state: 'draft' }],
  };
  const stored = await deps.store.createElevation(record);
  return { kind: 'draft', record: stored.value, version: stored.version };
}

/** The self-elevation roles the user is eligible for right now, with their activation policies. */
export async function eligibleOptions(deps: ElevationDeps, aadObjectId: string, environment: EnvironmentRef): Promise<EligibleRoleOption[]> {
  const graph = deps.tokens.forUser(aadObjectId, 'graph');
  const [eligibilities, assignments] = await Promise.all([deps.pim.listMyEligibilities(graph), deps.pim.listMyActiveAssignments(graph)]);
  const roleIds = deps.settings.roleIds.filter((id) => eligibilities.some((e) => e.roleDefinitionId === id && e.directoryScopeId === '/'));
  const policies = await Promise.all(roleIds.map((id) => deps.pim.getActivationPolicy(graph, id)));
  return buildRoleOptions({ roleIds, eligibilities, assignments, policies, now: deps.clock.now() }).map((option) =>
    withElevatePolicy(deps, option, environment),
  );
}

/**
 * The submission rules for a role in an environment: Elevate's minimum justification, and its
 * maximum duration so that a too-long duration names the policy that refuses it.
 */
export function submissionRules(deps: ElevationDeps, environment: EnvironmentRef, roleId: string | undefined): SubmissionRules {
  const maximum = effectivePolicy(deps.settings.policy, environment, roleId ?? '').maximumDuration;
  const minutes = maximum === undefined ? undefined : parseIsoDuration(maximum);
  return { minJustificationLength: deps.settings.minJustificationLength, ...(minutes !== undefined ? { maxDurationMinutes: minutes } : {}) };
}

/** Elevate's own policy on top of PIM's: the shorter maximum duration, a ticket when either asks. */
function withElevatePolicy(deps: ElevationDeps, option: EligibleRoleOption, environment: EnvironmentRef): EligibleRoleOption {
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

/** Names of the self-elevation roles the user is eligible for in PIM now (for `status`). */
export async function eligibleRoleNames(deps: ElevationDeps, aadObjectId: string): Promise<string[]> {
  const eligibilities = await deps.pim.listMyEligibilities(deps.tokens.forUser(aadObjectId, 'graph'));
  return deps.settings.roleIds
    .filter((id) => eligibilities.some((e) => e.roleDefinitionId === id && e.directoryScopeId === '/'))
    .map((id) => roleById(id)?.name ?? id);
}
