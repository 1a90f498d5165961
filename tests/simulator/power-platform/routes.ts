import { json, type SimRequest, type SimResponse } from '../core/http.js';
import { activeSince, isActive } from '../pim/model.js';
import { authenticate, type Principal } from '../core/principal.js';
import { route, type Params, type Route } from '../core/router.js';
import { dataverseUrl } from '../entra/scopes.js';
import { ROLES } from '../tenant/seed.js';
import { newId, type SimContext } from '../core/state.js';
import { grantSystemAdministrator } from '../dataverse/model.js';
import type { Environment } from '../tenant/model.js';

/**
 * Power Platform API (docs/api-contracts.md §3): environments and the self-elevation `applyAdminRole`.
 * Every answer carries `x-ms-correlation-id`; errors are `{"error":{"code","message"}}` (the
 * envelope and the statuses of the refusals are [?] in the contract).
 */
const AUDIENCE = 'https://api.powerplatform.com';
const ENVIRONMENT_VERSIONS = ['2024-10-01'];
const APPLY_ADMIN_ROLE_VERSIONS = ['2022-03-01-preview', '2024-10-01'];
export const ADMIN_ROLES: readonly string[] = [ROLES.globalAdministrator, ROLES.powerPlatformAdministrator, ROLES.dynamics365Administrator];
export const NOT_AN_ADMIN =
  'Unable to assign System Administrator security role as the user is not either a Global admin, Power Platform admin, or Dynamics 365 admin. Please review your role assignments in Entra ID and try again later. For help, please reach out to your administrator.';

export interface PpCall {
  req: SimRequest;
  params: Params;
  ctx: SimContext;
  principal: Principal;
}

export function ppError(status: number, code: string, message: string): SimResponse {
  return json(status, { error: { code, message } });
}

export function powerPlatformFaultBody(status: number): unknown {
  return { error: { code: status === 429 ? 'TooManyRequests' : status >= 500 ? 'InternalServerError' : 'BadRequest', message: 'Injected fault.' } };
}

/** The caller holds an admin role (directly, when `directOnly`) that Power Platform already sees. */
export function isHonouredAdmin(ctx: SimContext, oid: string, directOnly: boolean): boolean {
  const now = ctx.state.now();
  return ctx.state.tenant.assignments.some(
    (a) =>
      a.principalId === oid &&
      ADMIN_ROLES.includes(a.roleDefinitionId) &&
      (!directOnly || a.memberType === 'Direct') &&
      isActive(a, now) &&
      now - activeSince(a) >= ctx.state.settings.propagationDelayMs,
  );
}

/** An environment without a Dataverse organisation has no `url` (docs/api-contracts.md §3: `url` is the Dataverse URL). */
function present(ctx: SimContext, env: Environment): Record<string, unknown> {
  const { visibleTo: _simulatorOnly, ...rest } = env;
  const hasDataverse = ctx.state.tenant.dataverse[env.domainName] !== undefined;
  return { ...rest, tenantId: ctx.state.tenant.tenantId, ...(hasDataverse ? { url: dataverseUrl(ctx, env.domainName) } : {}) };
}

function canSee(call: PpCall, env: Environment): boolean {
  const p = call.principal;
  if (p.kind === 'app') return isManagementApp(call);
  // "List Environments For User": the environments where the user holds a role, or all of them while
  // an admin role is active (docs/api-contracts.md §8). Roles through groups do not count for Power
  // Platform ("Role assignments through groups aren't supported", manage-high-privileged-admin-roles).
  return env.visibleTo.includes(p.oid) || isHonouredAdmin(call.ctx, p.oid, true);
}

/** Registered with `pac admin application register`: "treated as a Power Platform Administrator" [D]. */
function isManagementApp(call: PpCall): boolean {
  return call.ctx.state.tenant.apps.some((a) => a.clientId === call.principal.appid && a.powerPlatformManagementApp === true);
}

/**
 * An application token of an app that is not a registered management application: 403 with the text
 * BAP gives (MicrosoftDocs/power-platform#1260, powerplatform-build-tools#531) [3P]; whether this list
 * answers 403 or an empty list is [?], and Elevate handles both.
 */
function unregisteredApp(call: PpCall): SimResponse {
  const app = call.ctx.state.tenant.apps.find((a) => a.clientId === call.principal.appid);
  return ppError(
    403,
    'Forbidden',
    `The service principal with id '${app?.servicePrincipalId ?? call.principal.oid}' for application ${call.principal.appid} does not have permission to access the path '${call.req.path}' in tenant ${call.ctx.state.tenant.tenantId}.`,
  );
}

/**
 * A delegated token must carry one of the scopes of the call (programmability-permission-reference
 * [D] for `EnvironmentManagement.Environments.Read`; `UserManagement.Users.Apply` for applyAdminRole
 * is [3P]: "Application missing required delegated permissions: [UserManagement.Users.Apply, All.All.ReadWrite]").
 */
function missingScope(call: PpCall, anyOf: readonly string[]): SimResponse | undefined {
  const p = call.principal;
  if (p.kind !== 'user' || p.scopes.some((s) => anyOf.some((a) => a.toLowerCase() === s.toLowerCase()))) return undefined;
  return json(403, {
    error: {
      code: 'Forbidden',
      message: 'The caller does not have the permission required for this operation.',
      innererror: { code: 'InsufficientDelegatedPermissions', message: `Application missing required delegated permissions: [${anyOf.join(', ')}]` },
    },
  });
}

const LIST_SCOPES = ['EnvironmentManagement.Environments.Read', 'All.All.Read'];
const APPLY_SCOPES = ['UserManagement.Users.Apply', 'All.All.ReadWrite'];

function listEnvironments(call: PpCall): SimResponse {
  if (call.principal.kind === 'app' && !isManagementApp(call)) return unregisteredApp(call);
  const refused = missingScope(call, LIST_SCOPES);
  if (refused) return refused;
  return json(200, { value: call.ctx.state.tenant.environments.filter((e) => canSee(call, e)).map((e) => present(call.ctx, e)) });
}

function getEnvironment(call: PpCall): SimResponse {
  if (call.principal.kind === 'app' && !isManagementApp(call)) return unregisteredApp(call);
  const refused = missingScope(call, LIST_SCOPES);
  if (refused) return refused;
  const env = call.ctx.state.tenant.environments.find((e) => e.id.toLowerCase() === call.params['environmentId']?.toLowerCase());
  if (!env || !canSee(call, env)) return ppError(404, 'EnvironmentNotFound', `The environment '${call.params['environmentId']}' could not be found.`);
  return json(200, present(call.ctx, env));
}

function applyAdminRole(call: PpCall): SimResponse {
  const { ctx, principal } = call;
  const env = ctx.state.tenant.environments.find((e) => e.id.toLowerCase() === call.params['environmentId']?.toLowerCase());
  const org = env ? ctx.state.tenant.dataverse[env.domainName] : undefined;
  if (!env || !org) return ppError(404, 'EnvironmentNotFound', `The environment '${call.params['environmentId']}' could not be found.`);
  // The API elevates the signed-in user only; an app token has nobody to elevate [?].
  if (principal.kind === 'app') return ppError(403, 'Forbidden', 'applyAdminRole requires a delegated user token; application tokens are not supported.');
  const refused = missingScope(call, APPLY_SCOPES);
  if (refused) return refused;
  if (!isHonouredAdmin(ctx, principal.oid, true)) return ppError(403, 'Forbidden', NOT_AN_ADMIN);
  const user = ctx.state.tenant.users.find((u) => u.id === principal.oid);
  const systemuser = grantSystemAdministrator(ctx.state, org, { id: principal.oid, name: user?.name ?? principal.name, upn: user?.upn ?? principal.upn });
  const description = [
    'SyncMode: Default',
    `Instance ${env.id} exists`,
    `Instance Url found ${dataverseUrl(ctx, env.domainName)}`,
    'User found in AD tenant',
    `SystemUser with Id:${systemuser.systemuserid}, objectId:${principal.oid} exists in instance`,
  ];
  return json(200, { errors: [], information: [{ Subject: 'Result', Description: JSON.stringify(description), Code: 'UserExists' }] });
}

export function versioned(allowed: readonly string[], handler: (call: PpCall) => SimResponse) {
  return (req: SimRequest, params: Params, ctx: SimContext): SimResponse => {
    const response = answer(req, params, ctx, allowed, handler);
    return { ...response, headers: { ...response.headers, 'x-ms-correlation-id': newId() } };
  };
}

function answer(req: SimRequest, params: Params, ctx: SimContext, allowed: readonly string[], handler: (call: PpCall) => SimResponse): SimResponse {
  const auth = authenticate(ctx, req, [AUDIENCE]);
  if (!auth.ok) return ppError(401, 'Unauthorized', auth.message);
  const version = req.query.get('api-version');
  if (!version) return ppError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  if (!allowed.includes(version)) {
    return ppError(
      400,
      'UnsupportedApiVersion',
      `The HTTP resource that matches the request URI '${ctx.baseUrl}${req.path}' does not support the API version '${version}'.`,
    );
  }
  return handler({ req, params, ctx, principal: auth.principal });
}

export const powerPlatformRoutes: Route<SimContext>[] = [
  route('GET', '/powerplatform/environmentmanagement/environments', versioned(ENVIRONMENT_VERSIONS, listEnvironments)),
  route('GET', '/powerplatform/environmentmanagement/environments/:environmentId', versioned(ENVIRONMENT_VERSIONS, getEnvironment)),
  route('POST', '/powerplatform/usermanagement/environments/:environmentId/user/applyAdminRole', versioned(APPLY_ADMIN_ROLE_VERSIONS, applyAdminRole)),
];
