import { PIM_MINIMUM_MINUTES, formatDuration, parseIsoDuration, toIsoDuration } from './duration.js';
import type { EligibleRoleOption } from './elevation.js';
import { SELF_ELEVATION_ROLES, roleById, type AdminRole } from './roles.js';
import { groupSourceOf, isDirect, type GroupOnlyRole, type MembershipFacts } from './role-membership.js';
import { removeInvisible } from './text.js';

/** The fields of a PIM eligibility instance this module reads (ports' `RoleEligibility` fits). */
export interface EligibilityFacts extends MembershipFacts {
  roleDefinitionId: string;
  directoryScopeId: string;
}

/** The fields of an active assignment instance this module reads (ports' `RoleAssignmentInstance` fits). */
export interface AssignmentFacts extends MembershipFacts {
  roleDefinitionId: string;
  directoryScopeId: string;
  endDateTime?: string | null;
}

/** A role's end-user activation policy (ports' `RoleActivationPolicy` fits). */
export interface PolicyFacts {
  roleDefinitionId: string;
  maximumDuration: string;
  justificationRequired: boolean;
  ticketRequired: boolean;
  mfaRequired: boolean;
}

export interface RoleOptionsInput {
  /** The requester's Entra object id: only their direct eligibilities and assignments count. */
  userId: string;
  /** The configured self-elevation roles, in display order. */
  roleIds: readonly string[];
  eligibilities: readonly EligibilityFacts[];
  assignments: readonly AssignmentFacts[];
  policies: readonly PolicyFacts[];
  /** Known roles, for names; defaults to the roles that grant self-elevation. */
  roles?: readonly AdminRole[];
  /** When given, assignments that ended before it are ignored. */
  now?: Date;
}

/** Power Platform honours tenant-wide role assignments only. */
const TENANT_SCOPE = '/';

/**
 * The configured self-elevation roles the user is eligible for directly and tenant-wide (the ones
 * Power Platform honours), in configured order.
 */
export function directlyEligibleRoleIds(input: Pick<RoleOptionsInput, 'userId' | 'roleIds' | 'eligibilities' | 'roles'>): string[] {
  const roles = input.roles ?? SELF_ELEVATION_ROLES;
  return [...new Set(input.roleIds)].filter(
    (roleId) =>
      roleById(roleId, roles) !== undefined &&
      input.eligibilities.some((e) => e.roleDefinitionId === roleId && e.directoryScopeId === TENANT_SCOPE && isDirect(e, input.userId)),
  );
}

/**
 * The configured self-elevation roles the user is eligible for only through groups: Power Platform
 * would never honour them, so the requester is told which group and what to ask for.
 */
export function groupOnlyRoles(input: Pick<RoleOptionsInput, 'userId' | 'roleIds' | 'eligibilities' | 'roles'>): GroupOnlyRole[] {
  const roles = input.roles ?? SELF_ELEVATION_ROLES;
  const direct = new Set(directlyEligibleRoleIds(input));
  const found: GroupOnlyRole[] = [];
  for (const roleId of new Set(input.roleIds)) {
    const role = roleById(roleId, roles);
    if (!role || direct.has(roleId)) continue;
    const groups = input.eligibilities
      .filter((e) => e.roleDefinitionId === roleId && e.directoryScopeId === TENANT_SCOPE)
      .flatMap((e) => groupSourceOf(e, input.userId) ?? []);
    if (groups.length > 0) found.push({ roleId, roleName: role.name, groups });
  }
  return found;
}

/**
 * The roles to offer on the request card: configured roles (in configured order) that are known
 * self-elevation roles, that the user is eligible for directly and tenant-wide, and whose policy was
 * read. `activeUntil` is the latest end of a current time-bound, direct, tenant-wide assignment of
 * that role (one through a group does not count: Power Platform ignores it).
 */
export function buildRoleOptions(input: RoleOptionsInput): EligibleRoleOption[] {
  const roles = input.roles ?? SELF_ELEVATION_ROLES;
  const options: EligibleRoleOption[] = [];
  for (const roleId of directlyEligibleRoleIds(input)) {
    const role = roleById(roleId, roles);
    const policy = input.policies.find((p) => p.roleDefinitionId === roleId);
    if (!role || !policy) continue;
    const direct = input.assignments.filter((a) => isDirect(a, input.userId));
    const activeUntil = latestEnd(direct, roleId, input.now);
    options.push({
      roleId,
      roleName: role.name,
      maximumDuration: policy.maximumDuration,
      justificationRequired: policy.justificationRequired,
      ticketRequired: policy.ticketRequired,
      mfaRequired: policy.mfaRequired,
      ...(activeUntil ? { activeUntil } : {}),
    });
  }
  return options;
}

function latestEnd(assignments: readonly AssignmentFacts[], roleId: string, now: Date | undefined): string | undefined {
  let latest: number | undefined;
  for (const a of assignments) {
    if (a.roleDefinitionId !== roleId || a.directoryScopeId !== TENANT_SCOPE || !a.endDateTime) continue;
    const end = Date.parse(a.endDateTime);
    if (Number.isNaN(end) || (now && end <= now.getTime())) continue;
    if (latest === undefined || end > latest) latest = end;
  }
  return latest === undefined ? undefined : new Date(latest).toISOString();
}

/** What the request card sent. Untrusted: every field may be missing or hostile. */
export interface SubmissionFields {
  roleId?: string;
  /** ISO 8601 duration, e.g. PT2H. */
  duration?: string;
  justification?: string;
  ticketNumber?: string;
}

/** Elevate's own policy, on top of each role's PIM policy. */
export interface SubmissionRules {
  /** Shortest justification accepted where one is required. */
  minJustificationLength: number;
  /** Longest justification accepted; 500 by default. */
  maxJustificationLength?: number;
  /** Elevate's cap on durations, below the PIM maximum. */
  maxDurationMinutes?: number;
  /** Elevate requires a justification for every role. */
  justificationRequired?: boolean;
  /** Elevate requires a ticket for every role. */
  ticketRequired?: boolean;
}

/** A submission that passed every check, normalised for the PIM request. */
export interface ValidSubmission {
  roleId: string;
  /** Whole minutes as ISO 8601, e.g. PT1H30M. */
  duration: string;
  durationMinutes: number;
  /** Trimmed; empty when neither policy requires one and none was given. */
  justification: string;
  ticketNumber?: string;
}

export type SubmissionCheck = { ok: true; value: ValidSubmission } | { ok: false; message: string };

const DEFAULT_MAX_JUSTIFICATION = 500;
const TICKET = /^[A-Za-z0-9][A-Za-z0-9._/#-]{0,63}$/;

/**
 * The server-side check of every request card submission: the role is one of the offered options,
 * the duration is an ISO duration between PIM's 5-minute minimum and the smaller of the role's
 * `maximumDuration` and Elevate's cap, and justification and ticket are present when either
 * policy requires them. Messages say what to change.
 */
export function validateSubmission(options: readonly EligibleRoleOption[], input: SubmissionFields, rules: SubmissionRules): SubmissionCheck {
  if (typeof input.roleId !== 'string' || !input.roleId) return fail('Choose a role.');
  const option = options.find((o) => o.roleId === input.roleId);
  if (!option) return fail('You cannot activate that role here: choose one of the roles offered.');
  const duration = checkDuration(option, input.duration, rules);
  if (typeof duration === 'string') return fail(duration);
  const justification = cleanFreeText(input.justification);
  const justificationMessage = checkJustification(option, justification, rules);
  if (justificationMessage) return fail(justificationMessage);
  const ticketNumber = cleanFreeText(input.ticketNumber).replace(/\s+/g, '');
  if (!ticketNumber && (option.ticketRequired || rules.ticketRequired))
    return fail(`Give a ticket number: ${option.ticketRequired ? `${option.roleName} requires one` : 'Elevate requires one'}.`);
  if (ticketNumber && !TICKET.test(ticketNumber)) return fail('A ticket number is up to 64 letters, digits and - _ . / #.');
  return {
    ok: true,
    value: { roleId: option.roleId, duration: toIsoDuration(duration), durationMinutes: duration, justification, ...(ticketNumber ? { ticketNumber } : {}) },
  };
}

function fail(message: string): SubmissionCheck {
  return { ok: false, message };
}

function checkDuration(option: EligibleRoleOption, text: unknown, rules: SubmissionRules): number | string {
  if (typeof text !== 'string' || !text.trim()) return 'Choose a duration.';
  const parsed = parseIsoDuration(text);
  if (parsed === undefined) return 'Choose a duration from the list.';
  const minutes = Math.floor(parsed);
  if (minutes < PIM_MINIMUM_MINUTES) return `Choose at least ${PIM_MINIMUM_MINUTES} minutes: PIM refuses shorter activations.`;
  const roleMax = parseIsoDuration(option.maximumDuration);
  if (roleMax === undefined)
    return `The PIM policy of ${option.roleName} has no readable maximum duration (${option.maximumDuration.slice(0, 40)}). Ask your PIM administrator.`;
  const elevateMax = rules.maxDurationMinutes ?? Number.POSITIVE_INFINITY;
  const max = Math.floor(Math.min(roleMax, elevateMax));
  if (minutes > max)
    // The offered maximum already folds Elevate's cap in: at equal limits, Elevate's policy is the one that refuses.
    return `Choose at most ${formatDuration(max)}: ${elevateMax <= roleMax ? 'Elevate policy' : `the PIM policy of ${option.roleName}`} allows no more.`;
  return minutes;
}

function checkJustification(option: EligibleRoleOption, justification: string, rules: SubmissionRules): string | undefined {
  const max = rules.maxJustificationLength ?? DEFAULT_MAX_JUSTIFICATION;
  if (justification.length > max) return `Keep the justification under ${max} characters.`;
  if (!option.justificationRequired && !rules.justificationRequired) return undefined;
  const min = Math.max(1, rules.minJustificationLength);
  if (justification.length < min) return `Give a justification of at least ${min} characters: say what you will change and why.`;
  return undefined;
}

/** Card data is untrusted JSON: anything but a string counts as missing. */
function cleanFreeText(text: unknown): string {
  const normalized = (typeof text === 'string' ? text : '').normalize('NFC');
  return removeInvisible(normalized).trim();
}
