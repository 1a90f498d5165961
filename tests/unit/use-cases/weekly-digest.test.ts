import assert from 'node:assert/strict';
import type { WeeklyDigest } from '../../../src/domain/weekly-digest.js';
import type { WeeklySchedule } from '../../../src/domain/weekly-schedule.js';
import { audit } from '../../../src/use-cases/audit-trail.js';
import { runWeeklyDigest, scheduleWeeklyDigest, weeklyDigestHandler, type DigestReporter } from '../../../src/use-cases/weekly-digest.js';
import { FakePim, FakePowerPlatform, fakeDeps, storedElevation } from './fakes.js';

/** Today (the fake clock's day) at 07:00 UTC: an hour before the fake clock's 08:00. */
function anHourAgo(now: Date): WeeklySchedule {
  return { day: now.getUTCDay(), second: 7 * 3600 };
}

/** A channel whose outbox queues a message once per key, like the real one. */
function channel(available = true) {
  const queued = new Map<string, WeeklyDigest>();
  let calls = 0;
  const report: DigestReporter = async (digest, key) => {
    calls++;
    if (!available) return false;
    if (!queued.has(key)) queued.set(key, digest);
    return true;
  };
  return { report, queued, calls: () => calls };
}

async function elevatedYesterday(deps: ReturnType<typeof fakeDeps>) {
  const at = new Date(deps.clock.now().getTime() - 24 * 60 * 60_000).toISOString();
  const saved = await storedElevation(deps, 'active', {
    createdAt: at,
    history: [
      { at, state: 'draft' },
      { at, state: 'elevating' },
      { at, state: 'active' },
    ],
  });
  await audit(deps, 'elevated', { record: saved.value });
}

describe('weekly digest (use case)', () => {
  it('posts the week that ended at the scheduled instant once, even when two instances run it at the same time', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await elevatedYesterday(deps);
    // The audit event is written at 08:00; the week ends at 09:00 and the digest runs at 10:00.
    const schedule = { day: deps.clock.now().getUTCDay(), second: 9 * 3600 };
    await deps.clock.sleep(2 * 60 * 60_000);
    const security = channel();

    const outcomes = await Promise.all([runWeeklyDigest(deps, schedule, security.report), runWeeklyDigest(deps, schedule, security.report)]);
    const again = await runWeeklyDigest(deps, schedule, security.report);

    assert.ok(outcomes.includes('posted'));
    assert.equal(again, 'already');
    assert.equal(security.queued.size, 1, 'one message for the week');
    const [key, digest] = [...security.queued][0]!;
    assert.equal(key, 'weekly-digest:2026-11-22T09:00:00.000Z');
    assert.deepEqual([digest.from, digest.to, digest.elevations], ['2026-11-15T09:00:00.000Z', '2026-11-22T09:00:00.000Z', 1]);
    assert.deepEqual(digest.byEnvironmentAndRole, [{ environment: 'Contoso Prod', role: 'Power Platform Administrator', count: 1 }]);
  });

  it('keeps the week unposted without a security channel and looks again within the hour', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    const schedule = anHourAgo(deps.clock.now());
    const none = channel(false);
    const outcome = await weeklyDigestHandler(
      deps,
      schedule,
      none.report,
    )({ id: 'weekly-digest', kind: 'weeklyDigest', subject: 'weekly-digest', dueAt: '', attempts: 0, payload: {} });
    assert.deepEqual(outcome, { retryAt: new Date('2026-11-22T09:00:00.000Z'), countAttempt: false });

    const later = channel();
    assert.equal(await runWeeklyDigest(deps, schedule, later.report), 'posted');
    assert.equal(later.queued.size, 1);
  });

  it('runs again at the next scheduled instant, a week after the last', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    const outcome = await weeklyDigestHandler(
      deps,
      anHourAgo(deps.clock.now()),
      channel().report,
    )({
      id: 'weekly-digest',
      kind: 'weeklyDigest',
      subject: 'weekly-digest',
      dueAt: '',
      attempts: 0,
      payload: {},
    });
    assert.deepEqual(outcome, { retryAt: new Date('2026-11-29T07:00:00.000Z'), countAttempt: false });
  });

  it('schedules one timer at the next instant, keeps one that is already due (a missed week) and cancels it when off', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    const schedule = anHourAgo(deps.clock.now());
    await scheduleWeeklyDigest(deps, schedule);
    await scheduleWeeklyDigest(deps, schedule);
    assert.deepEqual(
      (await deps.timers.list('weekly-digest')).map((t) => t.dueAt),
      ['2026-11-29T07:00:00.000Z'],
    );

    await deps.timers.schedule({ id: 'weekly-digest', kind: 'weeklyDigest', subject: 'weekly-digest', dueAt: '2026-11-20T07:00:00.000Z', payload: {} });
    await scheduleWeeklyDigest(deps, schedule);
    assert.deepEqual(
      (await deps.timers.list('weekly-digest')).map((t) => t.dueAt),
      ['2026-11-20T07:00:00.000Z'],
      'an overdue timer runs now',
    );

    await scheduleWeeklyDigest(deps, undefined);
    assert.equal((await deps.timers.list('weekly-digest')).length, 0);
  });
});
