import type { RoleActivationPolicy } from '../../ports/pim-directory.js';

/** Entra's default activation maximum when a policy has no end-user expiration rule. */
const DEFAULT_MAXIMUM_DURATION = 'PT8H';

interface PolicyRule {
  id?: string;
  maximumDuration?: string;
  enabledRules?: string[];
  setting?: { isApprovalRequired?: boolean };
  isEnabled?: boolean;
  claimValue?: string;
}

/** One `roleManagementPolicyAssignment` with `$expand=policy($expand=rules)`. */
export interface PolicyAssignment {
  roleDefinitionId?: string;
  policy?: { rules?: PolicyRule[] };
}

/**
 * Reads the end-user activation rules of a role's PIM policy (docs/api-contracts.md §2), by rule id:
 * `Expiration_EndUser_Assignment`, `Enablement_EndUser_Assignment`, `Approval_EndUser_Assignment`,
 * `AuthenticationContext_EndUser_Assignment`. The admin rules (`..._Admin_...`) govern assignments
 * made by administrators, not activations, and are ignored.
 */
export function parseActivationPolicy(roleDefinitionId: string, assignment: PolicyAssignment): RoleActivationPolicy {
  const rules = assignment.policy?.rules ?? [];
  const rule = (id: string) => rules.find((r) => r.id?.toLowerCase() === id.toLowerCase());
  const enabled = rule('Enablement_EndUser_Assignment')?.enabledRules ?? [];
  const authContext = rule('AuthenticationContext_EndUser_Assignment');
  const policy: RoleActivationPolicy = {
    roleDefinitionId,
    maximumDuration: rule('Expiration_EndUser_Assignment')?.maximumDuration || DEFAULT_MAXIMUM_DURATION,
    justificationRequired: enabled.includes('Justification'),
    ticketRequired: enabled.includes('Ticketing'),
    mfaRequired: enabled.includes('MultiFactorAuthentication'),
    approvalRequired: rule('Approval_EndUser_Assignment')?.setting?.isApprovalRequired === true,
  };
  if (authContext?.isEnabled === true && authContext.claimValue) policy.authenticationContext = authContext.claimValue;
  return policy;
}
