import { createHash } from 'node:crypto';
import type { FirstPartyServicePrincipal, ResourceName } from '../tenant/model.js';

/**
 * Microsoft's APIs as their service principals describe them in every tenant: app roles
 * (application permissions) and delegated scopes, with the ids Graph's `appRoles` and
 * `oauth2PermissionScopes` carry. Ids marked "well-known" are the real ones (used in countless
 * `requiredResourceAccess` blocks); the others are derived here, stable but not Microsoft's [?]:
 * nothing in Elevate depends on an id, only on mapping an id to its value through the resource's
 * service principal (learn.microsoft.com/graph/api/resources/approleassignment, `appRoleId`).
 */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const POWER_PLATFORM_APP_ID = '8578e004-a5c6-46e7-913e-12f58912df43';
/** "Dynamics CRM", the resource of Dataverse tokens. */
export const DATAVERSE_APP_ID = '00000007-0000-0000-c000-000000000000';

export interface PermissionDefinition {
  id: string;
  value: string;
}

interface FirstPartyApi {
  displayName: string;
  resource: ResourceName;
  appRoles: PermissionDefinition[];
  scopes: PermissionDefinition[];
}

/** A stable GUID-shaped id for a permission whose real id is not recorded here. */
export function derivedId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function permissions(appId: string, kind: string, known: Record<string, string>, values: readonly string[]): PermissionDefinition[] {
  return [...Object.entries(known).map(([value, id]) => ({ id, value })), ...values.map((value) => ({ id: derivedId(`${appId}|${kind}|${value}`), value }))];
}

const FIRST_PARTY: Record<string, FirstPartyApi> = {
  [GRAPH_APP_ID]: {
    displayName: 'Microsoft Graph',
    resource: 'graph',
    appRoles: permissions(
      GRAPH_APP_ID,
      'role',
      {
        // well-known
        'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
        'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
        'Group.Read.All': '5b567255-7703-4780-807c-7be8301ae99b',
        'RoleManagement.Read.Directory': '483bed4a-2ad3-4361-a73b-c83ccdbdc53c',
        'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
        'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
      },
      ['RoleManagement.Read.All', 'RoleManagementPolicy.Read.Directory', 'RoleAssignmentSchedule.Read.Directory', 'User.ReadBasic.All'],
    ),
    scopes: permissions(
      GRAPH_APP_ID,
      'scope',
      {
        // well-known
        openid: '37f7f235-527c-4136-accd-4a02d197296e',
        profile: '14dad69e-099b-42c9-810b-d002981feec1',
        offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
        'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
      },
      [
        'Application.Read.All',
        'Directory.Read.All',
        'GroupMember.Read.All',
        'User.ReadBasic.All',
        'User.Read.All',
        'RoleAssignmentSchedule.Read.Directory',
        'RoleAssignmentSchedule.ReadWrite.Directory',
        'RoleEligibilitySchedule.Read.Directory',
        'RoleManagementPolicy.Read.Directory',
        'RoleManagement.Read.Directory',
      ],
    ),
  },
  [POWER_PLATFORM_APP_ID]: {
    displayName: 'Power Platform API',
    resource: 'powerplatform',
    // research-9 §1: the only app role in a third-party dump of this service principal [3P].
    appRoles: permissions(POWER_PLATFORM_APP_ID, 'role', {}, ['CopilotStudio.Copilots.Invoke']),
    scopes: permissions(
      POWER_PLATFORM_APP_ID,
      'scope',
      // research-9 §1 [3P: dump of the service principal's scopes].
      { 'EnvironmentManagement.Environments.Read': '177690ed-85f1-41d9-8dbf-2716e60ff46a' },
      // Not in Microsoft's permission reference (research-9 §1, [3P]); modelled so that it can be consented.
      ['UserManagement.Users.Apply', 'AppManagement.ApplicationPackages.Read', 'AppManagement.ApplicationPackages.Install'],
    ),
  },
  [DATAVERSE_APP_ID]: {
    displayName: 'Dataverse',
    resource: 'dataverse',
    appRoles: [],
    scopes: permissions(DATAVERSE_APP_ID, 'scope', {}, ['user_impersonation']),
  },
};

/** Microsoft's API with this app id, or undefined. */
export function firstPartyApi(appId: string): FirstPartyApi | undefined {
  return FIRST_PARTY[appId.toLowerCase()];
}

/** The app id of the first-party API a simulator resource name stands for. */
export function firstPartyAppIdOf(resource: ResourceName): string | undefined {
  return Object.entries(FIRST_PARTY).find(([, api]) => api.resource === resource)?.[0];
}

/** Looks a permission value up (case-insensitive); an unknown value gets a derived id, as for any custom permission. */
export function permissionId(appId: string, kind: 'role' | 'scope', value: string): string {
  const api = firstPartyApi(appId);
  const list = kind === 'role' ? api?.appRoles : api?.scopes;
  return list?.find((p) => p.value.toLowerCase() === value.toLowerCase())?.id ?? derivedId(`${appId.toLowerCase()}|${kind}|${value}`);
}

/** The seed's first-party service principals: one per API above, with tenant-specific object ids. */
export function seedServicePrincipals(): FirstPartyServicePrincipal[] {
  return Object.entries(FIRST_PARTY).map(([appId, api], i) => ({ id: `5e1f0000-0000-4000-8000-00000000000${i + 1}`, appId, displayName: api.displayName }));
}
