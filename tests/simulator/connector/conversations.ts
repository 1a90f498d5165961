import { connectorError, connectorRoute, MAX_MESSAGE_BYTES, type ConnectorCall } from './common.js';
import { isRecord, json, type SimResponse } from '../core/http.js';
import type { Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';
import type { TenantUser } from '../tenant/model.js';

/**
 * Conversations, members and teams of the Teams connector (docs/api-contracts.md §5). A new channel
 * conversation is a thread: `{id: "<channelId>;messageid=<N>", activityId: "<N>"}` (docs/api-contracts.md §7,
 * `TeamsInfo.sendMessageToTeamsChannel`); a new 1:1 conversation is `a:1-<objectId>`, the id the
 * harness uses for personal chats.
 */
function teamsMember(call: ConnectorCall, user: TenantUser): Record<string, unknown> {
  const [givenName, ...rest] = user.name.split(' ');
  return {
    id: `29:${user.id}`,
    name: user.name,
    aadObjectId: user.id,
    givenName: givenName ?? user.name,
    surname: rest.join(' ') || null,
    email: user.upn,
    userPrincipalName: user.upn,
    tenantId: call.ctx.state.tenant.tenantId,
    userRole: 'user',
  };
}

function memberOf(call: ConnectorCall, key: string): TenantUser | undefined {
  const wanted = key.toLowerCase().replace(/^29:/, '');
  return call.ctx.state.tenant.users.find((u) => u.id.toLowerCase() === wanted || u.upn.toLowerCase() === wanted);
}

function createConversation(call: ConnectorCall): SimResponse {
  const body = isRecord(call.req.body) ? call.req.body : undefined;
  if (!body) return connectorError(400, 'BadArgument', 'Missing conversation parameters.');
  if (call.req.bodySize > MAX_MESSAGE_BYTES) return connectorError(413, 'MessageSizeTooBig', 'Message size too big.');
  const channelData = isRecord(body['channelData']) ? body['channelData'] : {};
  const channelId = isRecord(channelData['channel']) && typeof channelData['channel']['id'] === 'string' ? channelData['channel']['id'] : undefined;
  const activity = isRecord(body['activity']) ? body['activity'] : undefined;
  if (channelId) {
    const id = call.ctx.state.nextMessageId();
    const conversationId = `${channelId};messageid=${id}`;
    if (activity) call.ctx.state.activities.push({ id, conversationId, replyToId: null, activity: { ...activity, id }, updates: [], deleted: false });
    return json(201, { id: conversationId, activityId: id });
  }
  const members = Array.isArray(body['members']) ? body['members'] : [];
  const first = isRecord(members[0]) ? members[0] : {};
  const user = memberOf(call, String(first['aadObjectId'] ?? first['id'] ?? ''));
  if (!user) return connectorError(400, 'BadArgument', 'A 1:1 conversation needs one member who is a user of the tenant.');
  const conversationId = `a:1-${user.id}`;
  if (!activity) return json(201, { id: conversationId });
  const id = call.ctx.state.nextMessageId();
  call.ctx.state.activities.push({ id, conversationId, replyToId: null, activity: { ...activity, id }, updates: [], deleted: false });
  return json(201, { id: conversationId, activityId: id });
}

function members(call: ConnectorCall): SimResponse {
  return json(
    200,
    call.ctx.state.tenant.users.map((u) => teamsMember(call, u)),
  );
}

function member(call: ConnectorCall): SimResponse {
  const user = memberOf(call, call.params['memberId']!);
  return user ? json(200, teamsMember(call, user)) : connectorError(404, 'MemberNotFoundInConversation', 'The member was not found in the conversation.');
}

function pagedMembers(call: ConnectorCall): SimResponse {
  const pageSize = Math.max(1, Math.min(500, Number(call.req.query.get('pageSize') ?? '200') || 200));
  const start = Number(call.req.query.get('continuationToken') ?? '0') || 0;
  const all = call.ctx.state.tenant.users.map((u) => teamsMember(call, u));
  const next = start + pageSize;
  return json(200, { members: all.slice(start, next), ...(next < all.length ? { continuationToken: String(next) } : {}) });
}

function findTeam(call: ConnectorCall) {
  return call.ctx.state.tenant.teams.find((t) => t.id === call.params['teamId']);
}

function teamConversations(call: ConnectorCall): SimResponse {
  const team = findTeam(call);
  return team
    ? json(200, { conversations: team.channels.map((c) => ({ id: c.id, name: c.name })) })
    : connectorError(404, 'NotFound', 'The team was not found.');
}

function teamDetails(call: ConnectorCall): SimResponse {
  const team = findTeam(call);
  return team ? json(200, { id: team.id, name: team.name, aadGroupId: team.aadGroupId }) : connectorError(404, 'NotFound', 'The team was not found.');
}

export const conversationRoutes: Route<SimContext>[] = [
  connectorRoute('POST', 'conversations', createConversation),
  connectorRoute('GET', 'conversations/:conversationId/members', members),
  connectorRoute('GET', 'conversations/:conversationId/members/:memberId', member),
  connectorRoute('GET', 'conversations/:conversationId/pagedmembers', pagedMembers),
  connectorRoute('GET', 'teams/:teamId/conversations', teamConversations),
  connectorRoute('GET', 'teams/:teamId', teamDetails),
];
