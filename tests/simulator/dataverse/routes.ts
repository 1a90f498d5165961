import { page, throttle } from './limits.js';
import { ENTITY_TYPE, FILTERABLE, FILTER_ALIASES, presenters, SELECTABLE, type EntitySet } from './entities.js';
import { applyMicrosoftRemovals, isSystemAdministrator } from './model.js';
import { ADMIN_ROLES, isHonouredAdmin } from '../power-platform/routes.js';
import { isRecord, json, stringField, type SimRequest, type SimResponse } from '../core/http.js';
import { parseFilter, parseSelect, project } from '../core/odata-filter.js';
import { authenticate, type Principal } from '../core/principal.js';
import { route, type Params, type Route } from '../core/router.js';
import { dataverseUrl } from '../entra/scopes.js';
import type { SimContext } from '../core/state.js';
import type { DataverseOrg, DataverseUser } from '../tenant/model.js';

/**
 * Dataverse Web API of one environment (docs/api-contracts.md §4), only what Elevate uses: find a
 * systemuser, the root business unit, the System Administrator role, a user's roles, and remove
 * (or add) a role association. Token `aud` = the environment URL; application users are systemusers
 * with an `applicationid`. Errors are `{"error":{"code":"0x...","message"}}`.
 */
export interface DvCall {
  req: SimRequest;
  params: Params;
  ctx: SimContext;
  org: DataverseOrg;
  envUrl: string;
  caller: DataverseUser;
}

export const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const USER = new RegExp(`^systemusers\\((?<userId>${GUID})\\)$`);
const ROLE_REF = new RegExp(`^systemuserroles_association\\((?<roleId>${GUID})\\)$`);

export function dvError(status: number, code: string, message: string): SimResponse {
  return json(status, { error: { code, message } });
}

export function dataverseFaultBody(status: number): unknown {
  if (status === 429) return { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } };
  return { error: { code: '0x80040216', message: 'An unexpected error occurred.' } };
}

function unknownProperty(set: EntitySet, property: string): SimResponse {
  return dvError(400, '0x80060888', `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${ENTITY_TYPE[set]}'.`);
}

/** `$filter` and `$select` over an entity set, answered as an OData collection. */
export function query(call: DvCall, set: EntitySet, rows: Record<string, unknown>[]): SimResponse {
  const select = parseSelect(call.req.query.get('$select'));
  const known = SELECTABLE[set];
  const badSelect = select?.find((s) => !known.includes(s.toLowerCase()));
  if (badSelect) return unknownProperty(set, badSelect);
  const rawFilter = call.req.query.get('$filter');
  let filtered = rows;
  if (rawFilter !== null) {
    const filter = parseFilter(rawFilter);
    if (!filter) return dvError(400, '0x80060888', `The $filter expression '${rawFilter}' is not supported.`);
    const normalized = filter.map((c) => ({ ...c, field: FILTER_ALIASES[c.field.toLowerCase()] ?? c.field.toLowerCase() }));
    const bad = normalized.find((c) => !FILTERABLE[set].includes(c.field));
    if (bad) return unknownProperty(set, bad.field);
    filtered = rows.filter((row) =>
      normalized.every((c) => (c.value === null ? row[c.field] === null : String(row[c.field] ?? '').toLowerCase() === c.value.toLowerCase())),
    );
  }
  const context = `${call.envUrl}/api/data/v9.2/$metadata#${set}${select ? `(${select.join(',')})` : ''}`;
  const { value, nextLink, applied } = page(call.req, filtered, call.envUrl);
  return json(
    200,
    { '@odata.context': context, value: value.map((row) => project(row, select)), ...(nextLink ? { '@odata.nextLink': nextLink } : {}) },
    { 'OData-Version': '4.0', ...(applied ? { 'Preference-Applied': applied } : {}) },
  );
}

function findUser(call: DvCall): DataverseUser | undefined {
  return call.org.systemusers.find((u) => u.systemuserid.toLowerCase() === call.params['userId']?.toLowerCase());
}

function userNotFound(call: DvCall): SimResponse {
  return dvError(404, '0x80040217', `systemuser With Id = ${call.params['userId']} Does Not Exist`);
}

function userRoles(call: DvCall): SimResponse {
  const user = findUser(call);
  if (!user) return userNotFound(call);
  const roles = call.org.roles.filter((r) => user.roleIds.includes(r.roleid)).map(presenters.roles);
  return query(call, 'roles', roles);
}

function requireSystemAdministrator(call: DvCall): SimResponse | undefined {
  if (isSystemAdministrator(call.org, call.caller)) return undefined;
  return dvError(
    403,
    '0x80040220',
    `Principal user (Id=${call.caller.systemuserid}, type=8, roleCount=${call.caller.roleIds.length}) is missing prvAssignRole privilege on OTC=1036 for entity 'role'.`,
  );
}

function disassociate(call: DvCall): SimResponse {
  const denied = requireSystemAdministrator(call);
  if (denied) return denied;
  const user = findUser(call);
  if (!user) return userNotFound(call);
  // Removing an association that does not exist: answered 204 here; the real answer is [?].
  user.roleIds = user.roleIds.filter((id) => id.toLowerCase() !== call.params['roleId']?.toLowerCase());
  return json(204);
}

function associate(call: DvCall): SimResponse {
  const denied = requireSystemAdministrator(call);
  if (denied) return denied;
  const user = findUser(call);
  if (!user) return userNotFound(call);
  const ref = stringField(call.req.body, '@odata.id') ?? '';
  const roleId = new RegExp(`roles\\((${GUID})\\)$`).exec(ref)?.[1];
  const role = call.org.roles.find((r) => r.roleid.toLowerCase() === roleId?.toLowerCase());
  if (!isRecord(call.req.body) || !role) return dvError(400, '0x80040203', `Invalid @odata.id '${ref}'.`);
  if (!user.roleIds.includes(role.roleid)) user.roleIds.push(role.roleid);
  return json(204);
}

function callerOf(org: DataverseOrg, principal: Principal): DataverseUser | undefined {
  const match =
    principal.kind === 'app'
      ? (u: DataverseUser) => u.applicationid === principal.appid
      : (u: DataverseUser) => u.azureactivedirectoryobjectid === principal.oid && u.applicationid === null;
  return org.systemusers.find((u) => match(u) && !u.isdisabled);
}

export function dv(handler: (call: DvCall) => SimResponse) {
  return (req: SimRequest, params: Params, ctx: SimContext): SimResponse => {
    const domain = params['domain']!.toLowerCase();
    const org = ctx.state.tenant.dataverse[domain];
    if (!org) return dvError(404, '0x80040217', `No Dataverse organization named '${domain}'.`);
    const envUrl = dataverseUrl(ctx, domain);
    const auth = authenticate(ctx, req, [envUrl]);
    if (!auth.ok) {
      return json(401, undefined, {
        'WWW-Authenticate': `Bearer authorization_uri=${ctx.baseUrl}/${ctx.state.tenant.tenantId}/oauth2/authorize, resource_id=${envUrl}`,
      });
    }
    applyMicrosoftRemovals(ctx.state, ADMIN_ROLES, (userId) => isHonouredAdmin(ctx, userId, true));
    const caller = callerOf(org, auth.principal);
    if (!caller) return dvError(403, '0x80072560', 'The user is not a member of the organization.');
    const throttled = throttle(ctx.state, `${domain}/${caller.systemuserid}`);
    if (throttled) return throttled;
    return handler({ req, params, ctx, org, envUrl, caller });
  };
}

export const API = ['dataverse', ':domain', 'api', 'data', 'v9.2'];

export const dataverseRoutes: Route<SimContext>[] = [
  route(
    'GET',
    [...API, 'systemusers'],
    dv((c) => query(c, 'systemusers', c.org.systemusers.map(presenters.systemusers))),
  ),
  route(
    'GET',
    [...API, USER],
    dv((c) => (findUser(c) ? json(200, project(presenters.systemusers(findUser(c)!), parseSelect(c.req.query.get('$select')))) : userNotFound(c))),
  ),
  route('GET', [...API, USER, 'systemuserroles_association'], dv(userRoles)),
  route('DELETE', [...API, USER, ROLE_REF, '$ref'], dv(disassociate)),
  route('POST', [...API, USER, 'systemuserroles_association', '$ref'], dv(associate)),
  route(
    'GET',
    [...API, 'businessunits'],
    dv((c) => query(c, 'businessunits', c.org.businessUnits.map(presenters.businessunits))),
  ),
  route(
    'GET',
    [...API, 'roles'],
    dv((c) => query(c, 'roles', c.org.roles.map(presenters.roles))),
  ),
  route(
    'GET',
    [...API, 'WhoAmI'],
    dv((c) => json(200, { BusinessUnitId: c.caller.businessunitid, UserId: c.caller.systemuserid, OrganizationId: c.org.organizationId })),
  ),
];
