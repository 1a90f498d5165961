import { collection, graphError, graphRoute, odataContext, type GraphCall } from './common.js';
import { isRecord, json, type SimResponse } from '../core/http.js';
import { parseSelect, project } from '../core/odata-filter.js';
import { transitiveGroups } from '../pim/model.js';
import type { Principal } from '../core/principal.js';
import type { Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';

/**
 * `POST /users/{id}/checkMemberGroups {"groupIds":[...]}` → `{"value":[ids the user is a transitive
 * member of]}`, at most 20 ids, one malformed id fails the whole request. Permissions as documented
 * at https://learn.microsoft.com/en-us/graph/api/user-checkmembergroups: for the signed-in user,
 * delegated `User.Read`; for other users, (`User.ReadBasic.All` or `User.Read.All`) and
 * (`GroupMember.Read.All` or `Group.Read.All`), or `Directory.Read.All` (application: `User.Read.All`
 * and `GroupMember.Read.All`/`Group.Read.All`, or `Directory.Read.All`). Also `GET /me`.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_GROUPS = 20;

function holds(principal: Principal, ...names: string[]): boolean {
  const held = (principal.kind === 'user' ? principal.scopes : principal.roles).map((p) => p.toLowerCase());
  return names.some((n) => held.includes(n.toLowerCase()));
}

function mayCheck(principal: Principal, userId: string): boolean {
  if (holds(principal, 'Directory.Read.All', 'Directory.ReadWrite.All')) return true;
  if (principal.kind === 'user' && principal.oid === userId && holds(principal, 'User.Read')) return true;
  const readsUsers = principal.kind === 'user' ? holds(principal, 'User.ReadBasic.All', 'User.Read.All') : holds(principal, 'User.Read.All');
  return readsUsers && holds(principal, 'GroupMember.Read.All', 'Group.Read.All');
}

function checkMemberGroups(call: GraphCall): SimResponse {
  const tenant = call.ctx.state.tenant;
  const userId = call.params['userId']!;
  const user = tenant.users.find((u) => u.id.toLowerCase() === userId.toLowerCase() || u.upn.toLowerCase() === userId.toLowerCase());
  if (!mayCheck(call.principal, user?.id ?? userId))
    return graphError(call, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  if (!user) {
    return graphError(
      call,
      404,
      'Request_ResourceNotFound',
      `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  const groupIds = isRecord(call.req.body) ? call.req.body['groupIds'] : undefined;
  if (!Array.isArray(groupIds) || groupIds.some((id) => typeof id !== 'string' || !GUID.test(id))) {
    return graphError(call, 400, 'Request_BadRequest', 'Invalid GUID in groupIds, or groupIds is missing.');
  }
  if (groupIds.length > MAX_GROUPS) return graphError(call, 400, 'Request_BadRequest', `The number of groupIds exceeds the limit of ${MAX_GROUPS}.`);
  const member = transitiveGroups(tenant, user.id);
  const value = (groupIds as string[]).filter((id) => member.has(id.toLowerCase()) || member.has(id));
  return json(200, { '@odata.context': odataContext(call, 'Collection(Edm.String)'), value });
}

/**
 * `GET /groups/{id}/transitiveMembers` (learn.microsoft.com/graph/api/group-list-transitivemembers):
 * the flat list of nested members, users and groups, each `{ "@odata.type", id }` (with `$select=id`);
 * `$top` / `@odata.nextLink` paging. Application or delegated `GroupMember.Read.All` (or Group.Read.All,
 * Directory.Read.All). 404 `Request_ResourceNotFound` for an unknown group.
 */
function transitiveMembers(call: GraphCall): SimResponse {
  const tenant = call.ctx.state.tenant;
  const group = tenant.groups.find((g) => g.id.toLowerCase() === call.params['groupId']!.toLowerCase());
  if (!group)
    return graphError(
      call,
      404,
      'Request_ResourceNotFound',
      `Resource '${call.params['groupId']}' does not exist or one of its queried reference-property objects are not present.`,
    );
  const groupIds = new Set(tenant.groups.map((g) => g.id));
  const seen = new Set<string>();
  const members: { '@odata.type': string; id: string }[] = [];
  const visit = (members_: readonly string[]) => {
    for (const id of members_) {
      if (seen.has(id)) continue;
      seen.add(id);
      const nested = tenant.groups.find((g) => g.id === id);
      members.push({ '@odata.type': groupIds.has(id) ? '#microsoft.graph.group' : '#microsoft.graph.user', id });
      if (nested) visit(nested.members);
    }
  };
  visit(group.members);
  return collection(call, members, 'directoryObjects(id)');
}

function notFound(call: GraphCall, id: string): SimResponse {
  return graphError(call, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

/** `GET /groups/{id}` (learn.microsoft.com/graph/api/group-get): least privileged GroupMember.Read.All (research-9 §7). */
function getGroup(call: GraphCall): SimResponse {
  const id = call.params['groupId']!;
  const group = call.ctx.state.tenant.groups.find((g) => g.id.toLowerCase() === id.toLowerCase());
  if (!group) return notFound(call, id);
  const item = { id: group.id, displayName: group.displayName, description: null, groupTypes: [], mailEnabled: false, securityEnabled: true, mail: null };
  return json(200, { '@odata.context': odataContext(call, 'groups/$entity'), ...project(item, parseSelect(call.req.query.get('$select'))) });
}

/**
 * `GET /users/{id | userPrincipalName}` (learn.microsoft.com/graph/api/user-get): application
 * User.Read.All; `accountEnabled` only when selected, as Graph returns a default property set.
 */
function getUser(call: GraphCall): SimResponse {
  const key = call.params['userId']!.toLowerCase();
  const user = call.ctx.state.tenant.users.find((u) => u.id.toLowerCase() === key || u.upn.toLowerCase() === key);
  if (!user) return notFound(call, call.params['userId']!);
  const select = parseSelect(call.req.query.get('$select'));
  const item = { id: user.id, displayName: user.name, userPrincipalName: user.upn, mail: user.upn, accountEnabled: user.disabled !== true };
  const shown = select ? project(item, select) : { id: item.id, displayName: item.displayName, userPrincipalName: item.userPrincipalName, mail: item.mail };
  return json(200, { '@odata.context': odataContext(call, 'users/$entity'), ...shown });
}

function me(call: GraphCall): SimResponse {
  const user = call.ctx.state.tenant.users.find((u) => u.id === call.principal.oid);
  if (!user) return graphError(call, 404, 'Request_ResourceNotFound', `Resource '${call.principal.oid}' does not exist.`);
  return json(200, { '@odata.context': odataContext(call, 'users/$entity'), id: user.id, displayName: user.name, userPrincipalName: user.upn, mail: user.upn });
}

export const graphGroupRoutes: Route<SimContext>[] = [
  graphRoute(
    'POST',
    ['users', ':userId', 'checkMemberGroups'],
    {
      delegated: [
        'User.Read',
        'User.ReadBasic.All',
        'User.Read.All',
        'GroupMember.Read.All',
        'Group.Read.All',
        'Directory.Read.All',
        'Directory.ReadWrite.All',
      ],
      application: ['User.Read.All', 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    },
    checkMemberGroups,
  ),
  graphRoute(
    'GET',
    ['groups', ':groupId', 'transitiveMembers'],
    {
      delegated: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
      application: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    },
    transitiveMembers,
  ),
  graphRoute(
    'GET',
    ['groups', ':groupId'],
    {
      delegated: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
      application: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
    },
    getGroup,
  ),
  graphRoute(
    'GET',
    ['users', ':userId'],
    {
      delegated: ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
      application: ['User.Read.All', 'Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
    },
    getUser,
  ),
  graphRoute('GET', ['me'], { delegated: ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'], application: [], userOnly: true }, me),
];
