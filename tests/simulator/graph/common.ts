import { header, json, type SimRequest, type SimResponse } from '../core/http.js';
import { authenticate, hasPermission, type Principal } from '../core/principal.js';
import { route, type Params, type Route } from '../core/router.js';
import { newId, type SimContext } from '../core/state.js';

/**
 * Microsoft Graph plumbing (docs/api-contracts.md §2): every answer carries `request-id` and
 * `client-request-id` headers; errors use `{"error":{"code","message","innerError":{"date",
 * "request-id","client-request-id"}}}`; every call checks the bearer token and the permission.
 */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

export interface GraphCall {
  req: SimRequest;
  params: Params;
  ctx: SimContext;
  principal: Principal;
  requestId: string;
  clientRequestId: string;
  /** `v1.0` or `beta`. */
  version: string;
}

export interface Access {
  delegated: readonly string[];
  application: readonly string[];
  /** Functions of the signed-in user (`filterByCurrentUser`) refuse app tokens. */
  userOnly?: boolean;
}

type Meta = Pick<GraphCall, 'ctx' | 'requestId' | 'clientRequestId'>;

export function graphError(call: Meta, status: number, code: string, message: string, headers: Record<string, string> = {}): SimResponse {
  const innerError = {
    date: new Date(call.ctx.state.now()).toISOString().slice(0, 19),
    'request-id': call.requestId,
    'client-request-id': call.clientRequestId,
  };
  return json(status, { error: { code, message, innerError } }, headers);
}

/** Default error body for an injected fault. */
export function graphFaultBody(ctx: SimContext, status: number): unknown {
  const code = status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : status >= 500 ? 'InternalServerError' : 'BadRequest';
  const meta = { ctx, requestId: newId(), clientRequestId: newId() };
  return graphError(meta, status, code, status === 429 ? 'Too many requests.' : 'Injected fault.').body;
}

function authorize(call: Meta & { req: SimRequest }, access: Access): Principal | SimResponse {
  const auth = authenticate(call.ctx, call.req, [GRAPH_AUDIENCE]);
  if (!auth.ok) {
    const challenge = `Bearer realm="", authorization_uri="${call.ctx.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`;
    return graphError(call, 401, 'InvalidAuthenticationToken', auth.message, { 'WWW-Authenticate': challenge });
  }
  const principal = auth.principal;
  if (access.userOnly && principal.kind === 'app') {
    return graphError(call, 400, 'BadRequest', 'This request is only valid with a delegated (user) token.');
  }
  if (!hasPermission(principal, access.delegated, access.application)) {
    return graphError(call, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  return principal;
}

/** A Graph route under `/graph/{v1.0|beta}/...` (or `/graph/beta/...` only, with `betaOnly`). */
export function graphRoute(
  method: string,
  path: (string | RegExp)[],
  access: Access,
  handler: (call: GraphCall) => SimResponse,
  betaOnly = false,
): Route<SimContext> {
  const version = betaOnly ? /^(?<version>beta)$/ : /^(?<version>v1\.0|beta)$/;
  return route(method, ['graph', version, ...path], (req, params, ctx) => {
    const meta = { req, ctx, requestId: newId(), clientRequestId: header(req, 'client-request-id') ?? newId() };
    const principal = authorize(meta, access);
    const response = 'status' in principal ? principal : handler({ ...meta, params, principal, version: params['version']! });
    return { ...response, headers: { ...response.headers, 'request-id': meta.requestId, 'client-request-id': meta.clientRequestId } };
  });
}

export function odataContext(call: GraphCall, what: string): string {
  return `${call.ctx.baseUrl}/graph/${call.version}/$metadata#${what}`;
}

/** `$top` and `$skiptoken` paging with an absolute `@odata.nextLink` on the simulator. */
export function collection(call: GraphCall, items: unknown[], what: string): SimResponse {
  const top = Number(call.req.query.get('$top') ?? '0');
  const skip = Number(call.req.query.get('$skiptoken') ?? '0');
  if (!Number.isInteger(top) || top < 0 || !Number.isInteger(skip) || skip < 0) return graphError(call, 400, 'BadRequest', 'Invalid $top or $skiptoken.');
  const page = top > 0 ? items.slice(skip, skip + top) : items.slice(skip);
  const body: Record<string, unknown> = { '@odata.context': odataContext(call, what), value: page };
  if (top > 0 && skip + top < items.length) {
    const next = new URLSearchParams(call.req.query);
    next.set('$skiptoken', String(skip + top));
    body['@odata.nextLink'] = `${call.ctx.baseUrl}${call.req.path}?${next.toString()}`;
  }
  return json(200, body);
}
