import { json, type SimResponse } from '../core/http.js';
import { route, type Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';
import type { EnvironmentGroup } from '../tenant/model.js';
import { isHonouredAdmin, versioned, type PpCall } from './routes.js';

/**
 * Power Platform API environment groups (docs/api-contracts.md §3 "Environment groups"):
 * `GET /environmentmanagement/environmentGroups` → `{value:[EnvironmentGroup]}` and
 * `GET /environmentmanagement/environmentGroups/{groupId}`. The EnvironmentGroup fields (id,
 * displayName, description, parentGroupId, childrenGroupIds, createdTime, createdBy, lastModified…)
 * and the ProblemDetails error body (type, title, status, detail, instance) are the REST reference's
 * (learn.microsoft.com/rest/api/power-platform/environmentmanagement/environment-groups [D]); the
 * list path is the Create operation's collection, called with GET by admin tools [3P]; api-version
 * `2022-03-01-preview` (REST reference [D]) and `2024-10-01` (Update Environment Group [D]).
 * Who may list is not documented [?]: environment groups are an admin-centre feature, so an
 * application registered as a management application ("treated as a Power Platform Administrator"
 * [D]) or a user whose Power Platform/Global admin role is active (and directly assigned) may; anyone
 * else is refused with 403. A delegated token needs `EnvironmentManagement.EnvironmentGroups.Read`
 * (the `{namespace}.{resourceType}.{action}` naming of programmability-permission-reference [D]; the
 * name itself is [?]) or `All.All.Read`. Paging with `@odata.nextLink` [?], 50 a page.
 * 429, 5xx and latency come from the fault control.
 */
const VERSIONS = ['2022-03-01-preview', '2024-10-01'];
const READ_SCOPES = ['EnvironmentManagement.EnvironmentGroups.Read', 'All.All.Read'];
const PAGE_SIZE = 50;

function problem(call: PpCall, status: number, title: string, detail: string): SimResponse {
  return json(status, { type: `https://httpstatuses.io/${status}`, title, status, detail, instance: call.req.path });
}

function refusal(call: PpCall): SimResponse | undefined {
  const { principal, ctx } = call;
  if (principal.kind === 'app') {
    const managementApp = ctx.state.tenant.apps.some((a) => a.clientId === principal.appid && a.powerPlatformManagementApp === true);
    return managementApp ? undefined : problem(call, 403, 'Forbidden', `The application ${principal.appid} is not allowed to read environment groups.`);
  }
  if (!principal.scopes.some((s) => READ_SCOPES.some((r) => r.toLowerCase() === s.toLowerCase()))) {
    return problem(call, 403, 'Forbidden', `Application missing required delegated permissions: [${READ_SCOPES.join(', ')}]`);
  }
  return isHonouredAdmin(ctx, principal.oid, true) ? undefined : problem(call, 403, 'Forbidden', 'The caller is not a Power Platform administrator.');
}

function present(ctx: SimContext, group: EnvironmentGroup): Record<string, unknown> {
  const children = ctx.state.tenant.environmentGroups.filter((g) => g.parentGroupId === group.id).map((g) => g.id);
  return {
    id: group.id,
    displayName: group.displayName,
    description: group.description ?? '',
    ...(group.parentGroupId ? { parentGroupId: group.parentGroupId } : {}),
    childrenGroupIds: children,
    createdTime: '2025-01-01T00:00:00Z',
    createdBy: { id: ctx.state.tenant.tenantId, type: 'User' },
  };
}

function list(call: PpCall): SimResponse {
  const refused = refusal(call);
  if (refused) return refused;
  const all = call.ctx.state.tenant.environmentGroups;
  const skip = Number(call.req.query.get('$skiptoken') ?? '0');
  if (!Number.isInteger(skip) || skip < 0) return problem(call, 400, 'Bad Request', 'Invalid $skiptoken.');
  const body: Record<string, unknown> = { value: all.slice(skip, skip + PAGE_SIZE).map((g) => present(call.ctx, g)) };
  if (skip + PAGE_SIZE < all.length) {
    const next = new URLSearchParams(call.req.query);
    next.set('$skiptoken', String(skip + PAGE_SIZE));
    body['@odata.nextLink'] = `${call.ctx.baseUrl}${call.req.path}?${next.toString()}`;
  }
  return json(200, body);
}

function get(call: PpCall): SimResponse {
  const refused = refusal(call);
  if (refused) return refused;
  const id = call.params['groupId'] ?? '';
  // The path parameter is a uuid in the REST reference [D]: anything else is a 400.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return problem(call, 400, 'Bad Request', `'${id}' is not a valid group id.`);
  const group = call.ctx.state.tenant.environmentGroups.find((g) => g.id.toLowerCase() === id.toLowerCase());
  return group ? json(200, present(call.ctx, group)) : problem(call, 404, 'Not Found', `The environment group '${id}' was not found.`);
}

export const environmentGroupRoutes: Route<SimContext>[] = [
  route('GET', '/powerplatform/environmentmanagement/environmentGroups', versioned(VERSIONS, list)),
  route('GET', '/powerplatform/environmentmanagement/environmentGroups/:groupId', versioned(VERSIONS, get)),
];
