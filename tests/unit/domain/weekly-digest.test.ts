import assert from 'node:assert/strict';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import { median, weeklyDigest, type DigestEvent } from '../../../src/domain/weekly-digest.js';

const WEEK = { from: '2026-03-02T08:00:00.000Z', to: '2026-03-09T08:00:00.000Z' };
const PROD = { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod', type: 'Production' };
const UAT = { id: 'e0000000-0000-4000-8000-000000000002', displayName: 'Contoso UAT', type: 'Sandbox' };

/** A record elevated at `elevated` (and ended `minutes` later when given). */
function record(id: string, changes: Partial<ElevationRecord> & { elevated?: string; minutes?: number } = {}): ElevationRecord {
  const { elevated, minutes, ...rest } = changes;
  const history: ElevationRecord['history'] = [{ at: rest.createdAt ?? elevated ?? '2026-03-03T09:00:00.000Z', state: 'draft' }];
  if (elevated) history.push({ at: elevated, state: 'elevating' }, { at: elevated, state: 'active' });
  const ending =
    elevated && minutes !== undefined
      ? { ending: { reason: 'expired' as const, at: new Date(Date.parse(elevated) + minutes * 60_000).toISOString(), systemAdminRemoved: true, note: '' } }
      : {};
  return {
    id,
    state: elevated ? (minutes !== undefined ? 'ended' : 'active') : 'failed',
    requester: { aadObjectId: `user-${id}`, name: `User ${id}`, tenantId: 't' },
    environment: PROD,
    options: [],
    roleId: 'r-pp',
    roleName: 'Power Platform Administrator',
    createdAt: elevated ?? '2026-03-03T09:00:00.000Z',
    updatedAt: elevated ?? '2026-03-03T09:00:00.000Z',
    history,
    ...ending,
    ...rest,
  };
}

function approval(status: 'approved' | 'denied' | 'pending', at: string): ElevationRecord['approval'] {
  return {
    policySource: 'prod',
    required: 1,
    status,
    votes: status === 'pending' ? [] : [{ approverId: 'a', decision: status === 'approved' ? 'approve' : 'deny', at }],
  } as unknown as ElevationRecord['approval'];
}

describe('weekly digest (domain)', () => {
  it('takes the middle value, or the mean of the two middle values, of unsorted numbers', () => {
    assert.equal(median([]), undefined);
    assert.equal(median([7]), 7);
    assert.equal(median([30, 10, 20]), 20);
    assert.equal(median([60, 10, 30, 20]), 25);
  });

  it('counts the elevations of the week per environment and role, most first', () => {
    const digest = weeklyDigest(
      WEEK,
      [
        record('a', { elevated: '2026-03-03T10:00:00.000Z' }),
        record('b', { elevated: '2026-03-04T10:00:00.000Z' }),
        record('c', { elevated: '2026-03-05T10:00:00.000Z', environment: UAT }),
        record('d', { elevated: '2026-03-05T11:00:00.000Z', roleName: 'Dynamics 365 Administrator' }),
        record('before', { elevated: '2026-03-01T10:00:00.000Z' }),
        record('after', { elevated: '2026-03-09T08:00:00.000Z' }),
        record('never'),
      ],
      [],
    );
    assert.equal(digest.elevations, 4);
    assert.deepEqual(digest.byEnvironmentAndRole, [
      { environment: 'Contoso Prod', role: 'Power Platform Administrator', count: 2 },
      { environment: 'Contoso Prod', role: 'Dynamics 365 Administrator', count: 1 },
      { environment: 'Contoso UAT', role: 'Power Platform Administrator', count: 1 },
    ]);
  });

  it('takes the median duration from elevated to ended of the elevations that ended, and says how many did', () => {
    const digest = weeklyDigest(
      WEEK,
      [
        record('a', { elevated: '2026-03-03T10:00:00.000Z', minutes: 30 }),
        record('b', { elevated: '2026-03-04T10:00:00.000Z', minutes: 120 }),
        record('c', { elevated: '2026-03-05T10:00:00.000Z', minutes: 60 }),
        record('still-active', { elevated: '2026-03-05T12:00:00.000Z' }),
      ],
      [],
    );
    assert.deepEqual([digest.medianMinutes, digest.ended], [60, 3]);
    assert.equal(weeklyDigest(WEEK, [record('x', { elevated: '2026-03-05T12:00:00.000Z' })], []).medianMinutes, undefined);
  });

  it("counts approval decisions made in the week, Elevate's and PIM's, and not pending or earlier ones", () => {
    const digest = weeklyDigest(
      WEEK,
      [
        record('approved', { approval: approval('approved', '2026-03-03T10:00:00.000Z'), elevated: '2026-03-03T10:01:00.000Z' }),
        record('denied', { approval: approval('denied', '2026-03-04T10:00:00.000Z') }),
        record('pending', { approval: approval('pending', '2026-03-04T10:00:00.000Z') }),
        record('last-week', { approval: approval('denied', '2026-02-28T10:00:00.000Z') }),
        record('pim', { pimDecision: { approverId: 'p', name: 'Megan', decision: 'approve', at: '2026-03-06T10:00:00.000Z' } }),
      ],
      [],
    );
    assert.deepEqual([digest.approved, digest.denied], [2, 1]);
  });

  it('counts break-glass uses of the week (started, audited once each), not cards opened and given up', () => {
    const digest = weeklyDigest(
      WEEK,
      [
        record('bg', { elevated: '2026-03-03T10:00:00.000Z', breakGlass: true }),
        record('bg-old', { elevated: '2026-02-20T10:00:00.000Z', breakGlass: true }),
        record('bg-draft', { breakGlass: true }),
        record('normal', { elevated: '2026-03-03T11:00:00.000Z', breakGlass: false }),
      ],
      [
        { type: 'breakGlassUsed', at: '2026-03-03T09:59:00.000Z', elevationId: 'bg' },
        { type: 'breakGlassUsed', at: '2026-03-03T09:59:30.000Z', elevationId: 'bg' },
        { type: 'breakGlassUsed', at: '2026-02-20T09:59:00.000Z', elevationId: 'bg-old' },
      ],
    );
    assert.equal(digest.breakGlass, 1);
  });

  it('lists each elevation whose clean-up failed in the week once, named from its record or else the event', () => {
    const events: DigestEvent[] = [
      { type: 'cleanupFailed', at: '2026-03-03T12:00:00.000Z', elevationId: 'a' },
      { type: 'cleanupFailed', at: '2026-03-03T13:00:00.000Z', elevationId: 'a' },
      { type: 'cleanupFailed', at: '2026-03-04T12:00:00.000Z', elevationId: 'gone', subject: { aadObjectId: 'u', name: 'Lee Gu' }, environment: UAT },
      { type: 'cleanupFailed', at: '2026-02-01T12:00:00.000Z', elevationId: 'old' },
      { type: 'cleanedUp', at: '2026-03-04T12:00:00.000Z', elevationId: 'b' },
    ];
    const digest = weeklyDigest(WEEK, [record('a', { elevated: '2026-03-03T10:00:00.000Z' })], events);
    assert.deepEqual(digest.failedCleanups, [
      { elevationId: 'a', who: 'User a', environment: 'Contoso Prod' },
      { elevationId: 'gone', who: 'Lee Gu', environment: 'Contoso UAT' },
    ]);
  });
});
