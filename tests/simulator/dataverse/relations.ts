import { type SimResponse } from '../core/http.js';
import { route, type Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';
import { presenters } from './entities.js';
import { API, dv, dvError, GUID, query, type DvCall } from './routes.js';

/**
 * The N:N relationships the standing-access inventory reads (issue #15), navigable from either side as the Web
 * API exposes collection-valued navigation properties (learn.microsoft.com/power-apps/developer/data-platform/
 * webapi/query/join-tables): `roles({id})/systemuserroles_association` (users holding a role),
 * `roles({id})/teamroles_association` (teams holding it), `teams({id})/teammembership_association` (a team's
 * members), and `teams` itself. Paged and filtered like any collection.
 */
const ROLE = new RegExp(`^roles\\((?<roleId>${GUID})\\)$`);
const TEAM = new RegExp(`^teams\\((?<teamId>${GUID})\\)$`);

function role(call: DvCall) {
  return call.org.roles.find((r) => r.roleid.toLowerCase() === call.params['roleId']?.toLowerCase());
}

function team(call: DvCall) {
  return (call.org.teams ?? []).find((t) => t.teamid.toLowerCase() === call.params['teamId']?.toLowerCase());
}

function roleNotFound(call: DvCall): SimResponse {
  return dvError(404, '0x80040217', `role With Id = ${call.params['roleId']} Does Not Exist`);
}

function usersWithRole(call: DvCall): SimResponse {
  const found = role(call);
  if (!found) return roleNotFound(call);
  const users = call.org.systemusers.filter((u) => u.roleIds.includes(found.roleid));
  return query(call, 'systemusers', users.map(presenters.systemusers));
}

function teamsWithRole(call: DvCall): SimResponse {
  const found = role(call);
  if (!found) return roleNotFound(call);
  return query(call, 'teams', (call.org.teams ?? []).filter((t) => t.roleIds.includes(found.roleid)).map(presenters.teams));
}

function teamMembers(call: DvCall): SimResponse {
  const found = team(call);
  if (!found) return dvError(404, '0x80040217', `team With Id = ${call.params['teamId']} Does Not Exist`);
  const members = call.org.systemusers.filter((u) => found.memberIds.includes(u.systemuserid));
  return query(call, 'systemusers', members.map(presenters.systemusers));
}

export const relationRoutes: Route<SimContext>[] = [
  route('GET', [...API, ROLE, 'systemuserroles_association'], dv(usersWithRole)),
  route('GET', [...API, ROLE, 'teamroles_association'], dv(teamsWithRole)),
  route('GET', [...API, TEAM, 'teammembership_association'], dv(teamMembers)),
  route(
    'GET',
    [...API, 'teams'],
    dv((c) => query(c, 'teams', (c.org.teams ?? []).map(presenters.teams))),
  ),
];
