import type { ElevatePolicy, PolicySettings } from './elevate-policy.js';
import { GLOBAL_ADMINISTRATOR } from './roles.js';

/**
 * Start-up warnings (not errors, so that an existing policy keeps working): every place in the policy
 * where a Global Administrator request is approved on cards without a fresh sign-in. A rule applies to
 * Global Administrator when it lists that role or lists no role; `defaults` when some such request
 * can fall through to it.
 */
export function freshSignInWarnings(policy: ElevatePolicy): string[] {
  const warnings: string[] = [];
  const coversGlobalAdministrator = (roleIds: readonly string[] | undefined) =>
    roleIds === undefined || roleIds.some((id) => id.toLowerCase() === GLOBAL_ADMINISTRATOR);
  for (const rule of policy.rules) {
    // A rule without its own approval block takes the defaults': reported once, for the defaults.
    if (rule.approval === undefined || !coversGlobalAdministrator(rule.match.roleIds)) continue;
    if (approvesWithoutFreshSignIn(rule)) warnings.push(`rule "${rule.name}" approves Global Administrator requests on cards without approval.freshSignIn`);
  }
  if (approvesWithoutFreshSignIn(policy.defaults)) warnings.push('defaults approve Global Administrator requests on cards without approval.freshSignIn');
  return warnings;
}

function approvesWithoutFreshSignIn(settings: PolicySettings): boolean {
  return settings.approval?.required === true && settings.approval.freshSignIn === undefined;
}
