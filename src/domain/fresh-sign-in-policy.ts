import type { ElevatePolicy, PolicyMatch, PolicyRule, PolicySettings } from './elevate-policy.js';
import { GLOBAL_ADMINISTRATOR } from './roles.js';

/**
 * Start-up warnings (not errors, so that an existing policy keeps working): every place in the policy
 * where a Global Administrator request is approved on cards without a fresh sign-in (issue #18). A
 * rule applies to Global Administrator when it lists that role or lists no role, unless an earlier
 * rule for Global Administrator already takes every such request; `defaults` when some Global
 * Administrator request can fall through to them.
 */
export function freshSignInWarnings(policy: ElevatePolicy): string[] {
  const warnings: string[] = [];
  policy.rules.forEach((rule, index) => {
    // A rule without its own approval block takes the defaults': reported once, for the defaults.
    if (rule.approval === undefined || !listsGlobalAdministrator(rule.match, true)) return;
    if (policy.rules.slice(0, index).some((earlier) => takesEveryGlobalAdministratorRequestOf(earlier, rule))) return;
    if (approvesWithoutFreshSignIn(rule)) warnings.push(`rule "${rule.name}" approves Global Administrator requests on cards without approval.freshSignIn`);
  });
  const catchAll = policy.rules.some((rule) => listsGlobalAdministrator(rule.match, false) && environmentCriteria(rule.match).every((c) => c === undefined));
  if (!catchAll && approvesWithoutFreshSignIn(policy.defaults))
    warnings.push('defaults approve Global Administrator requests on cards without approval.freshSignIn');
  return warnings;
}

function listsGlobalAdministrator(match: PolicyMatch, orNoRole: boolean): boolean {
  if (match.roleIds === undefined) return orNoRole;
  return match.roleIds.some((id) => id.toLowerCase() === GLOBAL_ADMINISTRATOR);
}

function environmentCriteria(match: PolicyMatch): unknown[] {
  return [match.environmentIds, match.environmentNamePattern, match.environmentTypes];
}

/** True when every Global Administrator request `later` matches is matched by `earlier` first. */
function takesEveryGlobalAdministratorRequestOf(earlier: PolicyRule, later: PolicyRule): boolean {
  if (!listsGlobalAdministrator(earlier.match, true)) return false;
  const mine = environmentCriteria(later.match);
  return environmentCriteria(earlier.match).every((criterion, i) => criterion === undefined || JSON.stringify(criterion) === JSON.stringify(mine[i]));
}

function approvesWithoutFreshSignIn(settings: PolicySettings): boolean {
  return settings.approval?.required === true && settings.approval.freshSignIn === undefined;
}
