import { showSignIn, submitSignIn } from './authorize.js';
import { requestDeviceCode } from './device-code.js';
import { handleTokenRequest } from './grants.js';
import { entraIssuer, resolveTenant } from './tokens.js';
import { json } from '../core/http.js';
import { jwks } from '../core/keys.js';
import { route, type Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';

/**
 * Entra ID per tenant (README "URL layout"): OpenID metadata, JWKS, the token endpoint, and the
 * interactive sign-in (authorize: a sign-in page and its form, entra-authorize.ts) and the device
 * code flow (devicecode, entra-device-code.ts).
 * msal-node with `knownAuthorities` reads exactly `{authority}/v2.0/.well-known/openid-configuration`
 * and posts to its `token_endpoint` (docs/api-contracts.md §7).
 */
function openIdConfiguration(ctx: SimContext, tenant: string): Record<string, unknown> {
  const base = `${ctx.baseUrl}/${tenant}`;
  const tid = resolveTenant(ctx, tenant) ?? tenant;
  // `common`/`organizations` publish a placeholder issuer, as Entra does.
  const issuerTenant = ['common', 'organizations'].includes(tenant.toLowerCase()) ? '{tenantid}' : tid;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: entraIssuer(ctx, issuerTenant),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${ctx.baseUrl}/graph/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

export const entraRoutes: Route<SimContext>[] = [
  route('GET', '/:tenant/v2.0/.well-known/openid-configuration', (_req, p, ctx) => json(200, openIdConfiguration(ctx, p['tenant']!))),
  route('GET', '/:tenant/discovery/v2.0/keys', (_req, _p, ctx) => json(200, jwks([ctx.keys.entra]))),
  route('GET', '/:tenant/discovery/keys', (_req, _p, ctx) => json(200, jwks([ctx.keys.entra]))),
  route('POST', '/:tenant/oauth2/v2.0/token', (req, p, ctx) => handleTokenRequest(ctx, req, p['tenant']!)),
  route('POST', '/:tenant/oauth2/v2.0/devicecode', (req, p, ctx) => requestDeviceCode(ctx, req, p['tenant']!)),
  route('GET', '/:tenant/oauth2/v2.0/authorize', (req, p, ctx) => showSignIn(ctx, req, p['tenant']!)),
  route('POST', '/:tenant/oauth2/v2.0/authorize', (req, p, ctx) => submitSignIn(ctx, req, p['tenant']!)),
];
