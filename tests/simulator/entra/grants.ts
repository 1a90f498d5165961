import { redeemAuthorizationCode } from './authorize.js';
import { issueOnBehalfOf, issueFromRefreshToken } from './delegated.js';
import { DEVICE_CODE_GRANT, MSAL_DEVICE_CODE_GRANT, redeemDeviceCode, unknownClient } from './device-code.js';
import { entraError, fail, missingParameter, type EntraErrorSpec, type Form, type GrantResult } from './errors.js';
import { ACCESS_TOKEN_SECONDS, mintAppToken, resolveTenant } from './tokens.js';
import { header, isRecord, json, type SimRequest, type SimResponse } from '../core/http.js';
import { recordScopes } from './scope-log.js';
import { parseScopes } from './scopes.js';
import type { SimContext } from '../core/state.js';
import type { AppRegistration } from '../tenant/model.js';

/**
 * `POST /{tenant}/oauth2/v2.0/token` (docs/api-contracts.md §1): client authentication with a secret
 * (form or HTTP Basic), then the grant: on-behalf-of, client credentials, refresh token, an
 * authorization code of the interactive sign-in, or a device code (entra-device-code.ts), which a
 * public client redeems without a secret.
 */

export function handleTokenRequest(ctx: SimContext, req: SimRequest, tenantSegment: string): SimResponse {
  const form: Form = isRecord(req.body) ? (req.body as Form) : {};
  const result = grant(ctx, req, form, tenantSegment);
  return result.ok ? json(200, result.body, { 'Cache-Control': 'no-store' }) : entraError(ctx, req, result.error);
}

function grant(ctx: SimContext, req: SimRequest, form: Form, tenantSegment: string): GrantResult {
  const tid = resolveTenant(ctx, tenantSegment);
  if (!tid) {
    return fail({
      error: 'invalid_request',
      code: 90002,
      description: `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    });
  }
  const grantType = form['grant_type'];
  if (!grantType) return fail(missingParameter('grant_type'));
  const client = authenticateClient(ctx, req, form, tenantSegment, grantType);
  if (!client.ok) return client;
  const scope = form['scope'];
  if (scope) {
    const parsed = parseScopes(ctx, scope, tenantSegment);
    recordScopes(req, client.app.clientId, grantType, parsed.ok ? parsed.value : undefined, scope);
  }
  switch (grantType) {
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
      return issueOnBehalfOf(ctx, form, client.app, tid, tenantSegment);
    case 'client_credentials':
      return clientCredentials(ctx, form, client.app, tid, tenantSegment);
    case 'refresh_token':
      return issueFromRefreshToken(ctx, form, client.app, tid, tenantSegment);
    case 'authorization_code':
      return redeemAuthorizationCode(ctx, form, client.app, tid, tenantSegment);
    case DEVICE_CODE_GRANT:
    case MSAL_DEVICE_CODE_GRANT:
      return redeemDeviceCode(ctx, form, client.app, tid, tenantSegment);
    default:
      return fail({ error: 'unsupported_grant_type', code: 70003, description: `The app requested an unsupported grant type '${grantType}'.` });
  }
}

type ClientResult = { ok: true; app: AppRegistration } | { ok: false; error: EntraErrorSpec };

function basicCredentials(req: SimRequest): [string, string] | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
}

/** Grants a public client ("Allow public client flows") may use without a secret. */
const PUBLIC_CLIENT_GRANTS = new Set([DEVICE_CODE_GRANT, MSAL_DEVICE_CODE_GRANT, 'refresh_token']);

function authenticateClient(ctx: SimContext, req: SimRequest, form: Form, tenantSegment: string, grantType: string): ClientResult {
  const basic = basicCredentials(req);
  const clientId = basic?.[0] ?? form['client_id'];
  const secret = basic?.[1] ?? form['client_secret'];
  if (!clientId) return fail(missingParameter('client_id'));
  const app = ctx.state.tenant.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  if (!app) return fail(unknownClient(clientId, tenantSegment));
  if (form['client_assertion'] !== undefined) {
    // Certificate credentials are not registered for any simulated app.
    return fail({ status: 401, error: 'invalid_client', code: 700027, description: 'Client assertion failed signature validation.' });
  }
  if ((secret === undefined || secret === '') && app.publicClient === true && PUBLIC_CLIENT_GRANTS.has(grantType)) return { ok: true, app };
  if (secret === undefined || secret === '') {
    return fail({
      status: 401,
      error: 'invalid_client',
      code: 7000218,
      description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    });
  }
  const index = app.secrets.indexOf(secret);
  if (index < 0) {
    // 401, not 400: what Entra answers for a wrong secret (e.g. OfficeDev/microsoft-365-agents-toolkit#8621).
    return fail({
      status: 401,
      error: 'invalid_client',
      code: 7000215,
      description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    });
  }
  const endsAt = app.secretEndDateTimes?.[index];
  if (endsAt !== undefined && Date.parse(endsAt) <= ctx.state.now()) {
    // AADSTS7000222 "The provided client secret keys for app '…' are expired" [3P: widely reported; exact status ?].
    return fail({
      status: 401,
      error: 'invalid_client',
      code: 7000222,
      description: `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app.`,
    });
  }
  return { ok: true, app };
}

function clientCredentials(ctx: SimContext, form: Form, app: AppRegistration, tid: string, tenantSegment: string): GrantResult {
  const scope = form['scope'];
  if (!scope) return fail(missingParameter('scope'));
  const parts = scope.split(/\s+/).filter((s) => s !== '');
  if (parts.length !== 1 || !parts[0]!.endsWith('/.default')) {
    return fail({
      error: 'invalid_scope',
      code: 1002012,
      description: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    });
  }
  const parsed = parseScopes(ctx, scope, tenantSegment);
  if (!parsed.ok) return parsed;
  const { resource } = parsed.value;
  const roles = app.appRoles[resource.name] ?? [];
  return {
    ok: true,
    body: {
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS - 1,
      ext_expires_in: ACCESS_TOKEN_SECONDS - 1,
      access_token: mintAppToken(ctx, app, resource.audience, roles, tid),
    },
  };
}
