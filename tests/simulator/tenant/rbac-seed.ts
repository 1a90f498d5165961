import type { AppRegistration, EnvironmentGroup, RbacAssignment } from './model.js';

/**
 * The Power Platform RBAC part of the demo tenant (issue #14): the four built-in role definitions,
 * three environment groups, Elevate's optional RBAC application identity (holding the RBAC
 * Administrator role at tenant scope, the standing privilege the README names) and a deployment
 * pipeline's app owned by Adele. Kept apart from seed.ts so that file stays about PIM.
 */

/**
 * Built-in role definitions: ids from the tutorial "Assign roles to service principals (preview)"
 * (learn.microsoft.com/power-platform/admin/programmability-tutorial-rbac-role-assignment) and
 * docs/api-contracts.md §3; names as the tutorial's table writes them. Permissions are summaries [?].
 */
export const RBAC_ROLES = {
  owner: '0cb07c69-1631-4725-ab35-e59e001c51ea',
  contributor: 'ff954d61-a89a-4fbe-ace9-01c367b89f87',
  reader: 'c886ad2e-27f7-4874-8381-5849b8d8a090',
  rbacAdministrator: '95e94555-018c-447b-8691-bdac8e12211e',
} as const;

export const RBAC_ROLE_DEFINITIONS: readonly { roleDefinitionId: string; roleDefinitionName: string; permissions: string[] }[] = [
  { roleDefinitionId: RBAC_ROLES.owner, roleDefinitionName: 'Power Platform owner', permissions: ['*'] },
  { roleDefinitionId: RBAC_ROLES.contributor, roleDefinitionName: 'Power Platform contributor', permissions: ['*/read', '*/write', '*/delete'] },
  { roleDefinitionId: RBAC_ROLES.reader, roleDefinitionName: 'Power Platform reader', permissions: ['*/read'] },
  {
    roleDefinitionId: RBAC_ROLES.rbacAdministrator,
    roleDefinitionName: 'Power Platform role-based access control administrator',
    permissions: ['Microsoft.PowerPlatform/authorization/roleAssignments/*', '*/read'],
  },
];

export const ENVIRONMENT_GROUPS = {
  finance: { id: '6e000000-0000-4000-8000-0000000f1a00', displayName: 'Finance' },
  contoso: { id: '6e000000-0000-4000-8000-00000000c050', displayName: 'Contoso' },
  /** Empty; its name starts like Finance's, so `Fin` is ambiguous. */
  financeEmea: { id: '6e000000-0000-4000-8000-0000000f1e00', displayName: 'Finance EMEA' },
} as const;

/** Elevate's separate RBAC application (ELEVATE_RBAC_CLIENT_ID): client credentials for the Power Platform API only. */
export const ELEVATE_RBAC_APP = {
  clientId: 'e1e7a7e0-8bac-4000-8000-0000000008ac',
  secret: 'simulated-rbac-secret',
  servicePrincipalId: 'e1e7a7e0-5e00-4000-8000-0000000008ac',
  displayName: 'Elevate RBAC',
} as const;

/** A deployment pipeline's app whose service principal Adele owns. */
export const PIPELINE_APP = {
  clientId: 'de910e00-0000-4000-8000-00000000de91',
  servicePrincipalId: 'de910e00-5e00-4000-8000-00000000de91',
  displayName: 'Contoso Deploy Pipeline',
} as const;

export function rbacApps(ownerOfPipeline: string): AppRegistration[] {
  const base = { identifierUris: [], redirectUris: [], delegatedPermissions: {}, appRoles: {} };
  return [
    {
      ...base,
      clientId: ELEVATE_RBAC_APP.clientId,
      displayName: ELEVATE_RBAC_APP.displayName,
      secrets: [ELEVATE_RBAC_APP.secret],
      servicePrincipalId: ELEVATE_RBAC_APP.servicePrincipalId,
    },
    {
      ...base,
      clientId: PIPELINE_APP.clientId,
      displayName: PIPELINE_APP.displayName,
      secrets: [],
      servicePrincipalId: PIPELINE_APP.servicePrincipalId,
      owners: [ownerOfPipeline],
    },
  ];
}

export function environmentGroups(finance: string[], contoso: string[]): EnvironmentGroup[] {
  return [
    { ...ENVIRONMENT_GROUPS.finance, environmentIds: finance },
    { ...ENVIRONMENT_GROUPS.contoso, environmentIds: contoso },
    { ...ENVIRONMENT_GROUPS.financeEmea, environmentIds: [] },
  ];
}

/** The RBAC identity's standing tenant-scope RBAC Administrator assignment. */
export function seedRbacAssignments(tenantId: string): RbacAssignment[] {
  return [
    {
      roleAssignmentId: '8ac00000-0000-4000-8000-000000000001',
      principalObjectId: ELEVATE_RBAC_APP.servicePrincipalId,
      principalType: 'ApplicationUser',
      roleDefinitionId: RBAC_ROLES.rbacAdministrator,
      scope: `/tenants/${tenantId}`,
      createdOn: '2025-01-01T00:00:00Z',
    },
  ];
}
