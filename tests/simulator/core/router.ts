import type { SimRequest, SimResponse } from './http.js';

export type Params = Record<string, string>;
export type Handler<C> = (req: SimRequest, params: Params, ctx: C) => SimResponse | Promise<SimResponse>;
type Segment = string | RegExp;

export interface Route<C> {
  method: string;
  pattern: Segment[];
  handler: Handler<C>;
}

/**
 * `pattern`: a path like `/connector/v3/conversations/:conversationId`, or a list of segments where a
 * RegExp must match a whole (decoded) segment and its named groups become params. Literal segments
 * compare case-insensitively, as Graph's and Dataverse's do.
 */
export function route<C>(method: string, pattern: string | Segment[], handler: Handler<C>): Route<C> {
  const segments = typeof pattern === 'string' ? pattern.split('/').filter((s) => s !== '') : pattern;
  return { method: method.toUpperCase(), pattern: segments, handler };
}

function matchSegments(pattern: Segment[], segments: string[]): Params | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = segments[i]!;
    if (expected instanceof RegExp) {
      const match = expected.exec(actual);
      if (!match || match[0] !== actual) return undefined;
      Object.assign(params, match.groups ?? {});
    } else if (expected.startsWith(':')) {
      params[expected.slice(1)] = actual;
    } else if (expected.toLowerCase() !== actual.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

export type RouteMatch<C> = { route: Route<C>; params: Params } | { methodNotAllowed: true } | undefined;

export function matchRoute<C>(routes: readonly Route<C>[], req: SimRequest): RouteMatch<C> {
  let pathMatched = false;
  for (const candidate of routes) {
    const params = matchSegments(candidate.pattern, req.segments);
    if (!params) continue;
    if (candidate.method === req.method) return { route: candidate, params };
    pathMatched = true;
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}
