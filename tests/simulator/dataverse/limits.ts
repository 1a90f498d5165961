import { json, type SimRequest, type SimResponse } from '../core/http.js';
import type { SimulatorState } from '../core/state.js';

/**
 * Service protection API limits (learn.microsoft.com/power-apps/developer/data-platform/api-limits): "Number of
 * requests: 6,000 within the 300-second sliding window", evaluated per user; over it the Web API answers
 * 429 Too Many Requests with a `Retry-After` header and error code `0x80072322` ("Number of requests exceeded the
 * limit of 6000 over time window of 300 seconds."). The execution-time (20 minutes) and concurrency (52) limits are
 * not modelled: the simulator answers at once [?]. Here the user is the caller in one environment.
 */
export function throttle(state: SimulatorState, key: string): SimResponse | undefined {
  const limit = state.settings.dataverseRequestsPerWindow;
  if (limit <= 0) return undefined;
  const now = state.now();
  const windowMs = state.settings.dataverseWindowMs;
  const times = (state.dataverseCalls.get(key) ?? []).filter((t) => now - t < windowMs);
  if (times.length >= limit) {
    state.dataverseCalls.set(key, times);
    const retryAfterSeconds = Math.max(1, Math.ceil((times[0]! + windowMs - now) / 1000));
    return json(
      429,
      {
        error: {
          code: '0x80072322',
          message: `Number of requests exceeded the limit of ${limit} over time window of ${Math.round(windowMs / 1000)} seconds.`,
        },
      },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
  times.push(now);
  state.dataverseCalls.set(key, times);
  return undefined;
}

/** Dataverse's largest page and its default when `Prefer: odata.maxpagesize` is absent (page-results [D]). */
export const MAX_PAGE_SIZE = 5000;

/**
 * Server-driven paging (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results):
 * `Prefer: odata.maxpagesize=N` (at most 5,000; larger asks are ignored), answered with
 * `Preference-Applied` and, when more rows remain, an absolute `@odata.nextLink` that carries a `$skiptoken`.
 * Dataverse has no `$skip`; the token here is opaque to the client (an offset, base64url) [?: the real one is
 * a paging cookie].
 */
export function page<T>(req: SimRequest, rows: T[], baseUrl: string): { value: T[]; nextLink?: string; applied?: string } {
  const prefer = String(req.headers['prefer'] ?? '');
  const asked = /odata\.maxpagesize=(\d+)/i.exec(prefer)?.[1];
  const size = asked !== undefined && Number(asked) > 0 && Number(asked) <= MAX_PAGE_SIZE ? Number(asked) : MAX_PAGE_SIZE;
  const token = req.query.get('$skiptoken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) || 0 : 0;
  const value = rows.slice(offset, offset + size);
  const result: { value: T[]; nextLink?: string; applied?: string } = { value };
  if (asked !== undefined && size === Number(asked)) result.applied = `odata.maxpagesize=${size}`;
  if (offset + size < rows.length) {
    const query = new URLSearchParams(req.query);
    query.set('$skiptoken', Buffer.from(String(offset + size), 'utf8').toString('base64url'));
    result.nextLink = `${baseUrl}${req.path.replace(/^.*?\/api\/data\/v9\.2/, '/api/data/v9.2')}?${query.toString()}`;
  }
  return result;
}
