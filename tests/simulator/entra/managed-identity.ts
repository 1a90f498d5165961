import { randomBytes } from 'node:crypto';
import { header, json, type SimRequest, type SimResponse } from '../core/http.js';
import { route, type Route } from '../core/router.js';
import { newId, type SimContext } from '../core/state.js';
import { seconds, signJwt } from '../core/tokens.js';
import { IDENTITY_HEADER } from '../tenant/seed.js';
import type { ManagedIdentity } from '../tenant/model.js';
import { parseScopes } from './scopes.js';
import { ACCESS_TOKEN_SECONDS, entraIssuer } from './tokens.js';

/**
 * App Service's managed identity endpoint, the one `IDENTITY_ENDPOINT`/`IDENTITY_HEADER` point at
 * (learn.microsoft.com/azure/app-service/overview-managed-identity, "REST endpoint reference";
 * msal-node `ManagedIdentitySources/AppService.ts` [S]): `GET {IDENTITY_ENDPOINT}?resource=…&
 * api-version=2019-08-01&client_id=…` with header `X-IDENTITY-HEADER: {IDENTITY_HEADER}`, answered
 * `{access_token, expires_on, resource, token_type, client_id}` with `expires_on` in epoch seconds
 * as a string. App Service serves it over http on a local port; the simulator serves it on its own
 * https port (`IDENTITY_ENDPOINT=https://127.0.0.1:PORT/msi/token`): @azure/identity sends the same
 * request either way.
 */
export const MANAGED_IDENTITY_API_VERSION = '2019-08-01';
/** The audience of tokens used as federated credentials (Graph `federatedIdentityCredential.audiences`). */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** App Service's error envelope `{statusCode, message, correlationId}` (Azure/azure-sdk-for-net#43691 [3P]). */
function failure(status: number, message: string): SimResponse {
  return json(status, { statusCode: status, message, correlationId: newId() });
}

/** The identity asked for: the only one when no id is given (system-assigned is not simulated), else by client or object id. */
function identityFor(ctx: SimContext, req: SimRequest): ManagedIdentity | undefined {
  const identities = ctx.state.tenant.managedIdentities;
  const clientId = req.query.get('client_id') ?? req.query.get('clientid');
  const objectId = req.query.get('object_id') ?? req.query.get('principal_id');
  if (clientId) return identities.find((i) => i.clientId.toLowerCase() === clientId.toLowerCase());
  if (objectId) return identities.find((i) => i.principalId.toLowerCase() === objectId.toLowerCase());
  return identities.length === 1 ? identities[0] : undefined;
}

/** `aud` of the token: the token exchange audience as is, else the resource's production audience. */
function audienceOf(ctx: SimContext, resource: string): string | undefined {
  if (resource.replace(/\/+$/, '') === TOKEN_EXCHANGE_AUDIENCE) return TOKEN_EXCHANGE_AUDIENCE;
  const parsed = parseScopes(ctx, `${resource.replace(/\/+$/, '')}/.default`, ctx.state.tenant.tenantId);
  return parsed.ok ? parsed.value.resource.audience : undefined;
}

/**
 * A managed identity's app-only token, as Entra issues it to its service principal: `idtyp` app,
 * `oid` = `sub` = the principal id, `appid` = `azp` = the client id; v2 issuer of the tenant (the
 * issuer a federated identity credential names, learn.microsoft.com Graph `federatedIdentityCredential`).
 */
export function mintManagedIdentityToken(ctx: SimContext, identity: ManagedIdentity, audience: string): { token: string; expiresOn: number } {
  const now = seconds(ctx.state.now());
  const tid = ctx.state.tenant.tenantId;
  const token = signJwt(ctx.keys.entra, {
    aud: audience,
    iss: entraIssuer(ctx, tid),
    iat: now,
    nbf: now,
    exp: now + ACCESS_TOKEN_SECONDS,
    appid: identity.clientId,
    appidacr: '2',
    azp: identity.clientId,
    azpacr: '2',
    idtyp: 'app',
    oid: identity.principalId,
    sub: identity.principalId,
    tid,
    ver: '2.0',
    uti: randomBytes(16).toString('base64url'),
  });
  return { token, expiresOn: now + ACCESS_TOKEN_SECONDS };
}

function issue(req: SimRequest, ctx: SimContext): SimResponse {
  // The header guards against server-side request forgery; its refusal status is not documented [?].
  if (header(req, 'x-identity-header') !== IDENTITY_HEADER) return failure(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.');
  if (req.query.get('api-version') !== MANAGED_IDENTITY_API_VERSION) return failure(400, `api-version must be ${MANAGED_IDENTITY_API_VERSION}.`);
  const resource = req.query.get('resource');
  if (!resource) return failure(400, 'The resource parameter is required.');
  const identity = identityFor(ctx, req);
  if (!identity) return failure(400, 'Unable to load the proper Managed Identity.');
  const audience = audienceOf(ctx, resource);
  if (!audience) return failure(400, `AADSTS500011: The resource principal named ${resource} was not found in the tenant.`);
  const { token, expiresOn } = mintManagedIdentityToken(ctx, identity, audience);
  return json(200, { access_token: token, expires_on: String(expiresOn), resource, token_type: 'Bearer', client_id: identity.clientId });
}

export const managedIdentityRoutes: Route<SimContext>[] = [route('GET', '/msi/token', (req, _params, ctx) => issue(req, ctx))];
