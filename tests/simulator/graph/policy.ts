import type { RolePolicy, TenantModel } from '../tenant/model.js';

/**
 * A role's PIM policy in Graph's shape (docs/api-contracts.md §2, "A role's activation policy"): the full
 * rule list, admin rules included, so that a client must pick the end-user rules by id.
 */
const T = '#microsoft.graph.unifiedRoleManagementPolicy';

function target(caller: 'Admin' | 'EndUser', level: 'Eligibility' | 'Assignment') {
  return { caller, operations: ['all'], level, inheritableSettings: [], enforcedSettings: [] };
}

function notification(id: string, recipientType: string, caller: 'Admin' | 'EndUser', level: 'Eligibility' | 'Assignment') {
  return {
    '@odata.type': `${T}NotificationRule`,
    id,
    notificationType: 'Email',
    recipientType,
    notificationLevel: 'All',
    isDefaultRecipientsEnabled: true,
    notificationRecipients: [],
    target: target(caller, level),
  };
}

function approvers(tenant: TenantModel, ids: readonly string[]) {
  return ids.map((id) =>
    tenant.groups.some((g) => g.id === id)
      ? { '@odata.type': '#microsoft.graph.groupMembers', groupId: id, description: tenant.groups.find((g) => g.id === id)?.displayName ?? null }
      : { '@odata.type': '#microsoft.graph.singleUser', userId: id, description: tenant.users.find((u) => u.id === id)?.name ?? null },
  );
}

export function policyRules(tenant: TenantModel, policy: RolePolicy): Record<string, unknown>[] {
  return [
    {
      '@odata.type': `${T}ExpirationRule`,
      id: 'Expiration_Admin_Eligibility',
      isExpirationRequired: false,
      maximumDuration: 'P365D',
      target: target('Admin', 'Eligibility'),
    },
    { '@odata.type': `${T}EnablementRule`, id: 'Enablement_Admin_Eligibility', enabledRules: [], target: target('Admin', 'Eligibility') },
    notification('Notification_Admin_Admin_Eligibility', 'Admin', 'Admin', 'Eligibility'),
    {
      '@odata.type': `${T}ExpirationRule`,
      id: 'Expiration_Admin_Assignment',
      isExpirationRequired: false,
      maximumDuration: 'P180D',
      target: target('Admin', 'Assignment'),
    },
    {
      '@odata.type': `${T}EnablementRule`,
      id: 'Enablement_Admin_Assignment',
      enabledRules: ['Justification', 'MultiFactorAuthentication'],
      target: target('Admin', 'Assignment'),
    },
    notification('Notification_Admin_Admin_Assignment', 'Admin', 'Admin', 'Assignment'),
    {
      '@odata.type': `${T}ExpirationRule`,
      id: 'Expiration_EndUser_Assignment',
      isExpirationRequired: true,
      maximumDuration: policy.maximumDuration,
      target: target('EndUser', 'Assignment'),
    },
    {
      '@odata.type': `${T}EnablementRule`,
      id: 'Enablement_EndUser_Assignment',
      enabledRules: [...policy.enabledRules],
      target: target('EndUser', 'Assignment'),
    },
    {
      '@odata.type': `${T}ApprovalRule`,
      id: 'Approval_EndUser_Assignment',
      setting: {
        isApprovalRequired: policy.approvalRequired,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: approvers(tenant, policy.approverIds),
            escalationApprovers: [],
          },
        ],
      },
      target: target('EndUser', 'Assignment'),
    },
    {
      '@odata.type': `${T}AuthenticationContextRule`,
      id: 'AuthenticationContext_EndUser_Assignment',
      isEnabled: policy.authenticationContext !== null,
      claimValue: policy.authenticationContext,
      target: target('EndUser', 'Assignment'),
    },
    notification('Notification_Admin_EndUser_Assignment', 'Admin', 'EndUser', 'Assignment'),
    notification('Notification_Requestor_EndUser_Assignment', 'Requestor', 'EndUser', 'Assignment'),
    notification('Notification_Approver_EndUser_Assignment', 'Approver', 'EndUser', 'Assignment'),
  ];
}

export function policyAssignment(tenant: TenantModel, policy: RolePolicy, expandPolicy: boolean): Record<string, unknown> {
  const assignment: Record<string, unknown> = {
    id: `${policy.policyId}_${policy.roleDefinitionId}`,
    policyId: policy.policyId,
    scopeId: '/',
    scopeType: 'DirectoryRole',
    roleDefinitionId: policy.roleDefinitionId,
  };
  if (expandPolicy) {
    assignment['policy'] = {
      id: policy.policyId,
      displayName: 'DirectoryRole',
      description: 'DirectoryRole',
      isOrganizationDefault: false,
      scopeId: '/',
      scopeType: 'Directory',
      lastModifiedDateTime: null,
      lastModifiedBy: null,
      rules: policyRules(tenant, policy),
    };
  }
  return assignment;
}

/** The role's policy; roles without one get Entra's default (8 hours, MFA and justification). */
export function policyFor(tenant: TenantModel, roleDefinitionId: string): RolePolicy {
  const policy = tenant.policies.find((p) => p.roleDefinitionId === roleDefinitionId);
  if (policy) return policy;
  return {
    roleDefinitionId,
    policyId: `Directory_${tenant.tenantId}_default_${roleDefinitionId}`,
    maximumDuration: 'PT8H',
    enabledRules: ['MultiFactorAuthentication', 'Justification'],
    approvalRequired: false,
    approverIds: [],
    authenticationContext: null,
  };
}
