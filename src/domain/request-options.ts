import { PIM_MINIMUM_MINUTES, formatDuration, parseIsoDuration, toIsoDuration } from './duration.js';
import { SUBMISSION_TEXTS_EN, type SubmissionWords } from './submission-text.js';
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

/** A refusal says why twice: in English (`message`, for logs and the audit trail) and as catalogue words for the reader. */
export type SubmissionCheck = { ok: true; value: ValidSubmission } | { ok: false; message: string; words: SubmissionWords };

const DEFAULT_MAX_JUSTIFICATION = 500;
const TICKET = /^[A-Za-z0-9][A-Za-z0-9._/#-]{0,63}$/;

/**
 * The server-side check of every request card submission: the role is one of the offered options,
 * the duration is an ISO duration between PIM's 5-minute minimum and the smaller of the role's
 * `maximumDuration` and Elevate's cap, and justification and ticket are present when either
 * policy requires them. Messages say what to change.
 */
export function validateSubmission(options: readonly EligibleRoleOption[], input: SubmissionFields, rules: SubmissionRules): SubmissionCheck {
  if (typeof input.roleId !== 'string' || !input.roleId) return fail({ key: 'chooseRole' });
  const option = options.find((o) => o.roleId === input.roleId);
  if (!option) return fail({ key: 'roleNotOffered' });
  const duration = checkDuration(option, input.duration, rules);
  if (typeof duration !== 'number') return fail(duration);
  const justification = cleanFreeText(input.justification);
  const justificationProblem = checkJustification(option, justification, rules);
  if (justificationProblem) return fail(justificationProblem);
  const ticketNumber = cleanFreeText(input.ticketNumber).replace(/\s+/g, '');
  if (!ticketNumber && (option.ticketRequired || rules.ticketRequired))
    return fail(option.ticketRequired ? { key: 'ticketForRole', role: option.roleName } : { key: 'ticketForElevate' });
  if (ticketNumber && !TICKET.test(ticketNumber)) return fail({ key: 'ticketFormat' });
  return {
    ok: true,
    value: { roleId: option.roleId, duration: toIsoDuration(duration), durationMinutes: duration, justification, ...(ticketNumber ? { ticketNumber } : {}) },
  };
}

function fail(words: SubmissionWords): SubmissionCheck {
  return { ok: false, message: englishSubmissionText(words), words };
}

/** The English words of a refusal (the catalogues render the same key for other readers). */
export function englishSubmissionText(words: SubmissionWords): string {
  const values: Record<string, string> = {
    role: words.role ?? '',
    maximum: words.maximum ?? '',
    chars: String(words.chars ?? ''),
    max: words.max === undefined ? '' : formatDuration(words.max),
    minimum: words.minimum === undefined ? '' : `${words.minimum} minutes`,
  };
  return SUBMISSION_TEXTS_EN[words.key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function checkDuration(option: EligibleRoleOption, text: unknown, rules: SubmissionRules): number | SubmissionWords {
  if (typeof text !== 'string' || !text.trim()) return { key: 'chooseDuration' };
  const parsed = parseIsoDuration(text);
  if (parsed === undefined) return { key: 'durationFromList' };
  const minutes = Math.floor(parsed);
  if (minutes < PIM_MINIMUM_MINUTES) return { key: 'tooShort', minimum: PIM_MINIMUM_MINUTES };
  const roleMax = parseIsoDuration(option.maximumDuration);
  if (roleMax === undefined) return { key: 'unreadableMaximum', role: option.roleName, maximum: option.maximumDuration.slice(0, 40) };
  const elevateMax = rules.maxDurationMinutes ?? Number.POSITIVE_INFINITY;
  const max = Math.floor(Math.min(roleMax, elevateMax));
  if (minutes > max)
    // The offered maximum already folds Elevate's cap in: at equal limits, Elevate's policy is the one that refuses.
    return elevateMax <= roleMax ? { key: 'tooLongElevate', max } : { key: 'tooLongPim', max, role: option.roleName };
  return minutes;
}

function checkJustification(option: EligibleRoleOption, justification: string, rules: SubmissionRules): SubmissionWords | undefined {
  const max = rules.maxJustificationLength ?? DEFAULT_MAX_JUSTIFICATION;
  if (justification.length > max) return { key: 'justificationTooLong', chars: max };
  if (!option.justificationRequired && !rules.justificationRequired) return undefined;
  const min = Math.max(1, rules.minJustificationLength);
  if (justification.length < min) return { key: 'justificationTooShort', chars: min };
  return undefined;
}

/** Card data is untrusted JSON: anything but a string counts as missing. */
function cleanFreeText(text: unknown): string {
  const normalized = (typeof text === 'string' ? text : '').normalize('NFC');
  return removeInvisible(normalized).trim();
}
