import { collection, graphError, graphRoute, odataContext, type Access, type GraphCall } from './common.js';
import { APP_ROLE_ASSIGNMENT_READERS, holdsSupportedRole, PERMISSION_GRANT_READERS } from './directory-roles.js';
import {
  appRoleAssignments,
  permissionGrants,
  presentApplication,
  presentServicePrincipal,
  servicePrincipals,
  type Json,
  type ServicePrincipalView,
} from './directory-model.js';
import { json, type SimResponse } from '../core/http.js';
import { parseFilter, parseSelect, project } from '../core/odata-filter.js';
import type { Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';

/**
 * Graph reads of app registrations, service principals and consent (what `npm run doctor` checks),
 * with the least privileges Microsoft documents (research-9 §7) and 403 `Authorization_RequestDenied`
 * otherwise:
 * - `GET servicePrincipals(appId='…')`, `servicePrincipals?$filter=appId eq '…'`, `servicePrincipals/{id}`
 *   and `applications(appId='…')`, `applications?$filter=appId eq '…'`: `Application.Read.All`;
 * - `GET servicePrincipals/{id}/appRoleAssignments`: `Application.Read.All`, and for users a supporting role;
 * - `GET oauth2PermissionGrants[?$filter=clientId eq '…']` and `servicePrincipals/{id}/oauth2PermissionGrants`:
 *   `Directory.Read.All` (DelegatedPermissionGrant.Read.All is not listed on these pages [?]), and for
 *   users a supporting role (graph-directory-roles.ts).
 * `$select` picks top-level properties; 404 `Request_ResourceNotFound` for an unknown id or app id.
 */
const APPLICATION_READ: Access = {
  delegated: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  application: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
};
const ASSIGNMENT_READ: Access = {
  delegated: [...APPLICATION_READ.delegated, 'AppRoleAssignment.ReadWrite.All'],
  application: [...APPLICATION_READ.application, 'AppRoleAssignment.ReadWrite.All'],
};
const GRANT_READ: Access = {
  delegated: ['Directory.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
  application: ['Directory.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
};
const BY_APP_ID = (collection: string) => new RegExp(`^${collection}\\(appId='(?<appId>[^']*)'\\)$`, 'i');

function notFound(call: GraphCall, key: string): SimResponse {
  return graphError(
    call,
    404,
    'Request_ResourceNotFound',
    `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function denied(call: GraphCall): SimResponse {
  return graphError(call, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

function one(call: GraphCall, item: Json, what: string): SimResponse {
  return json(200, { '@odata.context': odataContext(call, `${what}/$entity`), ...project(item, parseSelect(call.req.query.get('$select'))) });
}

function many(call: GraphCall, items: Json[], what: string): SimResponse {
  const select = parseSelect(call.req.query.get('$select'));
  return collection(
    call,
    items.map((i) => project(i, select)),
    what,
  );
}

/** `$filter` of `field eq '…'` clauses on the given fields only; undefined: a 400 was due. */
function filtered(call: GraphCall, items: Json[], fields: readonly string[]): Json[] | undefined {
  const raw = call.req.query.get('$filter');
  if (raw === null) return items;
  const clauses = parseFilter(raw);
  if (!clauses || clauses.some((c) => !c.quoted || !fields.some((f) => f.toLowerCase() === c.field.toLowerCase()))) return undefined;
  return items.filter((item) =>
    clauses.every((c) => String(item[fields.find((f) => f.toLowerCase() === c.field.toLowerCase())!] ?? '').toLowerCase() === c.value?.toLowerCase()),
  );
}

const badFilter = (call: GraphCall) => graphError(call, 400, 'BadRequest', `Invalid filter clause: ${call.req.query.get('$filter')}`);

function allSps(call: GraphCall): ServicePrincipalView[] {
  return servicePrincipals(call.ctx.state.tenant);
}

function spById(call: GraphCall): ServicePrincipalView | undefined {
  return allSps(call).find((sp) => sp.id.toLowerCase() === call.params['id']!.toLowerCase());
}

function spByAppId(call: GraphCall): SimResponse {
  const sp = allSps(call).find((s) => s.appId.toLowerCase() === call.params['appId']!.toLowerCase());
  return sp ? one(call, presentServicePrincipal(sp, call.ctx.state.tenant.tenantId), 'servicePrincipals') : notFound(call, call.params['appId']!);
}

function listSps(call: GraphCall): SimResponse {
  const all = allSps(call).map((sp) => presentServicePrincipal(sp, call.ctx.state.tenant.tenantId));
  const items = filtered(call, all, ['appId', 'displayName']);
  return items ? many(call, items, 'servicePrincipals') : badFilter(call);
}

function getSp(call: GraphCall): SimResponse {
  const sp = spById(call);
  return sp ? one(call, presentServicePrincipal(sp, call.ctx.state.tenant.tenantId), 'servicePrincipals') : notFound(call, call.params['id']!);
}

function assignmentsOf(call: GraphCall): SimResponse {
  if (!holdsSupportedRole(call.ctx, call.principal, APP_ROLE_ASSIGNMENT_READERS)) return denied(call);
  const sp = spById(call);
  if (!sp) return notFound(call, call.params['id']!);
  return many(call, sp.app ? appRoleAssignments(call.ctx.state.tenant, sp.app) : [], `servicePrincipals('${sp.id}')/appRoleAssignments`);
}

function grants(call: GraphCall, clientId?: string): SimResponse {
  if (!holdsSupportedRole(call.ctx, call.principal, PERMISSION_GRANT_READERS)) return denied(call);
  const all = permissionGrants(call.ctx.state.tenant).filter((g) => clientId === undefined || g['clientId'] === clientId);
  const items = filtered(call, all, ['clientId', 'resourceId', 'consentType', 'principalId']);
  return items ? many(call, items, 'oauth2PermissionGrants') : badFilter(call);
}

function grantsOfSp(call: GraphCall): SimResponse {
  const sp = spById(call);
  return sp ? grants(call, sp.id) : notFound(call, call.params['id']!);
}

function appByAppId(call: GraphCall): SimResponse {
  const tenant = call.ctx.state.tenant;
  const app = tenant.apps.find((a) => a.clientId.toLowerCase() === call.params['appId']!.toLowerCase());
  return app ? one(call, presentApplication(tenant, app), 'applications') : notFound(call, call.params['appId']!);
}

function listApps(call: GraphCall): SimResponse {
  const tenant = call.ctx.state.tenant;
  const items = filtered(
    call,
    tenant.apps.map((a) => presentApplication(tenant, a)),
    ['appId', 'displayName'],
  );
  return items ? many(call, items, 'applications') : badFilter(call);
}

/**
 * `GET servicePrincipals/{id}/owners`: directory objects (users here) that own the service principal;
 * `Application.Read.All` is the least privilege for application and delegated callers
 * (learn.microsoft.com/graph/api/serviceprincipal-list-owners [D]).
 */
function ownersOf(call: GraphCall): SimResponse {
  const sp = spById(call);
  if (!sp) return notFound(call, call.params['id']!);
  const users = call.ctx.state.tenant.users.filter((u) => (sp.app?.owners ?? []).includes(u.id));
  const items = users.map((u) => ({ '@odata.type': '#microsoft.graph.user', id: u.id, displayName: u.name, userPrincipalName: u.upn }));
  return many(call, items, 'directoryObjects');
}

export const graphApplicationRoutes: Route<SimContext>[] = [
  graphRoute('GET', [BY_APP_ID('servicePrincipals')], APPLICATION_READ, spByAppId),
  graphRoute('GET', ['servicePrincipals'], APPLICATION_READ, listSps),
  graphRoute('GET', ['servicePrincipals', ':id'], APPLICATION_READ, getSp),
  graphRoute('GET', ['servicePrincipals', ':id', 'appRoleAssignments'], ASSIGNMENT_READ, assignmentsOf),
  graphRoute('GET', ['servicePrincipals', ':id', 'owners'], APPLICATION_READ, ownersOf),
  graphRoute('GET', ['servicePrincipals', ':id', 'oauth2PermissionGrants'], GRANT_READ, grantsOfSp),
  graphRoute('GET', ['oauth2PermissionGrants'], GRANT_READ, (call) => grants(call)),
  graphRoute('GET', [BY_APP_ID('applications')], APPLICATION_READ, appByAppId),
  graphRoute('GET', ['applications'], APPLICATION_READ, listApps),
];
