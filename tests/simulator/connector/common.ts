import { isRecord, json, type SimRequest, type SimResponse } from '../core/http.js';
import { authenticate } from '../core/principal.js';
import { route, type Params, type Route } from '../core/router.js';
import { BOT_ID, BOTFRAMEWORK_TENANT_ID } from '../tenant/seed.js';
import type { RecordedActivity, SimContext } from '../core/state.js';

/**
 * Bot Framework connector plumbing (docs/api-contracts.md §5): every call needs a connector token
 * (`aud` https://api.botframework.com, `appid` BOT_ID) from the `botframework.com` tenant, or from the
 * demo tenant as a single-tenant bot gets it; error envelope `{"error":{"code","message"}}`.
 */
export const MAX_MESSAGE_BYTES = 100 * 1024;

export interface ConnectorCall {
  req: SimRequest;
  params: Params;
  ctx: SimContext;
}

export function connectorError(status: number, code: string, message: string, headers?: Record<string, string>): SimResponse {
  return json(status, { error: { code, message } }, headers);
}

export function connectorFaultBody(status: number): unknown {
  return { error: { code: status === 429 ? 'TooManyRequests' : 'ServiceError', message: 'Injected fault.' } };
}

function authorize(req: SimRequest, ctx: SimContext): SimResponse | undefined {
  const denied = json(401, { message: 'Authorization has been denied for this request.' });
  const auth = authenticate(ctx, req, ['https://api.botframework.com']);
  if (!auth.ok) return denied;
  const { principal } = auth;
  const tenantOk = principal.tid === BOTFRAMEWORK_TENANT_ID || principal.tid === ctx.state.tenant.tenantId;
  return principal.kind === 'app' && principal.appid === BOT_ID && tenantOk ? undefined : denied;
}

export function connectorRoute(method: string, path: string, handler: (call: ConnectorCall) => SimResponse): Route<SimContext> {
  return route(method, `/connector/v3/${path}`, (req, params, ctx) => authorize(req, ctx) ?? handler({ req, params, ctx }));
}

/** `19:…@thread.tacv2;messageid=N` → `19:…@thread.tacv2`. */
export function channelOf(conversationId: string): string {
  return conversationId.split(';messageid=')[0]!;
}

export function isChannel(conversationId: string): boolean {
  return conversationId.startsWith('19:') && !conversationId.includes(';messageid=');
}

/** 413 over the size limit, 429 over the optional per-conversation rate limit; undefined when fine. */
export function postRefusal(call: ConnectorCall, conversationId: string): SimResponse | undefined {
  if (call.req.bodySize > MAX_MESSAGE_BYTES) return connectorError(413, 'MessageSizeTooBig', 'Message size too big.');
  if (!isRecord(call.req.body) || typeof call.req.body['type'] !== 'string')
    return connectorError(400, 'BadArgument', 'The activity must be a JSON object with a type.');
  const limit = call.ctx.state.settings.connectorRateLimitPerSecond;
  if (limit <= 0) return undefined;
  const now = call.ctx.state.now();
  const key = channelOf(conversationId);
  const recent = (call.ctx.state.postTimes.get(key) ?? []).filter((t) => now - t < 1000);
  if (recent.length >= limit) return connectorError(429, 'TooManyRequests', 'Too many requests for this conversation.', { 'Retry-After': '1' });
  call.ctx.state.postTimes.set(key, [...recent, now]);
  return undefined;
}

export function record(call: ConnectorCall, conversationId: string, replyToId: string | null, activity: Record<string, unknown>): RecordedActivity {
  const id = call.ctx.state.nextMessageId();
  const recorded: RecordedActivity = { id, conversationId, replyToId, activity: { ...activity, id }, updates: [], deleted: false };
  call.ctx.state.activities.push(recorded);
  return recorded;
}
