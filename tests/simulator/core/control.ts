import { mintChannelToken } from '../connector/bot-issuer.js';
import { channelOf } from '../connector/common.js';
import { decideDeviceCode, pendingDeviceCodes } from '../entra/device-code.js';
import { mintSsoToken } from '../entra/tokens.js';
import { parseFault } from './faults.js';
import { isRecord, json, SIMULATED_SERVICES, type ServiceName, type SimRequest, type SimResponse } from './http.js';
import { route, type Route } from './router.js';
import { AAD_APP_CLIENT_ID, OPERATOR, USERS } from '../tenant/seed.js';
import type { Settings, SimContext } from './state.js';
import type { TenantModel, TenantUser } from '../tenant/model.js';

// The control API (README "Control API") is the tests' own handle on the simulator, not a Microsoft service:
// what it mints (channel and SSO tokens) follows the services' formats, cited where they are modelled
// (connector/bot-issuer.ts, entra/tokens.ts; docs/api-contracts.md §5, §7).
/**
 * The control API for tests and `npm run dev` (README "Control API"), loopback callers only, and
 * the development sign-in `POST /_dev/sso-token`.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const COLLECTIONS: (keyof TenantModel)[] = [
  'users',
  'groups',
  'apps',
  'roleDefinitions',
  'eligibilities',
  'assignments',
  'requests',
  'approvals',
  'policies',
  'environments',
  'teams',
  'servicePrincipals',
];

function bad(message: string): SimResponse {
  return json(400, { error: { code: 'BadRequest', message } });
}

/** A user by object id, UPN or seed name (`adele`, …, and `patti` for the operator). */
function findUser(ctx: SimContext, key: unknown): TenantUser | undefined {
  if (typeof key !== 'string') return undefined;
  const id = ({ ...USERS, patti: OPERATOR } as Record<string, { id: string }>)[key]?.id ?? key;
  return ctx.state.tenant.users.find((u) => u.id.toLowerCase() === id.toLowerCase() || u.upn.toLowerCase() === id.toLowerCase());
}

function ssoToken(req: SimRequest, ctx: SimContext): SimResponse {
  const body = isRecord(req.body) ? req.body : {};
  const user = findUser(ctx, body['userId']);
  if (!user) return json(404, { error: { code: 'UserNotFound', message: `No user '${String(body['userId'])}' in the tenant.` } });
  const claims: Record<string, unknown> = { ...(isRecord(body['claims']) ? body['claims'] : {}) };
  // `amr`/`acrs` at the top level (after a step-up: `["pwd","mfa"]`, `["c1"]`) win over the same keys in `claims`.
  for (const key of ['amr', 'acrs']) {
    const value = body[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return bad(`${key} must be an array of strings`);
    claims[key] = value;
  }
  const token = mintSsoToken(ctx, {
    user,
    audience: typeof body['audience'] === 'string' ? body['audience'] : AAD_APP_CLIENT_ID,
    lifetimeSeconds: typeof body['expiresInSeconds'] === 'number' ? body['expiresInSeconds'] : 3600,
    claims,
  });
  return json(200, { token });
}

function channelToken(req: SimRequest, ctx: SimContext): SimResponse {
  const body = isRecord(req.body) ? req.body : {};
  if (typeof body['serviceUrl'] !== 'string') return bad('serviceUrl is required');
  const number = (key: string) => (typeof body[key] === 'number' ? { [key]: body[key] as number } : {});
  const token = mintChannelToken(ctx, {
    serviceUrl: body['serviceUrl'],
    // Addressed to the Azure Bot's app id (BOT_ID unless a test registered a managed-identity bot).
    audience: typeof body['audience'] === 'string' ? body['audience'] : ctx.state.tenant.azureBot.msaAppId,
    ...number('expiresInSeconds'),
    ...number('notBeforeSeconds'),
    ...(typeof body['channelId'] === 'string' ? { channelId: body['channelId'] } : {}),
    ...(isRecord(body['claims']) ? { claims: body['claims'] } : {}),
  });
  return token ? json(200, { token }) : bad(`no key is endorsed for channel '${String(body['channelId'])}'`);
}

function putTenant(req: SimRequest, ctx: SimContext): SimResponse {
  if (!isRecord(req.body)) return bad('the tenant model is a JSON object');
  const next = { ...ctx.state.tenant, ...req.body } as TenantModel;
  const wrong = COLLECTIONS.find((key) => !Array.isArray(next[key]));
  if (wrong) return bad(`${wrong} must be an array`);
  if (!isRecord(next.dataverse)) return bad('dataverse must be an object keyed by domain name');
  ctx.state.tenant = next;
  return json(200, next);
}

function putSettings(req: SimRequest, ctx: SimContext): SimResponse {
  if (!isRecord(req.body)) return bad('settings are a JSON object');
  const settings = { ...ctx.state.settings };
  for (const [key, value] of Object.entries(req.body)) {
    if (!(key in settings)) return bad(`unknown setting ${key}`);
    if (key === 'activationAfterCurrentEnd') {
      if (value !== 'refuse' && value !== 'accept') return bad(`${key} must be refuse or accept`);
      settings.activationAfterCurrentEnd = value;
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return bad(`${key} must be a number`);
    settings[key as Exclude<keyof Settings, 'activationAfterCurrentEnd'>] = value;
  }
  ctx.state.settings = settings;
  return json(200, settings);
}

function requests(req: SimRequest, ctx: SimContext): SimResponse {
  const service = req.query.get('service');
  if (service !== null && !SIMULATED_SERVICES.includes(service as ServiceName)) return bad(`service must be one of ${SIMULATED_SERVICES.join(', ')}`);
  const since = Number(req.query.get('since') ?? 0);
  if (!Number.isInteger(since) || since < 0) return bad('since must be a sequence number');
  return json(
    200,
    ctx.state.requests.filter((r) => r.seq > since && (service === null || r.service === service)),
  );
}

/** Exact conversation id, or every thread of a channel when given the bare channel id. */
function activities(req: SimRequest, ctx: SimContext): SimResponse {
  const wanted = req.query.get('conversationId');
  const all = ctx.state.activities;
  if (wanted === null) return json(200, all);
  const whole = !wanted.includes(';messageid=');
  return json(
    200,
    all.filter((a) => a.conversationId === wanted || (whole && channelOf(a.conversationId) === wanted)),
  );
}

/** `{userCode, userId, decline?, mfa?}`: the user signs in (or declines) on the device login page. */
function deviceCode(req: SimRequest, ctx: SimContext): SimResponse {
  const body = isRecord(req.body) ? req.body : {};
  if (typeof body['userCode'] !== 'string') return bad('userCode is required');
  const result = decideDeviceCode(ctx, body['userCode'], findUser(ctx, body['userId']), body['decline'] === true ? 'decline' : 'approve', body['mfa'] === true);
  if (!result.ok) return json(result.status, { error: { code: result.code, message: result.message } });
  return json(200, { userCode: result.grant.userCode, status: result.grant.status, userId: result.user.id });
}

function addFault(req: SimRequest, ctx: SimContext): SimResponse {
  const fault = parseFault(req.body);
  if (typeof fault === 'string') return bad(fault);
  ctx.state.faults.push(fault);
  return json(201, fault);
}

function loopbackOnly(handler: (req: SimRequest, ctx: SimContext) => SimResponse) {
  return (req: SimRequest, _params: unknown, ctx: SimContext): SimResponse =>
    LOOPBACK.has(req.remoteAddress ?? '')
      ? handler(req, ctx)
      : json(403, { error: { code: 'Forbidden', message: 'The control API answers loopback callers only.' } });
}

export const controlRoutes: Route<SimContext>[] = [
  route(
    'POST',
    '/_control/reset',
    loopbackOnly((_req, ctx) => (ctx.state.reset(), json(200, { ok: true }))),
  ),
  route(
    'GET',
    '/_control/tenant',
    loopbackOnly((_req, ctx) => json(200, ctx.state.tenant)),
  ),
  route('PUT', '/_control/tenant', loopbackOnly(putTenant)),
  route('POST', '/_control/sso-token', loopbackOnly(ssoToken)),
  route('POST', '/_control/channel-token', loopbackOnly(channelToken)),
  route('GET', '/_control/requests', loopbackOnly(requests)),
  route(
    'DELETE',
    '/_control/requests',
    loopbackOnly((_req, ctx) => ((ctx.state.requests = []), json(204))),
  ),
  route('GET', '/_control/activities', loopbackOnly(activities)),
  route(
    'GET',
    '/_control/device-codes',
    loopbackOnly((_req, ctx) => json(200, pendingDeviceCodes(ctx))),
  ),
  route('POST', '/_control/device-codes', loopbackOnly(deviceCode)),
  route(
    'GET',
    '/_control/faults',
    loopbackOnly((_req, ctx) => json(200, ctx.state.faults)),
  ),
  route('POST', '/_control/faults', loopbackOnly(addFault)),
  route(
    'DELETE',
    '/_control/faults',
    loopbackOnly((_req, ctx) => ((ctx.state.faults = []), json(204))),
  ),
  route(
    'GET',
    '/_control/settings',
    loopbackOnly((_req, ctx) => json(200, ctx.state.settings)),
  ),
  route('PUT', '/_control/settings', loopbackOnly(putSettings)),
  route(
    'POST',
    '/_dev/sso-token',
    loopbackOnly((req, ctx) => ssoToken({ ...req, body: { userId: isRecord(req.body) ? req.body['userId'] : undefined } }, ctx)),
  ),
];
