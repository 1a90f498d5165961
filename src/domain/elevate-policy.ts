/**
 * Elevate's own policy (docs/design.md, flow 7): per environment and role, whether approval is needed and
 * from whom (N of M), how long a request may wait, the longest elevation, whether a ticket is needed
 * and where approval cards go. Evaluated on top of, never instead of, the role's PIM policy.
 *
 * Precedence: rules are tried in file order and the first rule whose `match` fits wins. Each
 * setting that rule states replaces the default; settings it leaves out come from `defaults`. An
 * `approval` block is taken whole, never merged field by field, so a rule's approvers are exactly
 * the ones it lists. Put specific rules (an environment id, Global Administrator) before broad ones.
 *
 * Self-approval has no setting: a requester never counts as an approver of their own request.
 */
import { parseIsoDuration, PIM_MINIMUM_MINUTES } from './duration.js';
import { NO_APPROVAL, type ApprovalPolicy } from './approval.js';
import type { EnvironmentRef } from './environment.js';
import { GLOBAL_ADMINISTRATOR, SELF_ELEVATION_ROLES } from './roles.js';
import { AUTHENTICATION_CONTEXT_ID } from './fresh-sign-in.js';
import type { BreakGlassPolicy } from './break-glass.js';
import { extensionLimits, extensionSettingsProblems, type ExtensionLimits, type ExtensionSettings } from './extension.js';

/** Power Platform environment types (docs/api-contracts.md §3), as the admin API spells them. */
export const ENVIRONMENT_TYPES = ['Production', 'Sandbox', 'Developer', 'Trial', 'Default', 'Teams', 'SubscriptionBasedTrial'] as const;
export type EnvironmentType = (typeof ENVIRONMENT_TYPES)[number];

/** PIM activations last at most 24 hours; Elevate cannot allow more. */
export const MAXIMUM_DURATION_LIMIT_MINUTES = 24 * 60;
/** A pending request waits at most a week for its approvals. */
export const PENDING_TIMEOUT_LIMIT_MINUTES = 7 * 24 * 60;

export interface PolicySettings extends ExtensionSettings {
  readonly approval?: ApprovalPolicy;
  /** ISO 8601 duration (`PT4H`); the shorter of this and the role's PIM maximum applies. */
  readonly maximumDuration?: string;
  readonly ticketRequired?: boolean;
  /** Teams channel id (`19:…@thread.tacv2`) for approval cards; without it approvers get them 1:1. */
  readonly approvalsChannel?: string;
  /**
   * What to do in an environment where Elevate has no Dataverse application user, so that it could
   * not remove System Administrator at expiry: `refuse` (the default for Production) or `warn` (the
   * requester and the security channel are told; the default elsewhere).
   */
  readonly missingApplicationUser?: MissingApplicationUser;
  /**
   * Reminders before expiry also go to the security channel (issue #16), not only to the requester: e.g. a rule
   * matching `environmentTypes: [Production]` with `remindChannel: true`. Off by default.
   */
  readonly remindChannel?: boolean;
}

export type MissingApplicationUser = 'refuse' | 'warn';

/** Every stated criterion must hold; within a list, any entry may. */
export interface PolicyMatch {
  readonly environmentIds?: readonly string[];
  /** Glob on the display name: `*` any run, `?` one character, case-insensitive (`Contoso *`). */
  readonly environmentNamePattern?: string;
  readonly environmentTypes?: readonly EnvironmentType[];
  /** Entra role template ids. */
  readonly roleIds?: readonly string[];
}

export interface PolicyRule extends PolicySettings {
  readonly name: string;
  readonly match: PolicyMatch;
}

/**
 * Accounts the security team expects to hold System Administrator (emergency and service accounts), from the
 * Elevate policy file's `standingAccess.expected`: in environments matching `environmentIds` / the name pattern /
 * the types (all when none is given), accounts by Entra object id, application (client) id or UPN.
 */
export interface ExpectedHolders {
  readonly name: string;
  readonly environmentIds?: readonly string[];
  readonly environmentNamePattern?: string;
  readonly environmentTypes?: readonly string[];
  readonly accounts: readonly string[];
}

export interface ElevatePolicy {
  readonly defaults: PolicySettings;
  readonly rules: readonly PolicyRule[];
  /**
   * Environments Elevate offers even when it cannot list the tenant's environments itself (no
   * management-application registration): optional, on top of the listings.
   */
  readonly environments?: readonly EnvironmentRef[];
  /** Standing access the security team expects (issue #15): never reported as unexplained, never swept. */
  readonly standingAccess?: { readonly expected: readonly ExpectedHolders[] };
  /** Who may break glass and for how long (issue #16); absent: nobody can. */
  readonly breakGlass?: BreakGlassPolicy;
}

export interface PolicyFlags {
  readonly production: boolean;
  readonly globalAdministrator: boolean;
}

export interface EffectivePolicy {
  /** The rule that matched, or `defaults`: for the audit trail and the cards. */
  readonly source: string;
  readonly approval: ApprovalPolicy;
  /**
   * The users the matching `approval` block names, also when it says `required: false`: they get
   * the approval cards of PIM's own approval (`PendingApproval`) for this environment and role.
   */
  readonly namedApproverUserIds: readonly string[];
  /** Absent: only the role's PIM policy bounds the duration. */
  readonly maximumDuration?: string;
  readonly ticketRequired: boolean;
  readonly approvalsChannel?: string;
  readonly missingApplicationUser: MissingApplicationUser;
  /** Reminders also go to the security channel. */
  readonly remindChannel: boolean;
  /** How far an elevation may be extended (issue #16; extension.ts). */
  readonly extensions: ExtensionLimits;
  readonly flags: PolicyFlags;
}

/** No file configured: no approval, no ticket, PIM's own limits. */
export const PERMISSIVE_POLICY: ElevatePolicy = { defaults: {}, rules: [] };

export function flags(environment: EnvironmentRef, roleId: string): PolicyFlags {
  return { production: sameText(environment.type ?? '', 'Production'), globalAdministrator: sameText(roleId, GLOBAL_ADMINISTRATOR) };
}

export function effectivePolicy(policy: ElevatePolicy, environment: EnvironmentRef, roleId: string): EffectivePolicy {
  const rule = policy.rules.find((r) => matches(r.match, environment, roleId));
  const settings: PolicySettings = { ...policy.defaults, ...definedOnly(rule ?? {}) };
  const approval = settings.approval?.required ? settings.approval : NO_APPROVAL;
  return {
    source: rule?.name ?? 'defaults',
    approval,
    namedApproverUserIds: [...(settings.approval?.approverUserIds ?? [])],
    ...(settings.maximumDuration !== undefined ? { maximumDuration: settings.maximumDuration } : {}),
    ticketRequired: settings.ticketRequired === true,
    ...(settings.approvalsChannel !== undefined ? { approvalsChannel: settings.approvalsChannel } : {}),
    missingApplicationUser: settings.missingApplicationUser ?? defaultMissingApplicationUser(environment),
    remindChannel: settings.remindChannel === true,
    extensions: extensionLimits(settings, approval.required),
    flags: flags(environment, roleId),
  };
}

/** Production environments refuse an elevation Elevate could not undo; others warn. */
export function defaultMissingApplicationUser(environment: EnvironmentRef): MissingApplicationUser {
  return sameText(environment.type ?? '', 'Production') ? 'refuse' : 'warn';
}

/** The longest allowed elevation in minutes: the shorter of Elevate's and PIM's maximum. */
export function maximumMinutes(policy: EffectivePolicy, pimMaximumDuration: string): number | undefined {
  const limits = [policy.maximumDuration, pimMaximumDuration].map((d) => (d === undefined ? undefined : parseIsoDuration(d)));
  const known = limits.filter((m): m is number => m !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
}

export function matches(match: PolicyMatch, environment: EnvironmentRef, roleId: string): boolean {
  const { environmentIds, environmentNamePattern, environmentTypes, roleIds } = match;
  return (
    (environmentIds === undefined || environmentIds.some((id) => sameText(id, environment.id))) &&
    (environmentNamePattern === undefined || globMatches(environmentNamePattern, environment.displayName)) &&
    (environmentTypes === undefined || environmentTypes.some((type) => sameText(type, environment.type ?? ''))) &&
    (roleIds === undefined || roleIds.some((id) => sameText(id, roleId)))
  );
}

/**
 * Case-insensitive glob over the whole text, surrounding spaces ignored. Iterative with one
 * backtrack point (the last `*`), so it is O(pattern × text) whatever the input: no regex.
 */
export function globMatches(pattern: string, text: string): boolean {
  const p = pattern.trim().toLowerCase();
  const t = text.trim().toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi += 1;
      ti += 1;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi;
      resume = ti;
      pi += 1;
    } else if (star >= 0) {
      pi = star + 1;
      resume += 1;
      ti = resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi += 1;
  return pi === p.length;
}

/** A broken invariant: `where` is `defaults` or a rule's index; `field` is a dotted path in it. */
export interface PolicyProblem {
  readonly where: 'defaults' | number;
  readonly field: string;
  readonly problem: string;
}

/** Everything wrong with a policy's meaning (its shape is the loader's business); empty when sound. */
export function policyProblems(policy: ElevatePolicy): PolicyProblem[] {
  const problems: PolicyProblem[] = settingsProblems(policy.defaults).map((p) => ({ where: 'defaults', ...p }));
  const names = new Map<string, number>();
  policy.rules.forEach((rule, index) => {
    const add = (field: string, problem: string) => problems.push({ where: index, field, problem });
    const first = names.get(rule.name.trim().toLowerCase());
    if (rule.name.trim() === '') add('name', 'must not be empty');
    else if (first !== undefined) add('name', `must be unique: rules[${first}] has the same name`);
    else names.set(rule.name.trim().toLowerCase(), index);
    for (const p of matchProblems(rule.match)) add(p.field, p.problem);
    for (const p of settingsProblems(rule)) add(p.field, p.problem);
  });
  return problems;
}

type Found = { field: string; problem: string };

function matchProblems(match: PolicyMatch): Found[] {
  const found: Found[] = [];
  const criteria = [match.environmentIds, match.environmentNamePattern, match.environmentTypes, match.roleIds];
  if (criteria.every((c) => c === undefined))
    found.push({
      field: 'match',
      problem: 'must state at least one of environmentIds, environmentNamePattern, environmentTypes, roleIds (use defaults for every request)',
    });
  if (match.environmentNamePattern?.trim() === '') found.push({ field: 'match.environmentNamePattern', problem: 'must not be empty' });
  match.roleIds?.forEach((id, i) => {
    if (!SELF_ELEVATION_ROLES.some((r) => sameText(r.id, id))) {
      const known = SELF_ELEVATION_ROLES.map((r) => `${r.name} ${r.id}`).join(', ');
      found.push({ field: `match.roleIds[${i}]`, problem: `must be the template id of a role Elevate activates (${known})` });
    }
  });
  return found;
}

function settingsProblems(settings: PolicySettings): Found[] {
  const found: Found[] = [];
  if (settings.maximumDuration !== undefined) {
    const minutes = parseIsoDuration(settings.maximumDuration);
    if (minutes === undefined) found.push({ field: 'maximumDuration', problem: 'must be an ISO 8601 duration such as PT4H or PT30M' });
    else if (minutes < PIM_MINIMUM_MINUTES || minutes > MAXIMUM_DURATION_LIMIT_MINUTES)
      found.push({ field: 'maximumDuration', problem: `must be between PT${PIM_MINIMUM_MINUTES}M and PT24H` });
  }
  if (settings.approval?.required) found.push(...approvalProblems(settings.approval));
  found.push(...extensionSettingsProblems(settings));
  const fresh = settings.approval?.freshSignIn;
  if (fresh && !AUTHENTICATION_CONTEXT_ID.test(fresh.authenticationContext))
    found.push({ field: 'approval.freshSignIn.authenticationContext', problem: 'must be a Conditional Access authentication context id, c1 to c99' });
  // A setting that would do nothing must not look as if it protected anything.
  if (fresh && settings.approval?.required !== true)
    found.push({ field: 'approval.freshSignIn', problem: 'applies to Elevate approvals only: set required: true, or remove it' });
  return found;
}

function approvalProblems(approval: ApprovalPolicy): Found[] {
  const found: Found[] = [];
  const users = distinct(approval.approverUserIds).length;
  const n = approval.approvalsRequired;
  if (approval.approverGroupIds.length === 0 && users === 0)
    found.push({ field: 'approval', problem: 'must list approverGroupIds or approverUserIds when required is true' });
  if (!Number.isInteger(n) || n < 1) found.push({ field: 'approval.approvalsRequired', problem: 'must be at least 1' });
  else if (approval.approverGroupIds.length === 0 && users > 0 && n > users)
    found.push({ field: 'approval.approvalsRequired', problem: `is ${n} but only ${users} approver user(s) are listed and no approver group` });
  const timeout = approval.pendingTimeoutMinutes;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > PENDING_TIMEOUT_LIMIT_MINUTES)
    found.push({ field: 'approval.pendingTimeoutMinutes', problem: `must be a whole number of minutes from 1 to ${PENDING_TIMEOUT_LIMIT_MINUTES}` });
  return found;
}

/** Only the settings a rule states, so that an absent one never hides a default. */
function definedOnly(rule: PolicySettings): PolicySettings {
  const { approval, maximumDuration, ticketRequired, approvalsChannel, missingApplicationUser, remindChannel } = rule;
  const { maximumExtensions, maximumExtensionTotal, extensionApproval } = rule;
  return {
    ...(maximumExtensions !== undefined ? { maximumExtensions } : {}),
    ...(maximumExtensionTotal !== undefined ? { maximumExtensionTotal } : {}),
    ...(extensionApproval !== undefined ? { extensionApproval } : {}),
    ...(remindChannel !== undefined ? { remindChannel } : {}),
    ...(missingApplicationUser !== undefined ? { missingApplicationUser } : {}),
    ...(approval !== undefined ? { approval } : {}),
    ...(maximumDuration !== undefined ? { maximumDuration } : {}),
    ...(ticketRequired !== undefined ? { ticketRequired } : {}),
    ...(approvalsChannel !== undefined ? { approvalsChannel } : {}),
  };
}

function distinct(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
