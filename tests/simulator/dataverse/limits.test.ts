/**
 * The simulated Dataverse limits (limits.ts) as Microsoft documents them: service protection API limits
 * (learn.microsoft.com/power-apps/developer/data-platform/api-limits: 429 with Retry-After, error 0x80072322)
 * and server-driven paging with `Prefer: odata.maxpagesize` and `@odata.nextLink`
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results); docs/api-contracts.md §10.
 */
import assert from 'node:assert/strict';
import { SimulatorState } from '../core/state.js';
import type { SimRequest } from '../core/http.js';
import { MAX_PAGE_SIZE, page, throttle } from './limits.js';

function request(query: string, prefer?: string): SimRequest {
  return {
    method: 'GET',
    path: '/dataverse/contosodev/api/data/v9.2/systemusers',
    segments: [],
    query: new URLSearchParams(query),
    headers: prefer ? { prefer } : {},
    body: undefined,
    bodySize: 0,
    service: 'dataverse',
    remoteAddress: '127.0.0.1',
  };
}

describe('Dataverse simulator: paging and service protection limits', () => {
  const rows = Array.from({ length: 7 }, (_, i) => i);
  const base = 'https://127.0.0.1:1/dataverse/contosodev';

  it('answers pages of Prefer odata.maxpagesize with an absolute next link until the last page', () => {
    const first = page(request('$select=systemuserid', 'odata.maxpagesize=3'), rows, base);
    assert.deepEqual(first.value, [0, 1, 2]);
    assert.equal(first.applied, 'odata.maxpagesize=3');
    const next = new URL(first.nextLink!);
    assert.equal(next.origin + next.pathname, `${base}/api/data/v9.2/systemusers`);
    assert.equal(next.searchParams.get('$select'), 'systemuserid');
    const second = page(request(next.search.slice(1), 'odata.maxpagesize=3'), rows, base);
    const third = page(request(new URL(second.nextLink!).search.slice(1), 'odata.maxpagesize=3'), rows, base);
    assert.deepEqual([second.value, third.value, third.nextLink], [[3, 4, 5], [6], undefined]);
  });

  it('ignores a max page size above 5,000 and answers up to 5,000 rows by default', () => {
    const many = Array.from({ length: MAX_PAGE_SIZE + 1 }, (_, i) => i);
    const asked = page(request('', 'odata.maxpagesize=9000'), many, base);
    assert.equal(asked.value.length, MAX_PAGE_SIZE);
    assert.equal(asked.applied, undefined);
    assert.ok(asked.nextLink);
  });

  it('throttles a caller over the request limit with 429, 0x80072322 and Retry-After, others not', () => {
    const state = new SimulatorState();
    state.settings.dataverseRequestsPerWindow = 2;
    state.settings.dataverseWindowMs = 10_000;
    assert.equal(throttle(state, 'a'), undefined);
    assert.equal(throttle(state, 'a'), undefined);
    const refused = throttle(state, 'a');
    assert.equal(refused?.status, 429);
    assert.equal((refused?.body as { error: { code: string } }).error.code, '0x80072322');
    assert.ok(Number(refused?.headers?.['Retry-After']) >= 1);
    assert.equal(throttle(state, 'b'), undefined);
    state.settings.clockOffsetMs = 10_001;
    assert.equal(throttle(state, 'a'), undefined, 'the sliding window frees up');
  });
});
