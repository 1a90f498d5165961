/**
 * The simulator's in-memory tenant: what `GET /_control/tenant` returns and `PUT /_control/tenant`
 * accepts. Times are ISO 8601 strings on the simulator clock. Resources are named, not addressed
 * (`graph`, `powerplatform`, `dataverse`, `botframework`), because the Dataverse URLs depend on the port.
 * `api` is the API an app registration exposes (addressed by one of its `identifierUris`,
 * `api://{clientId}` or its client id; tokens have `aud` = that app's client id): the demo's only one
 * is Elevate's own `access_as_user`, which the interactive sign-in asks for.
 */
export type ResourceName = 'graph' | 'powerplatform' | 'dataverse' | 'botframework' | 'api';

export interface TenantModel {
  tenantId: string;
  displayName: string;
  users: TenantUser[];
  groups: TenantGroup[];
  apps: AppRegistration[];
  roleDefinitions: RoleDefinition[];
  eligibilities: EligibilityInstance[];
  assignments: AssignmentInstance[];
  requests: AssignmentRequest[];
  approvals: Approval[];
  policies: RolePolicy[];
  environments: Environment[];
  /** Dataverse organisations by environment `domainName`. */
  dataverse: Record<string, DataverseOrg>;
  teams: Team[];
  /**
   * Service principals of Microsoft's APIs present in the tenant (Graph, Power Platform API,
   * Dataverse); their app roles and scopes are Microsoft's (entra-first-party.ts). An app
   * registration's own service principal is its `servicePrincipalId`. Without the Power Platform
   * API's, Entra refuses tokens for it (AADSTS500011) and nobody can consent to it.
   */
  servicePrincipals: FirstPartyServicePrincipal[];
  /**
   * User-assigned managed identities assigned to the simulated App Service: what its managed identity
   * endpoint (`/msi/token`, IDENTITY_ENDPOINT) issues tokens for (entra/managed-identity.ts).
   */
  managedIdentities: ManagedIdentity[];
  /**
   * The Azure Bot resource (Microsoft.BotService/botServices `msaAppId`, `msaAppType`): the connector
   * accepts tokens of this app only, and channel tokens are addressed to it.
   */
  azureBot: AzureBot;
  /** Power Platform environment groups (Authorization API scopes `/tenants/{tid}/environmentGroups/{id}`). */
  environmentGroups: EnvironmentGroup[];
  /** Power Platform RBAC role assignments (power-platform/rbac-routes.ts). */
  rbacAssignments: RbacAssignment[];
}

export interface EnvironmentGroup {
  id: string;
  displayName: string;
  description?: string;
  /** Nested groups (`parentGroupId`/`childrenGroupIds` of the REST reference's EnvironmentGroup [D]). */
  parentGroupId?: string;
  environmentIds: string[];
}

/** Principal types of the Authorization API (Microsoft.PowerPlatform.EnterprisePolicies `AuthorizationPrincipalType` [S]). */
export type RbacPrincipalType = 'User' | 'Group' | 'ApplicationUser';

/** A Power Platform RBAC role assignment as the Authorization API answers it (docs/api-contracts.md §3, RBAC). */
export interface RbacAssignment {
  roleAssignmentId: string;
  principalObjectId: string;
  principalType: RbacPrincipalType;
  roleDefinitionId: string;
  /** `/tenants/{tid}`, `/tenants/{tid}/environmentGroups/{id}` or `/tenants/{tid}/environments/{id}`. */
  scope: string;
  createdOn: string;
}

export interface ManagedIdentity {
  /** Client (application) id: `client_id` of the endpoint, `appid` of its tokens. */
  clientId: string;
  /** Object id of its service principal: `oid`/`sub` of its tokens, the `subject` of a federated credential. */
  principalId: string;
  displayName: string;
}

export interface AzureBot {
  msaAppId: string;
  msaAppType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
}

/** A certificate registered on an app (Graph `keyCredential`, type AsymmetricX509Cert, usage Verify). */
export interface KeyCredential {
  keyId: string;
  displayName: string;
  /** Base64 DER of the certificate (Graph's `key`). */
  certificate: string;
  startDateTime: string;
  endDateTime: string;
}

/** Graph `federatedIdentityCredential`: tokens of `issuer` about `subject` for one of `audiences` sign the app in. */
export interface FederatedIdentityCredential {
  name: string;
  /** As registered in Entra: `https://login.microsoftonline.com/{tenant}/v2.0` for a managed identity. */
  issuer: string;
  subject: string;
  audiences: string[];
}

export interface FirstPartyServicePrincipal {
  /** Object id in this tenant. */
  id: string;
  appId: string;
  displayName: string;
}

export interface TenantUser {
  id: string;
  upn: string;
  name: string;
  disabled?: boolean;
  /** Conditional Access asks for MFA on every on-behalf-of exchange unless the assertion's `amr` has `mfa`. */
  requireMfa?: boolean;
  /** The user has not consented to the client app: every on-behalf-of exchange answers AADSTS65001. */
  consentMissing?: boolean;
  /**
   * Entra roles (template ids) held permanently, outside PIM, e.g. the operator's Global Reader.
   * Graph's directory reads check them for delegated callers; the PIM endpoints do not list them.
   */
  directoryRoleIds?: string[];
}

export interface TenantGroup {
  id: string;
  displayName: string;
  /** User or group ids; membership is transitive. */
  members: string[];
}

export interface AppRegistration {
  clientId: string;
  displayName: string;
  secrets: string[];
  /** Object id of the app's service principal (`oid` of its app tokens). */
  servicePrincipalId: string;
  /** Application ID URIs; an on-behalf-of assertion may carry one of them as `aud`. */
  identifierUris: string[];
  /**
   * Redirect URIs for the interactive sign-in (authorize). Exact match, except that a loopback URI
   * (`127.0.0.1`, `localhost`, `[::1]`) matches any port, as in Entra.
   */
  redirectUris: string[];
  /** Delegated permissions consented for this app, per resource. */
  delegatedPermissions: Partial<Record<ResourceName, string[]>>;
  /** Application permissions (app roles) granted to this app, per resource. */
  appRoles: Partial<Record<ResourceName, string[]>>;
  /** Object ids of the users who own the app's service principal (Graph `servicePrincipals/{id}/owners`). */
  owners?: string[];
  /** Registered as a Power Platform management application (may call the API with app tokens). */
  powerPlatformManagementApp?: boolean;
  /**
   * When each secret stops working: `secretEndDateTimes[i]` ends `secrets[i]` (Graph's
   * `passwordCredentials[].endDateTime`); absent: no end. An expired secret answers AADSTS7000222.
   */
  secretEndDateTimes?: string[];
  /** "Allow public client flows": the device code grant without a secret. */
  publicClient?: boolean;
  /** "Expose an API": its delegated scopes, the clients pre-authorised for them, the access token version. */
  exposedApi?: ExposedApi;
  /** Certificates whose keys may sign client assertions (entra/client-assertion.ts). */
  keyCredentials?: KeyCredential[];
  /** Workload identity federation: external tokens accepted as client assertions. */
  federatedIdentityCredentials?: FederatedIdentityCredential[];
}

export interface ExposedApi {
  /** Scope values, e.g. `access_as_user`. */
  scopes: string[];
  /** Client ids pre-authorised for every scope (Teams desktop/mobile and web for Elevate). */
  preAuthorizedClientIds: string[];
  /** The manifest's `accessTokenAcceptedVersion` (`api.requestedAccessTokenVersion` in Graph). */
  requestedAccessTokenVersion: 1 | 2 | null;
}

export interface RoleDefinition {
  id: string;
  displayName: string;
}

export interface EligibilityInstance {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  appScopeId: string | null;
  startDateTime: string;
  endDateTime: string | null;
  memberType: 'Direct' | 'Group' | 'Inherited';
  roleEligibilityScheduleId: string;
}

export interface AssignmentInstance {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  appScopeId: string | null;
  startDateTime: string;
  endDateTime: string | null;
  assignmentType: 'Assigned' | 'Activated';
  /** `Group`: the role comes through a group, which Power Platform does not honour. */
  memberType: 'Direct' | 'Group' | 'Inherited';
  roleAssignmentOriginId: string;
  roleAssignmentScheduleId: string;
  /** Simulator only: when PIM has finished provisioning it (activationDelayMs); hidden from Graph. */
  provisionedDateTime?: string;
}

export interface AssignmentRequest {
  id: string;
  action: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  appScopeId: string | null;
  status: string;
  createdDateTime: string;
  completedDateTime: string | null;
  approvalId: string | null;
  isValidationOnly: boolean;
  targetScheduleId: string | null;
  justification: string | null;
  createdBy: { user: { id: string; displayName: string | null } | null; application: null; device: null };
  scheduleInfo: { startDateTime: string; recurrence: null; expiration: { type: string; endDateTime: string | null; duration: string | null } } | null;
  ticketInfo: { ticketNumber: string | null; ticketSystem: string | null } | null;
}

export interface ApprovalStep {
  id: string;
  displayName: string | null;
  status: 'InProgress' | 'Initializing' | 'Completed' | 'Expired';
  reviewResult: 'NotReviewed' | 'Approved' | 'Denied';
  reviewedBy: { id: string; displayName: string } | null;
  reviewedDateTime: string | null;
  justification: string | null;
  /** Simulator only: user or group ids who may decide this step. */
  approverIds: string[];
}

export interface Approval {
  id: string;
  requestId: string;
  steps: ApprovalStep[];
}

/** A role's end-user activation policy, expanded into Graph's rule list on read. */
export interface RolePolicy {
  roleDefinitionId: string;
  policyId: string;
  /** ISO 8601 duration, e.g. `PT8H`. */
  maximumDuration: string;
  enabledRules: ('MultiFactorAuthentication' | 'Justification' | 'Ticketing')[];
  approvalRequired: boolean;
  /** User or group ids. */
  approverIds: string[];
  /** Authentication context class reference (e.g. `c1`), or null. */
  authenticationContext: string | null;
}

export interface Environment {
  id: string;
  displayName: string;
  type: 'Production' | 'Sandbox' | 'Developer' | 'Trial' | 'Default';
  domainName: string;
  geo: string;
  azureRegion: string;
  state: string;
  dataverseId: string;
  /** Users who see the environment without an active admin role. */
  visibleTo: string[];
}

export interface DataverseOrg {
  organizationId: string;
  businessUnits: { businessunitid: string; name: string; parentbusinessunitid: string | null }[];
  roles: { roleid: string; name: string; roletemplateid: string | null; businessunitid: string }[];
  systemusers: DataverseUser[];
  /** Every successful applyAdminRole, oldest first. */
  applyAdminRoleLog: { at: string; userId: string; systemuserid: string; alreadySystemAdministrator: boolean }[];
  /** System Administrator roles Microsoft removed itself after a PIM activation ended (see Settings). */
  removedByMicrosoft?: { at: string; userId: string }[];
  /** Dataverse teams (owner teams, Entra group teams) and the roles they give their members (issue #15). */
  teams?: DataverseTeam[];
  /**
   * The organization row's `isauditenabled` (learn.microsoft.com/power-apps/developer/data-platform/auditing/configure):
   * whether Dataverse records audit rows at all. Absent means off [?: the default of a new environment is not settled here].
   */
  isAuditEnabled?: boolean;
  /** The `audit` table's rows (learn.microsoft.com/power-apps/developer/data-platform/auditing/retrieve-audit-data). */
  audits?: DataverseAudit[];
}

/**
 * One row of the read-only `audit` table (retrieve-audit-data [D]): `createdon` when the user's operation happened,
 * `operation` 1 Create, 2 Update, 3 Delete, 4 Access, `action` the event, `objecttypecode` the logical name of the
 * audited record's table, `objectid` the record, `userid` the systemuser who made the change.
 */
export interface DataverseAudit {
  auditid: string;
  createdon: string;
  operation: number;
  action: number;
  objecttypecode: string;
  objectid: string;
  /** The audited record's primary name, the lookup's formatted value when annotations are asked for. */
  objectname?: string;
  /** The systemuserid who acted. */
  userid: string;
}

/**
 * A Dataverse team (`team` table): `teamtype` 0 Owner, 1 Access, 2 Microsoft Entra security group, 3 Microsoft
 * Entra Office group; a group team carries the group's object id in `azureactivedirectoryobjectid` and gives its
 * security roles to every member (learn.microsoft.com/power-apps/developer/data-platform/aad-group-team,
 * .../reference/entities/team).
 */
export interface DataverseTeam {
  teamid: string;
  name: string;
  teamtype: 0 | 1 | 2 | 3;
  azureactivedirectoryobjectid: string | null;
  businessunitid: string;
  roleIds: string[];
  /** systemuserids of the members (teammembership_association). */
  memberIds: string[];
}

export interface DataverseUser {
  systemuserid: string;
  fullname: string;
  domainname: string;
  azureactivedirectoryobjectid: string;
  /** Set for application users (an app's client id). */
  applicationid: string | null;
  isdisabled: boolean;
  businessunitid: string;
  roleIds: string[];
  /** Audit columns of the systemuser row (`createdon`, `modifiedon`, `_modifiedby_value`); absent in the seed's older rows. */
  createdon?: string;
  modifiedon?: string;
  modifiedby?: string | null;
}

export interface Team {
  id: string;
  name: string;
  aadGroupId: string;
  channels: { id: string; name: string | null }[];
}
