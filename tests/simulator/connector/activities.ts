import { channelOf, connectorError, connectorRoute, isChannel, postRefusal, record, type ConnectorCall } from './common.js';
import { json, type SimResponse } from '../core/http.js';
import type { Route } from '../core/router.js';
import type { RecordedActivity, SimContext } from '../core/state.js';

/**
 * Posting, replying, updating and deleting activities as Teams' connector does (docs/api-contracts.md §5).
 * Everything the bot posts is recorded for `GET /_control/activities`; updates keep their history.
 */
function send(call: ConnectorCall): SimResponse {
  const cid = call.params['conversationId']!;
  const refused = postRefusal(call, cid);
  if (refused) return refused;
  const body = call.req.body as Record<string, unknown>;
  const replyToId = typeof body['replyToId'] === 'string' ? body['replyToId'] : null;
  const id = call.ctx.state.nextMessageId();
  // A post to a bare channel starts a new thread rooted at this message.
  const conversationId = isChannel(cid) ? `${cid};messageid=${id}` : cid;
  call.ctx.state.activities.push({ id, conversationId, replyToId, activity: { ...body, id }, updates: [], deleted: false });
  return json(201, { id });
}

function reply(call: ConnectorCall): SimResponse {
  const cid = call.params['conversationId']!;
  const refused = postRefusal(call, cid);
  if (refused) return refused;
  const replyToId = call.params['activityId']!;
  const conversationId = isChannel(cid) ? `${cid};messageid=${replyToId}` : cid;
  const recorded = record(call, conversationId, replyToId, { ...(call.req.body as Record<string, unknown>), replyToId });
  return json(201, { id: recorded.id });
}

function findActivity(call: ConnectorCall): RecordedActivity | undefined {
  const cid = channelOf(call.params['conversationId']!);
  return call.ctx.state.activities.find((a) => a.id === call.params['activityId'] && channelOf(a.conversationId) === cid && !a.deleted);
}

function update(call: ConnectorCall): SimResponse {
  const refused = postRefusal(call, call.params['conversationId']!);
  if (refused) return refused;
  const recorded = findActivity(call);
  if (!recorded) return connectorError(404, 'ActivityNotFound', 'The activity was not found in the conversation.');
  const next = { ...(call.req.body as Record<string, unknown>), id: recorded.id };
  recorded.updates.push(next);
  recorded.activity = next;
  return json(200, { id: recorded.id });
}

function remove(call: ConnectorCall): SimResponse {
  const recorded = findActivity(call);
  if (!recorded) return connectorError(404, 'ActivityNotFound', 'The activity was not found in the conversation.');
  recorded.deleted = true;
  return json(200);
}

export const activityRoutes: Route<SimContext>[] = [
  connectorRoute('POST', 'conversations/:conversationId/activities', send),
  connectorRoute('POST', 'conversations/:conversationId/activities/:activityId', reply),
  connectorRoute('PUT', 'conversations/:conversationId/activities/:activityId', update),
  connectorRoute('DELETE', 'conversations/:conversationId/activities/:activityId', remove),
];
