/**
 * Every permission Elevate needs in a tenant, in one list: the token broker asks for exactly these,
 * the tenant simulator consents to exactly these by default, the README's deployment checklist is
 * rendered from them (tests/unit/readme.test.ts) and `npm run doctor` checks them. Least that works:
 * docs/api-contracts.md §8 and §9 give the sources.
 *
 * On-behalf-of asks only for what was consented (AADSTS65001 otherwise), and `ReadWrite` stands in
 * for `Read` only where Microsoft lists it as the higher permission of a call, never in consent: so
 * Elevate asks for `RoleAssignmentSchedule.ReadWrite.Directory` alone (it is listed for the reads of
 * the user's own assignment instances and for approval steps) and never for the `Read` one.
 */

/** The API a permission belongs to. `elevate` is Elevate's own app registration (its exposed scope). */
export type PermissionResource = 'graph' | 'powerPlatform' | 'dataverse' | 'elevate';

/**
 * How the permission is granted: admin consent in Entra (delegated grant or application permission),
 * or outside Entra: the Power Platform management-application registration, a Dataverse application
 * user in each environment, or the Teams clients' pre-authorisation of Elevate's own scope.
 */
export type GrantedBy = 'adminConsent' | 'managementApplication' | 'dataverseApplicationUser' | 'preAuthorization' | 'rbacAdministratorRole';

export interface Permission {
  resource: PermissionResource;
  kind: 'delegated' | 'application';
  /** The scope or app-role value as Entra shows it; `.default` where the grant is not an Entra permission. */
  value: string;
  grantedBy: GrantedBy;
  /** What Elevate does with it, for the README and the doctor. */
  why: string;
  /** A privilege beyond reading that an operator should know about (shown in the README). */
  privileged?: string;
  /**
   * Whose it is: Elevate's app (default), or the separate, optional RBAC application identity
   * (ELEVATE_RBAC_CLIENT_ID, issue #14), which the token broker of Elevate's app never asks for.
   */
  identity?: 'rbac';
}

/** The resource application ids and display names, as Entra lists them under "API permissions". */
export const RESOURCE_APPS: Record<Exclude<PermissionResource, 'elevate' | 'dataverse'>, { appId: string; name: string }> = {
  graph: { appId: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' },
  powerPlatform: { appId: '8578e004-a5c6-46e7-913e-12f58912df43', name: 'Power Platform API' },
};

export const PERMISSIONS: readonly Permission[] = [
  {
    resource: 'graph',
    kind: 'delegated',
    value: 'RoleAssignmentSchedule.ReadWrite.Directory',
    grantedBy: 'adminConsent',
    why: "the requester's own PIM activation and deactivation, reading their active roles, and a PIM approver's Approve/Deny (beta roleAssignmentApprovals)",
  },
  {
    resource: 'graph',
    kind: 'delegated',
    value: 'RoleEligibilitySchedule.Read.Directory',
    grantedBy: 'adminConsent',
    why: "the requester's eligible roles",
  },
  {
    resource: 'graph',
    kind: 'delegated',
    value: 'openid',
    grantedBy: 'adminConsent',
    why: 'the interactive sign-in for consent, MFA and authentication-context step-up (MSAL always asks for openid, profile, offline_access)',
  },
  { resource: 'graph', kind: 'delegated', value: 'profile', grantedBy: 'adminConsent', why: 'the interactive sign-in (with openid)' },
  { resource: 'graph', kind: 'delegated', value: 'offline_access', grantedBy: 'adminConsent', why: 'the interactive sign-in (with openid)' },
  {
    resource: 'powerPlatform',
    kind: 'delegated',
    value: 'UserManagement.Users.Apply',
    grantedBy: 'adminConsent',
    why: "`applyAdminRole` on the requester's own token (Elevate asks for `.default`: every granted Power Platform API scope). Microsoft's permission reference does not list this scope yet [3P]; grant what your tenant shows for user management",
  },
  {
    resource: 'powerPlatform',
    kind: 'delegated',
    value: 'EnvironmentManagement.Environments.Read',
    grantedBy: 'adminConsent',
    why: "listing the environments a requester sees, when Elevate's own listing is not available",
  },
  {
    resource: 'elevate',
    kind: 'delegated',
    value: 'access_as_user',
    grantedBy: 'preAuthorization',
    why: 'Teams SSO tokens for Elevate (pre-authorise the Teams clients) and the interactive sign-in, which asks for this scope',
  },
  {
    resource: 'graph',
    kind: 'application',
    value: 'User.Read.All',
    grantedBy: 'adminConsent',
    why: 'with GroupMember.Read.All: `checkMemberGroups` on a user (security team and approver groups)',
  },
  {
    resource: 'graph',
    kind: 'application',
    value: 'GroupMember.Read.All',
    grantedBy: 'adminConsent',
    why: 'group membership (security team, approver groups and their members for card refresh)',
  },
  {
    resource: 'graph',
    kind: 'application',
    value: 'RoleManagementPolicy.Read.Directory',
    grantedBy: 'adminConsent',
    why: "each role's activation policy (maximum duration, justification, ticket, MFA, approval), read with Elevate's identity: a delegated read also needs a directory role such as Global Reader, which requesters may not hold",
  },
  {
    resource: 'graph',
    kind: 'application',
    value: 'RoleManagement.Read.Directory',
    grantedBy: 'adminConsent',
    why: "confirming at expiry that the requester's PIM assignment ended (or was extended)",
  },
  {
    resource: 'graph',
    kind: 'application',
    value: 'Application.Read.All',
    grantedBy: 'adminConsent',
    why: 'reading the owners of a service principal (`grant … to app`: only its owners may ask) and finding it by name or app id (Power Platform RBAC grants)',
  },
  {
    resource: 'powerPlatform',
    kind: 'application',
    value: '.default',
    grantedBy: 'rbacAdministratorRole',
    identity: 'rbac',
    why: 'only with ELEVATE_RBAC_CLIENT_ID: the separate RBAC identity creates the Power Platform role assignments Elevate grants and removes them at expiry',
    privileged:
      'the RBAC identity holds the Power Platform role-based access control administrator role at tenant scope: whoever has its credential can assign any Power Platform role (Owner included) to anyone, at any scope (README "Power Platform RBAC grants")',
  },
  {
    resource: 'powerPlatform',
    kind: 'application',
    value: '.default',
    grantedBy: 'managementApplication',
    why: 'listing every environment, so that an admin whose role is not active yet can elevate in an environment by name',
    privileged:
      'a registered management application is treated as a Power Platform administrator for the calls it makes; Elevate only lists environments with it',
  },
  {
    resource: 'dataverse',
    kind: 'application',
    value: '.default',
    grantedBy: 'dataverseApplicationUser',
    why: 'reading whether the requester already holds System Administrator, and removing the System Administrator role an elevation added',
    privileged: 'the application user holds System Administrator in each environment (the only role Microsoft documents as able to remove it)',
  },
];

/**
 * The Teams clients that must be pre-authorised for Elevate's `access_as_user` scope, so that Teams
 * SSO gets a token without a consent prompt (learn.microsoft.com/microsoftteams/platform, "Register
 * your app in Microsoft Entra ID": Teams mobile/desktop and Teams web).
 */
export const TEAMS_CLIENTS: readonly { appId: string; name: string }[] = [
  { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Teams desktop and mobile' },
  { appId: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', name: 'Teams web' },
];

/** Delegated scopes of one resource, as `<resource URI>/<value>` (what an on-behalf-of request names). */
export function delegatedScopes(resource: PermissionResource, resourceUri: string): string[] {
  const base = resourceUri.replace(/\/+$/, '');
  return PERMISSIONS.filter((p) => p.resource === resource && p.kind === 'delegated' && !OIDC_SCOPES.includes(p.value)).map((p) => `${base}/${p.value}`);
}

/** Scopes that Entra grants for sign-in itself (not resource access): MSAL adds them to every interactive request. */
export const OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'offline_access'];

/** The permissions of Elevate's own app for one resource and kind (values only). */
export function permissionValues(resource: PermissionResource, kind: Permission['kind']): string[] {
  return PERMISSIONS.filter((p) => p.resource === resource && p.kind === kind && p.identity === undefined).map((p) => p.value);
}
