/**
 * The Elevate policy's rules for Power Platform RBAC grants (issue #14): which roles at which scopes,
 * for whom, how long at most, and who approves (N of M). Pure.
 *
 * Nothing is allowed unless a rule allows it: without an `rbac` section no grant can be requested.
 * Rules are tried in file order; the first whose `match` fits the role, scope and principal type wins.
 * Whatever the file says, Owner and RBAC Administrator need approval by someone other than the
 * requester, and Owner at the tenant scope is refused while `forbidTenantOwner` is true (the default).
 */
import { globMatches, MAXIMUM_DURATION_LIMIT_MINUTES } from './elevate-policy.js';
import { canBeApproved, NO_APPROVAL, sameId, type ApprovalPolicy } from './approval.js';
import { parseIsoDuration, PIM_MINIMUM_MINUTES } from './duration.js';
import { RBAC_OWNER, ROLES_NEEDING_APPROVAL, type RbacPrincipal, type RbacScope, type RbacScopeKind } from './rbac.js';

export interface RbacRuleMatch {
  /** Role definition ids. */
  readonly roleIds?: readonly string[];
  readonly scopeKinds?: readonly RbacScopeKind[];
  /** Environment or environment group ids. */
  readonly scopeIds?: readonly string[];
  /** Glob on the environment or group display name (`Finance*`). */
  readonly scopeNamePattern?: string;
  readonly principalTypes?: readonly RbacPrincipal['type'][];
}

export interface RbacRule {
  readonly name: string;
  readonly match: RbacRuleMatch;
  /**
   * Who may request it (Entra user ids, or members of groups). Absent: anyone for themselves; for a
   * service principal, only its owners in Entra (these lists add people allowed besides the owners).
   */
  readonly requesterUserIds?: readonly string[];
  readonly requesterGroupIds?: readonly string[];
  /** ISO 8601 duration; required. */
  readonly maximumDuration: string;
  readonly ticketRequired?: boolean;
  readonly approval?: ApprovalPolicy;
}

export interface RbacPolicy {
  readonly rules: readonly RbacRule[];
  /** Refuse Owner at the tenant scope outright (default true). */
  readonly forbidTenantOwner?: boolean;
  /**
   * Environment groups added to those the Power Platform API lists to Elevate (for a tenant where
   * Elevate is not a registered management application). Which groups may be granted is the rules'
   * business (`match.scopeIds`, `match.scopeNamePattern`, `match.scopeKinds`), not this list's.
   */
  readonly environmentGroups?: readonly { id: string; displayName: string }[];
}

export interface RbacRequest {
  readonly roleId: string;
  readonly scope: RbacScope;
  readonly principal: RbacPrincipal;
  readonly requesterId: string;
  /** Of the groups the rules name, those the requester is a (transitive) member of. */
  readonly requesterGroupIds: readonly string[];
  /** For a service principal: whether the requester owns it in Entra. */
  readonly requesterOwnsPrincipal: boolean;
}

export type RbacPolicyRefusal = 'noRule' | 'notAllowedForRequester' | 'tenantOwnerForbidden' | 'noOtherApprover';

export type RbacDecision =
  | { allowed: false; reason: RbacPolicyRefusal; source?: string }
  | { allowed: true; source: string; maximumMinutes: number; ticketRequired: boolean; approval: ApprovalPolicy };

export function decideRbacGrant(policy: RbacPolicy | undefined, request: RbacRequest): RbacDecision {
  if (request.roleId === RBAC_OWNER && request.scope.kind === 'tenant' && policy?.forbidTenantOwner !== false) {
    return { allowed: false, reason: 'tenantOwnerForbidden' };
  }
  const rule = policy?.rules.find((r) => ruleMatches(r.match, request));
  if (!rule) return { allowed: false, reason: 'noRule' };
  if (!requesterAllowed(rule, request)) return { allowed: false, reason: 'notAllowedForRequester', source: rule.name };
  const approval = effectiveApproval(rule, request.roleId);
  if (approval.required && !canBeApproved(approval, request.requesterId)) return { allowed: false, reason: 'noOtherApprover', source: rule.name };
  return {
    allowed: true,
    source: rule.name,
    maximumMinutes: parseIsoDuration(rule.maximumDuration) ?? PIM_MINIMUM_MINUTES,
    ticketRequired: rule.ticketRequired === true,
    approval,
  };
}

/** The rule's approval; for Owner and RBAC Administrator always required, with at least one approval. */
export function effectiveApproval(rule: RbacRule, roleId: string): ApprovalPolicy {
  const stated = rule.approval?.required ? rule.approval : NO_APPROVAL;
  if (!ROLES_NEEDING_APPROVAL.includes(roleId)) return stated;
  const base = rule.approval ?? NO_APPROVAL;
  return { ...base, required: true, approvalsRequired: Math.max(1, base.approvalsRequired), pendingTimeoutMinutes: base.pendingTimeoutMinutes || 60 };
}

function ruleMatches(match: RbacRuleMatch, request: RbacRequest): boolean {
  const { roleIds, scopeKinds, scopeIds, scopeNamePattern, principalTypes } = match;
  const scopeId = request.scope.id ?? '';
  return (
    (roleIds === undefined || roleIds.some((id) => sameId(id, request.roleId))) &&
    (scopeKinds === undefined || scopeKinds.includes(request.scope.kind)) &&
    (scopeIds === undefined || scopeIds.some((id) => sameId(id, scopeId))) &&
    (scopeNamePattern === undefined || (request.scope.kind !== 'tenant' && globMatches(scopeNamePattern, request.scope.displayName))) &&
    (principalTypes === undefined || principalTypes.includes(request.principal.type))
  );
}

function requesterAllowed(rule: RbacRule, request: RbacRequest): boolean {
  const listed = rule.requesterUserIds !== undefined || rule.requesterGroupIds !== undefined;
  const named =
    (rule.requesterUserIds ?? []).some((id) => sameId(id, request.requesterId)) ||
    (rule.requesterGroupIds ?? []).some((g) => request.requesterGroupIds.some((id) => sameId(id, g)));
  if (request.principal.type === 'ApplicationUser') return request.requesterOwnsPrincipal || named;
  // A user grant is for the requester only (`grant me`).
  if (!sameId(request.principal.id, request.requesterId)) return false;
  return !listed || named;
}

/** The groups the rules name as requesters, for one membership check. */
export function requesterGroupsNamed(policy: RbacPolicy | undefined): string[] {
  return [...new Set((policy?.rules ?? []).flatMap((r) => r.requesterGroupIds ?? []).map((id) => id.toLowerCase()))];
}

export interface RbacPolicyProblem {
  readonly rule: number;
  readonly field: string;
  readonly problem: string;
}

/** What is wrong with the rules' meaning (shape is the loader's business). */
export function rbacPolicyProblems(policy: RbacPolicy): RbacPolicyProblem[] {
  const problems: RbacPolicyProblem[] = [];
  policy.rules.forEach((rule, index) => {
    const add = (field: string, problem: string) => problems.push({ rule: index, field, problem });
    const minutes = parseIsoDuration(rule.maximumDuration);
    if (minutes === undefined) add('maximumDuration', 'must be an ISO 8601 duration such as PT4H');
    else if (minutes < PIM_MINIMUM_MINUTES || minutes > MAXIMUM_DURATION_LIMIT_MINUTES) add('maximumDuration', 'must be between PT5M and PT24H');
    if (rule.match.scopeNamePattern?.trim() === '') add('match.scopeNamePattern', 'must not be empty');
    const approval = rule.approval;
    if (approval?.required && approval.approverGroupIds.length === 0 && approval.approverUserIds.length === 0) {
      add('approval', 'must list approverGroupIds or approverUserIds when required is true');
    }
    if (rule.match.roleIds?.some((id) => ROLES_NEEDING_APPROVAL.includes(id.toLowerCase())) && !hasApprovers(approval)) {
      add('approval', 'must list approvers: Owner and RBAC Administrator grants always need approval by someone else');
    }
  });
  return problems;
}

function hasApprovers(approval: ApprovalPolicy | undefined): boolean {
  return approval !== undefined && (approval.approverGroupIds.length > 0 || approval.approverUserIds.length > 0);
}
