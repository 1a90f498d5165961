import { derivedId, firstPartyApi, firstPartyAppIdOf, permissionId } from '../entra/first-party.js';
import type { AppRegistration, ResourceName, TenantModel } from '../tenant/model.js';

/**
 * Graph's view of the tenant's applications, derived from the tenant model (README "Tenant model"):
 * service principals (`appRoles`, `oauth2PermissionScopes`), admin-consented delegated grants
 * (`oAuth2PermissionGrant`, one `AllPrincipals` grant per client and resource with a space-separated
 * `scope`), application permissions (`appRoleAssignment`) and application objects
 * (`passwordCredentials`, `web.redirectUris`, `api`, `identifierUris`). Shapes from
 * learn.microsoft.com/graph/api/resources/{serviceprincipal,oauth2permissiongrant,approleassignment,application}.
 */
const CREATED = '2025-01-01T00:00:00Z';

export type Json = Record<string, unknown>;

export interface ServicePrincipalView {
  id: string;
  appId: string;
  displayName: string;
  /** The app registration it belongs to (none for Microsoft's APIs). */
  app?: AppRegistration;
}

function exposedScopes(app: AppRegistration): { id: string; value: string }[] {
  return (app.exposedApi?.scopes ?? []).map((value) => ({ id: derivedId(`${app.clientId}|scope|${value}`), value }));
}

/** Every service principal Graph would list: Microsoft's present APIs, then each app registration's. */
export function servicePrincipals(tenant: TenantModel): ServicePrincipalView[] {
  return [
    ...tenant.servicePrincipals.map((sp) => ({ id: sp.id, appId: sp.appId, displayName: sp.displayName })),
    ...tenant.apps.map((app) => ({ id: app.servicePrincipalId, appId: app.clientId, displayName: app.displayName, app })),
  ];
}

export function presentServicePrincipal(sp: ServicePrincipalView, tenantId: string): Json {
  const api = firstPartyApi(sp.appId);
  const role = (r: { id: string; value: string }) => ({
    id: r.id,
    value: r.value,
    displayName: r.value,
    description: r.value,
    allowedMemberTypes: ['Application'],
    isEnabled: true,
    origin: 'Application',
  });
  const scope = (s: { id: string; value: string }) => ({
    id: s.id,
    value: s.value,
    type: 'Admin',
    adminConsentDisplayName: s.value,
    adminConsentDescription: s.value,
    isEnabled: true,
  });
  return {
    id: sp.id,
    appId: sp.appId,
    displayName: sp.displayName,
    accountEnabled: true,
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: api ? 'f8cdef31-a31e-4b4a-93e4-5f571e91255a' : tenantId,
    appRoles: (api?.appRoles ?? []).map(role),
    oauth2PermissionScopes: (api?.scopes ?? (sp.app ? exposedScopes(sp.app) : [])).map(scope),
  };
}

/** The service principal a resource name stands for, from the client's point of view (`api` is its own API). */
function resourceSp(tenant: TenantModel, client: AppRegistration, resource: ResourceName): ServicePrincipalView | undefined {
  if (resource === 'api') return { id: client.servicePrincipalId, appId: client.clientId, displayName: client.displayName, app: client };
  const appId = firstPartyAppIdOf(resource);
  const sp = tenant.servicePrincipals.find((s) => s.appId.toLowerCase() === appId);
  return sp ? { id: sp.id, appId: sp.appId, displayName: sp.displayName } : undefined;
}

function entries(record: Partial<Record<ResourceName, string[]>>): [ResourceName, string[]][] {
  return (Object.entries(record) as [ResourceName, string[] | undefined][]).flatMap(([k, v]) =>
    v && v.length > 0 ? [[k, v] as [ResourceName, string[]]] : [],
  );
}

/** Tenant-wide (admin) consent of every app: one grant per client and resource it was consented for. */
export function permissionGrants(tenant: TenantModel): Json[] {
  return tenant.apps.flatMap((app) =>
    entries(app.delegatedPermissions).flatMap(([resource, values]) => {
      const sp = resourceSp(tenant, app, resource);
      if (!sp) return [];
      return [
        {
          id: derivedId(`${app.servicePrincipalId}|grant|${sp.id}`),
          clientId: app.servicePrincipalId,
          consentType: 'AllPrincipals',
          principalId: null,
          resourceId: sp.id,
          scope: values.join(' '),
        },
      ];
    }),
  );
}

/** The application permissions granted to one client service principal. */
export function appRoleAssignments(tenant: TenantModel, app: AppRegistration): Json[] {
  return entries(app.appRoles).flatMap(([resource, values]) => {
    const sp = resourceSp(tenant, app, resource);
    if (!sp || resource === 'api') return [];
    return values.map((value) => ({
      id: derivedId(`${app.servicePrincipalId}|assignment|${sp.id}|${value}`),
      appRoleId: permissionId(sp.appId, 'role', value),
      createdDateTime: CREATED,
      principalDisplayName: app.displayName,
      principalId: app.servicePrincipalId,
      principalType: 'ServicePrincipal',
      resourceDisplayName: sp.displayName,
      resourceId: sp.id,
    }));
  });
}

function requiredResourceAccess(tenant: TenantModel, app: AppRegistration): Json[] {
  const byResource = new Map<string, { id: string; type: string }[]>();
  const add = (resource: ResourceName, values: string[], type: 'Scope' | 'Role') => {
    const sp = resourceSp(tenant, app, resource);
    if (!sp) return;
    const list = byResource.get(sp.appId) ?? [];
    list.push(...values.map((v) => ({ id: type === 'Role' ? permissionId(sp.appId, 'role', v) : permissionId(sp.appId, 'scope', v), type })));
    byResource.set(sp.appId, list);
  };
  for (const [resource, values] of entries(app.delegatedPermissions)) add(resource, values, 'Scope');
  for (const [resource, values] of entries(app.appRoles)) if (resource !== 'api') add(resource, values, 'Role');
  return [...byResource].map(([resourceAppId, resourceAccess]) => ({ resourceAppId, resourceAccess }));
}

/** The application object (app registration) as `GET /applications(appId='…')` answers it. */
export function presentApplication(tenant: TenantModel, app: AppRegistration): Json {
  const scopes = exposedScopes(app);
  return {
    id: derivedId(`${app.clientId}|application`),
    appId: app.clientId,
    displayName: app.displayName,
    signInAudience: 'AzureADMyOrg',
    identifierUris: [...app.identifierUris],
    isFallbackPublicClient: app.publicClient === true,
    web: { redirectUris: app.publicClient ? [] : [...app.redirectUris], homePageUrl: null, logoutUrl: null },
    publicClient: { redirectUris: app.publicClient ? [...app.redirectUris] : [] },
    spa: { redirectUris: [] },
    api: {
      requestedAccessTokenVersion: app.exposedApi?.requestedAccessTokenVersion ?? null,
      acceptMappedClaims: null,
      knownClientApplications: [],
      oauth2PermissionScopes: scopes.map((s) => ({ id: s.id, value: s.value, type: 'User', isEnabled: true, adminConsentDisplayName: s.value })),
      preAuthorizedApplications: (app.exposedApi?.preAuthorizedClientIds ?? []).map((appId) => ({ appId, delegatedPermissionIds: scopes.map((s) => s.id) })),
    },
    // `hint`: "the first three characters of the password"; `secretText` is only ever returned when added.
    passwordCredentials: app.secrets.map((secret, i) => ({
      customKeyIdentifier: null,
      displayName: `secret ${i + 1}`,
      endDateTime: app.secretEndDateTimes?.[i] ?? null,
      hint: secret.slice(0, 3),
      keyId: derivedId(`${app.clientId}|secret|${i}`),
      secretText: null,
      startDateTime: CREATED,
    })),
    keyCredentials: [],
    requiredResourceAccess: requiredResourceAccess(tenant, app),
  };
}
