import type { EntraErrorSpec } from './errors.js';
import { POWER_PLATFORM_APP_ID } from './first-party.js';
import type { SimContext } from '../core/state.js';
import type { ResourceName } from '../tenant/model.js';

/** A resource an Entra token can be issued for, with the `aud` its tokens carry. */
export interface Resource {
  name: ResourceName;
  audience: string;
}

export interface ScopeRequest {
  resource: Resource;
  /** Permission names without the resource prefix; empty for `.default`. */
  permissions: string[];
  isDefault: boolean;
  /** `openid`, `profile`, `offline_access`, `email` as requested. */
  oidc: string[];
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

// Well-known resources answer to their URI and to their app id (docs/api-contracts.md §3 for Power Platform).
const WELL_KNOWN: Record<string, Resource> = {
  'https://graph.microsoft.com': { name: 'graph', audience: 'https://graph.microsoft.com' },
  '00000003-0000-0000-c000-000000000000': { name: 'graph', audience: 'https://graph.microsoft.com' },
  'https://api.powerplatform.com': { name: 'powerplatform', audience: 'https://api.powerplatform.com' },
  '8578e004-a5c6-46e7-913e-12f58912df43': { name: 'powerplatform', audience: 'https://api.powerplatform.com' },
  'https://api.botframework.com': { name: 'botframework', audience: 'https://api.botframework.com' },
};

export function dataverseUrl(ctx: SimContext, domainName: string): string {
  return `${ctx.baseUrl}/dataverse/${domainName}`;
}

export function resolveResource(ctx: SimContext, uri: string): Resource | undefined {
  const normalized = uri.replace(/\/+$/, '').toLowerCase();
  const known = WELL_KNOWN[normalized];
  // A tenant without the Power Platform API's service principal has no such resource: AADSTS500011
  // until `az ad sp create --id 8578e004-…` (research-9 §1; README "Deploying to a real tenant").
  if (known?.name === 'powerplatform' && !ctx.state.tenant.servicePrincipals.some((sp) => sp.appId.toLowerCase() === POWER_PLATFORM_APP_ID)) return undefined;
  if (known) return known;
  const domain = Object.keys(ctx.state.tenant.dataverse).find((d) => dataverseUrl(ctx, d).toLowerCase() === normalized);
  if (domain !== undefined) return { name: 'dataverse', audience: dataverseUrl(ctx, domain) };
  // An app registration's own API (v2 tokens: `aud` is its client id).
  const app = ctx.state.tenant.apps.find((a) =>
    [...a.identifierUris, `api://${a.clientId}`, a.clientId].some((u) => u.replace(/\/+$/, '').toLowerCase() === normalized),
  );
  return app === undefined ? undefined : { name: 'api', audience: app.clientId };
}

/** `https://x/y/Perm` → [`https://x/y`, `Perm`]; a bare `Perm` is a Microsoft Graph permission, as in Entra. */
function splitScope(scope: string): [string, string] {
  const slash = scope.lastIndexOf('/');
  if (slash < 0) return ['https://graph.microsoft.com', scope];
  return [scope.slice(0, slash), scope.slice(slash + 1)];
}

export type ScopeResult = { ok: true; value: ScopeRequest } | { ok: false; error: EntraErrorSpec };

function invalidScope(code: number, description: string): ScopeResult {
  return { ok: false, error: { error: 'invalid_scope', code, description } };
}

/**
 * One token is for one resource. Several resources in one request: AADSTS70011 when they are all
 * `.default` (seen for client credentials, Azure/azure-sdk-for-net#9076), AADSTS28000 otherwise
 * (seen for permission scopes, AzureAD/microsoft-authentication-library-for-js#1487); the `error`
 * of the latter is not shown in those reports, `invalid_scope` is assumed.
 */
export function parseScopes(ctx: SimContext, scopeParam: string, tenantName: string): ScopeResult {
  const all = scopeParam.split(/\s+/).filter((s) => s !== '');
  const oidc = all.filter((s) => OIDC_SCOPES.has(s.toLowerCase()));
  const rest = all.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  if (rest.length === 0) return invalidScope(70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scopeParam} is not valid.`);
  const parts = rest.map(splitScope);
  const uris = [...new Set(parts.map(([uri]) => uri.replace(/\/+$/, '').toLowerCase()))];
  if (uris.length > 1) {
    if (parts.every(([, p]) => p === '.default')) {
      return invalidScope(
        70011,
        `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scopeParam} is not valid.`,
      );
    }
    return invalidScope(
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scopeParam} is not valid.`,
    );
  }
  const resource = resolveResource(ctx, parts[0]![0]);
  if (!resource) {
    return {
      ok: false,
      error: {
        error: 'invalid_resource',
        code: 500011,
        description: `The resource principal named ${parts[0]![0]} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      },
    };
  }
  const permissions = parts.map(([, p]) => p);
  const isDefault = permissions.includes('.default');
  if (isDefault && permissions.length > 1)
    return invalidScope(
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scopeParam} is not valid. .default scope can't be combined with resource-specific scopes.`,
    );
  return { ok: true, value: { resource, permissions: isDefault ? [] : permissions, isDefault, oidc } };
}
