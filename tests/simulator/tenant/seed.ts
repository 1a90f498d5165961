import { permissionValues, TEAMS_CLIENTS } from '../../../src/adapters/identity/permissions.js';
import { GRAPH_COMMAND_LINE_TOOLS_CLIENT_ID, OPERATOR_SCOPES } from '../../../src/cli/doctor/operator-scopes.js';
import { seedServicePrincipals } from '../entra/first-party.js';
import { environmentGroups, rbacApps, seedRbacAssignments } from './rbac-seed.js';
import type { AppRegistration, DataverseOrg, DataverseUser, Environment, RolePolicy, TenantModel } from './model.js';

/**
 * The demo tenant (README "Demo tenant"). The constants are shared with the harness
 * (tests/harness/tenant.ts) and the Agents Playground configuration; `seedTenant()` builds a fresh,
 * independent model for every reset.
 */
export const TENANT_ID = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';
/** The tenant that issues Bot Framework connector tokens (`login.microsoftonline.com/botframework.com`). */
export const BOTFRAMEWORK_TENANT_ID = 'd6d49420-f39b-4df7-a1dc-d59a935871db';

export const BOT_ID = '0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7';
export const BOT_PASSWORD = 'simulated-bot-secret';
export const AAD_APP_CLIENT_ID = 'e1e7a7e0-55a0-4e1e-9a7e-0000000055a0';
export const AAD_APP_CLIENT_SECRET = 'simulated-sso-secret';
export const AAD_APP_ID_URI = `api://botid-${BOT_ID}`;
export const SSO_SCOPE = `${AAD_APP_ID_URI}/access_as_user`;
/** The Elevate app's registered sign-in redirect URIs: loopback, so any port matches. */
export const AAD_APP_REDIRECT_URIS = ['http://127.0.0.1/auth/callback', 'https://127.0.0.1/auth/callback', 'http://localhost/auth/callback'];
/** The Teams desktop/web client, `azp` of Teams SSO tokens. */
export const TEAMS_CLIENT_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';

/**
 * The user-assigned managed identity of the demo's App Service (infra/main.bicep creates one): the
 * bot's identity when `BOT_TYPE=UserAssignedMSI`, and a federated credential of Elevate's app.
 */
export const ELEVATE_IDENTITY = {
  clientId: 'a1d0e5a1-0000-4000-8000-00000000a1d0',
  principalId: 'a1d0e5a1-5e00-4000-8000-00000000a1d0',
  displayName: 'elevate-identity',
} as const;
/** What App Service puts in IDENTITY_HEADER; the endpoint refuses requests without it. */
export const IDENTITY_HEADER = 'simulated-identity-header';

export const SECURITY_GROUP_ID = '5ec0a11d-0000-4000-8000-000000000001';
export const APPROVERS_GROUP_ID = 'a99a0e00-0000-4000-8000-000000000002';
/** The on-call group of the example policy's break glass (issue #16): Adele is on call. */
export const ON_CALL_GROUP_ID = '0ca11000-0000-4000-8000-000000000004';

export const USERS = {
  adele: { id: 'a0000000-0000-4000-8000-00000000ade1', upn: 'adele@contoso.example', name: 'Adele Vance' },
  alex: { id: 'a0000000-0000-4000-8000-00000000a1e5', upn: 'alex@contoso.example', name: 'Alex Wilber' },
  megan: { id: 'a0000000-0000-4000-8000-0000000e6a00', upn: 'megan@contoso.example', name: 'Megan Bowen' },
  nestor: { id: 'a0000000-0000-4000-8000-00000000e570', upn: 'nestor@contoso.example', name: 'Nestor Wilke' },
  lee: { id: 'a0000000-0000-4000-8000-0000000001ee', upn: 'lee@contoso.example', name: 'Lee Gu' },
} as const;

/**
 * The operator who runs `npm run doctor` (not a Teams user of the demo: the Agents Playground's
 * five users stay as they are). A permanent Global Reader, which Graph accepts for every read the
 * doctor makes as her, consent grants and PIM policies included (microsoft-graph-docs-contrib
 * rbac-for-apis includes; Global Reader "can read everything that a Global Administrator can").
 */
export const OPERATOR = { id: 'a0000000-0000-4000-8000-000000000a77', upn: 'patti@contoso.example', name: 'Patti Fernandez' } as const;
/** The doctor's default public client (Microsoft Graph Command Line Tools), consented for its read scopes. */
export const OPERATOR_CLIENT_ID = GRAPH_COMMAND_LINE_TOOLS_CLIENT_ID;

export const ENVIRONMENTS = {
  contosoProd: { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod', type: 'Production', domainName: 'contosoprod' },
  contosoDev: { id: 'e0000000-0000-4000-8000-000000000002', displayName: 'Contoso Dev', type: 'Sandbox', domainName: 'contosodev' },
  contosoUat: { id: 'e0000000-0000-4000-8000-000000000003', displayName: 'Contoso UAT', type: 'Sandbox', domainName: 'contosouat' },
  fabrikamSales: { id: 'e0000000-0000-4000-8000-000000000004', displayName: 'Fabrikam Sales', type: 'Production', domainName: 'fabrikamsales' },
} as const;

/** Entra role template ids (docs/api-contracts.md §6). */
export const ROLES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  powerPlatformAdministrator: '11648597-926c-4cf3-9c36-bcebb0ba8dcc',
  dynamics365Administrator: '44367163-eba1-44c3-98af-f5787879f96a',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
} as const;

/** Dataverse System Administrator role template (the same in every environment, docs/api-contracts.md §4). */
export const SYSTEM_ADMINISTRATOR_TEMPLATE_ID = '627090ff-40a3-4053-8790-584edc5be201';

export const TEAM = {
  id: '19:e1e7a7e0000040008000000000000000@thread.tacv2',
  name: 'Elevate Operations',
  aadGroupId: '7ea40000-0000-4000-8000-000000000003',
  securityChannelId: '19:5ec0a11d000040008000000000000001@thread.tacv2',
  approvalsChannelId: '19:a99a0e00000040008000000000000002@thread.tacv2',
} as const;

/**
 * Elevate's consent is exactly the permission list the README gives an administrator
 * (src/adapters/identity/permissions.ts), nothing more: docs/api-contracts.md §8.
 */
const ELEVATE_DELEGATED = {
  graph: permissionValues('graph', 'delegated'),
  powerplatform: permissionValues('powerPlatform', 'delegated'),
  api: permissionValues('elevate', 'delegated'),
};
const ELEVATE_APP_ROLES = { graph: permissionValues('graph', 'application') };

const SEED_START = '2025-01-01T00:00:00Z';
const { adele, alex, megan, nestor, lee } = USERS;
const envIndex = (domainName: string) => Object.values(ENVIRONMENTS).findIndex((e) => e.domainName === domainName) + 1;

function policy(roleDefinitionId: string, index: number, maximumDuration: string): RolePolicy {
  return {
    roleDefinitionId,
    policyId: `Directory_${TENANT_ID}_9011c000-0000-4000-8000-00000000000${index}`,
    maximumDuration,
    enabledRules: ['Justification'],
    approvalRequired: false,
    approverIds: [APPROVERS_GROUP_ID],
    authenticationContext: null,
  };
}

function eligibility(userId: string, roleDefinitionId: string, n: number) {
  return {
    id: `e1161b1e-0000-4000-8000-00000000000${n}`,
    principalId: userId,
    roleDefinitionId,
    directoryScopeId: '/',
    appScopeId: null,
    startDateTime: SEED_START,
    endDateTime: null,
    memberType: 'Direct' as const,
    roleEligibilityScheduleId: `5c4ed01e-0000-4000-8000-00000000000${n}`,
  };
}

function environment(key: keyof typeof ENVIRONMENTS, visibleTo: string[]): Environment {
  const env = ENVIRONMENTS[key];
  const n = envIndex(env.domainName);
  return { ...env, geo: 'unitedstates', azureRegion: 'westus', state: 'Ready', dataverseId: `d0000000-0000-4000-8000-00000000000${n}`, visibleTo };
}

function systemuser(domainName: string, user: { id: string; upn: string; name: string }, n: number, roleIds: string[]): DataverseUser {
  const e = envIndex(domainName);
  return {
    systemuserid: `5e000000-000${e}-4000-8000-00000000000${n}`,
    fullname: user.name,
    domainname: user.upn,
    azureactivedirectoryobjectid: user.id,
    applicationid: null,
    isdisabled: false,
    businessunitid: `b0000000-000${e}-4000-8000-000000000000`,
    roleIds,
  };
}

function dataverse(domainName: string, members: { id: string; upn: string; name: string }[], sysadmins: string[]): DataverseOrg {
  const e = envIndex(domainName);
  const bu = `b0000000-000${e}-4000-8000-000000000000`;
  const sysadmin = `7e000000-000${e}-4000-8000-000000000001`;
  const basic = `7e000000-000${e}-4000-8000-000000000002`;
  const appUser: DataverseUser = {
    ...systemuser(domainName, { id: 'e1e7a7e0-5e00-4000-8000-0000000055a0', upn: `${AAD_APP_CLIENT_ID}@contoso.example`, name: '# Elevate' }, 9, [sysadmin]),
    applicationid: AAD_APP_CLIENT_ID,
  };
  return {
    organizationId: `0e000000-0000-4000-8000-00000000000${e}`,
    businessUnits: [{ businessunitid: bu, name: domainName, parentbusinessunitid: null }],
    roles: [
      { roleid: sysadmin, name: 'System Administrator', roletemplateid: SYSTEM_ADMINISTRATOR_TEMPLATE_ID, businessunitid: bu },
      { roleid: basic, name: 'Basic User', roletemplateid: 'd58407f2-48d5-e711-a82c-000d3a37c848', businessunitid: bu },
    ],
    systemusers: [...members.map((m, i) => systemuser(domainName, m, i + 1, sysadmins.includes(m.id) ? [sysadmin, basic] : [basic])), appUser],
    applyAdminRoleLog: [],
  };
}

/** Secrets of the seed last two years from the reset, as Entra's longest recommended lifetime. */
const SECRET_LIFETIME_MS = 730 * 24 * 60 * 60_000;

function elevateApp(): AppRegistration {
  return {
    clientId: AAD_APP_CLIENT_ID,
    displayName: 'Elevate',
    secrets: [AAD_APP_CLIENT_SECRET],
    secretEndDateTimes: [new Date(Date.now() + SECRET_LIFETIME_MS).toISOString()],
    servicePrincipalId: 'e1e7a7e0-5e00-4000-8000-0000000055a0',
    identifierUris: [AAD_APP_ID_URI],
    redirectUris: [...AAD_APP_REDIRECT_URIS],
    delegatedPermissions: { graph: [...ELEVATE_DELEGATED.graph], powerplatform: [...ELEVATE_DELEGATED.powerplatform], api: [...ELEVATE_DELEGATED.api] },
    appRoles: { graph: [...ELEVATE_APP_ROLES.graph] },
    // Registered with `pac admin application register` (docs/api-contracts.md §8): lists every environment.
    powerPlatformManagementApp: true,
    exposedApi: { scopes: ['access_as_user'], preAuthorizedClientIds: TEAMS_CLIENTS.map((c) => c.appId), requestedAccessTokenVersion: 2 },
    keyCredentials: [],
    // The App Service's managed identity may sign the app in (README "Running on Azure"): the
    // federated identity credential an operator adds with `az ad app federated-credential create`.
    federatedIdentityCredentials: [
      {
        name: 'elevate-app-service',
        issuer: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
        subject: ELEVATE_IDENTITY.principalId,
        audiences: ['api://AzureADTokenExchange'],
      },
    ],
  };
}

/** Microsoft Graph Command Line Tools as an admin consented it for the doctor's reads: a public client, no secret. */
function operatorClient(): AppRegistration {
  return {
    clientId: OPERATOR_CLIENT_ID,
    displayName: 'Microsoft Graph Command Line Tools',
    secrets: [],
    servicePrincipalId: '14d82eec-5e00-4000-8000-00000000c11e',
    identifierUris: [],
    redirectUris: ['http://localhost'],
    delegatedPermissions: { graph: [...OPERATOR_SCOPES, 'openid', 'profile', 'offline_access'] },
    appRoles: {},
    publicClient: true,
  };
}

/** A fresh copy of the demo tenant. */
export function seedTenant(): TenantModel {
  const { globalAdministrator: ga, powerPlatformAdministrator: ppa, dynamics365Administrator: d365 } = ROLES;
  return {
    tenantId: TENANT_ID,
    displayName: 'Contoso',
    users: [...Object.values(USERS).map((u) => ({ ...u })), { ...OPERATOR, directoryRoleIds: [ROLES.globalReader] }],
    groups: [
      { id: SECURITY_GROUP_ID, displayName: 'Elevate Security Team', members: [nestor.id] },
      { id: APPROVERS_GROUP_ID, displayName: 'Elevate Approvers', members: [megan.id] },
      { id: ON_CALL_GROUP_ID, displayName: 'Elevate On-call', members: [adele.id] },
    ],
    apps: [
      elevateApp(),
      {
        clientId: BOT_ID,
        displayName: 'Elevate bot',
        secrets: [BOT_PASSWORD],
        secretEndDateTimes: [new Date(Date.now() + SECRET_LIFETIME_MS).toISOString()],
        servicePrincipalId: '0b07e1e7-5e00-4000-8000-00000000b070',
        identifierUris: [],
        redirectUris: [],
        delegatedPermissions: {},
        appRoles: { botframework: [] },
      },
      operatorClient(),
      ...rbacApps(adele.id),
    ],
    roleDefinitions: [
      { id: ga, displayName: 'Global Administrator' },
      { id: ppa, displayName: 'Power Platform Administrator' },
      { id: d365, displayName: 'Dynamics 365 Administrator' },
      { id: ROLES.privilegedRoleAdministrator, displayName: 'Privileged Role Administrator' },
      { id: ROLES.userAdministrator, displayName: 'User Administrator' },
      { id: ROLES.globalReader, displayName: 'Global Reader' },
    ],
    eligibilities: [eligibility(adele.id, ppa, 1), eligibility(adele.id, d365, 2), eligibility(alex.id, ga, 3), eligibility(alex.id, ppa, 4)],
    assignments: [],
    requests: [],
    approvals: [],
    policies: [policy(ppa, 1, 'PT8H'), policy(d365, 2, 'PT4H'), policy(ga, 3, 'PT2H')],
    // Who holds a role in each environment, which is all a user's own token lists until an admin role
    // is active (docs/api-contracts.md §8): the admins are makers in Contoso Dev only (Alex also
    // administers Contoso UAT and Fabrikam Sales); nobody holds a role in Contoso Prod, where Adele
    // elevates by name through Elevate's own listing.
    environments: [
      environment('contosoProd', []),
      environment('contosoDev', [adele.id, alex.id, lee.id]),
      environment('contosoUat', [alex.id]),
      environment('fabrikamSales', [alex.id]),
    ],
    dataverse: {
      contosoprod: dataverse('contosoprod', [adele, alex], []),
      contosodev: dataverse('contosodev', [adele, alex, lee], [alex.id]),
      contosouat: dataverse('contosouat', [adele, alex], []),
      fabrikamsales: dataverse('fabrikamsales', [alex], []),
    },
    servicePrincipals: seedServicePrincipals(),
    managedIdentities: [{ ...ELEVATE_IDENTITY }],
    azureBot: { msaAppId: BOT_ID, msaAppType: 'MultiTenant' },
    environmentGroups: environmentGroups(
      [ENVIRONMENTS.fabrikamSales.id],
      [ENVIRONMENTS.contosoProd.id, ENVIRONMENTS.contosoDev.id, ENVIRONMENTS.contosoUat.id],
    ),
    rbacAssignments: seedRbacAssignments(TENANT_ID),
    teams: [
      {
        id: TEAM.id,
        name: TEAM.name,
        aadGroupId: TEAM.aadGroupId,
        channels: [
          { id: TEAM.id, name: null },
          { id: TEAM.securityChannelId, name: 'Security' },
          { id: TEAM.approvalsChannelId, name: 'Approvals' },
        ],
      },
    ],
  };
}
