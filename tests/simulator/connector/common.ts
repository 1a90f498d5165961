import { isRecord, json, type SimRequest, type SimResponse } from '../core/http.js';
import { authenticate } from '../core/principal.js';
import { route, type Params, type Route } from '../core/router.js';
import { BOTFRAMEWORK_TENANT_ID } from '../tenant/seed.js';
import type { RecordedActivity, SimContext } from '../core/state.js';

/**
 * Bot Framework connector plumbing (docs/api-contracts.md §5): every call needs a connector token
 * (`aud` https://api.botframework.com, `appid` the Azure Bot's app id, BOT_ID in the seed) from the `botframework.com` tenant, or from the
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
  const bot = ctx.state.tenant.azureBot;
  // A multi-tenant bot's token comes from botframework.com; single-tenant and managed-identity bots
  // get theirs in their own tenant (docs/api-contracts.md §5 MicrosoftAppType) [?: what the connector checks].
  const tenantOk = principal.tid === ctx.state.tenant.tenantId || (bot.msaAppType === 'MultiTenant' && principal.tid === BOTFRAMEWORK_TENANT_ID);
  return principal.kind === 'app' && principal.appid === bot.msaAppId && tenantOk ? undefined : denied;
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

/**
 * Teams' rate limits for bots (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit,
 * docs/api-contracts.md §5): per bot per conversation ("thread") 7 per second, 8 per 2 seconds, 60 per
 * 30 seconds and 1,800 per hour; per app per tenant 50 per second. Every request counts (posts and updates alike).
 */
const PER_CONVERSATION = [
  { count: 7, windowMs: 1_000 },
  { count: 8, windowMs: 2_000 },
  { count: 60, windowMs: 30_000 },
  { count: 1_800, windowMs: 3_600_000 },
];
const PER_APP = [{ count: 50, windowMs: 1_000 }];

/** 413 over the size limit, 400 for a body that is not an activity, 429 over a rate limit; undefined when fine. */
export function postRefusal(call: ConnectorCall, conversationId: string): SimResponse | undefined {
  if (call.req.bodySize > MAX_MESSAGE_BYTES) return connectorError(413, 'MessageSizeTooBig', 'Message size too big.');
  if (!isRecord(call.req.body) || typeof call.req.body['type'] !== 'string')
    return connectorError(400, 'BadArgument', 'The activity must be a JSON object with a type.');
  return throttled(call.ctx, channelOf(conversationId));
}

/**
 * 429 `TooManyRequests` when a window is full. `Retry-After` says in whole seconds when the oldest call
 * of the full window leaves it [?: the page asks for backoff and does not say whether Teams sends
 * the header; the bot must work with and without it].
 */
export function throttled(ctx: SimContext, conversation: string): SimResponse | undefined {
  const scale = ctx.state.settings.connectorRateScale;
  if (scale <= 0) return undefined;
  const now = ctx.state.now();
  let waitMs = 0;
  for (const [key, limits] of [
    [conversation, PER_CONVERSATION],
    ['', PER_APP],
  ] as const) {
    const longest = Math.max(...limits.map((l) => l.windowMs * scale));
    const recent = (ctx.state.postTimes.get(key) ?? []).filter((t) => now - t < longest);
    ctx.state.postTimes.set(key, recent);
    for (const { count, windowMs } of limits) {
      const inWindow = recent.filter((t) => now - t < windowMs * scale);
      if (inWindow.length >= count) waitMs = Math.max(waitMs, inWindow[inWindow.length - count]! + windowMs * scale - now);
    }
  }
  if (waitMs > 0) {
    return connectorError(429, 'TooManyRequests', 'Too many requests for this conversation.', { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) });
  }
  for (const key of [conversation, '']) ctx.state.postTimes.get(key)!.push(now);
  return undefined;
}

export function record(call: ConnectorCall, conversationId: string, replyToId: string | null, activity: Record<string, unknown>): RecordedActivity {
  const id = call.ctx.state.nextMessageId();
  const recorded: RecordedActivity = { id, conversationId, replyToId, activity: { ...activity, id }, updates: [], deleted: false };
  call.ctx.state.activities.push(recorded);
  return recorded;
}
