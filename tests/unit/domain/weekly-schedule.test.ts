import assert from 'node:assert/strict';
import { lastOccurrence, nextOccurrence, parseWeeklySchedule } from '../../../src/domain/weekly-schedule.js';

describe('weekly schedule (ELEVATE_DIGEST_SCHEDULE)', () => {
  const cases: [string, ReturnType<typeof parseWeeklySchedule>][] = [
    ['mon 08:00', { day: 1, second: 8 * 3600 }],
    ['Monday 8:00', { day: 1, second: 8 * 3600 }],
    ['FRI 16:30:15', { day: 5, second: 16 * 3600 + 30 * 60 + 15 }],
    ['sun 00:00 UTC', { day: 0, second: 0 }],
    ['monkey 08:00', undefined],
    ['mon 24:00', undefined],
    ['mon 08:60', undefined],
    ['mon', undefined],
    ['08:00', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)} as ${JSON.stringify(expected)}`, () => assert.deepEqual(parseWeeklySchedule(text), expected));
  }

  it('finds the latest instant at or before now, and the next one a week later', () => {
    const monday8 = { day: 1, second: 8 * 3600 };
    // Wednesday 2026-03-04 12:00 UTC: the last Monday 08:00 is 2026-03-02.
    const wednesday = new Date('2026-03-04T12:00:00Z');
    assert.equal(lastOccurrence(monday8, wednesday).toISOString(), '2026-03-02T08:00:00.000Z');
    assert.equal(nextOccurrence(monday8, wednesday).toISOString(), '2026-03-09T08:00:00.000Z');
  });

  it('counts the instant itself as the latest, and a Monday before 08:00 as the week before', () => {
    const monday8 = { day: 1, second: 8 * 3600 };
    assert.equal(lastOccurrence(monday8, new Date('2026-03-02T08:00:00Z')).toISOString(), '2026-03-02T08:00:00.000Z');
    assert.equal(lastOccurrence(monday8, new Date('2026-03-02T07:59:59Z')).toISOString(), '2026-02-23T08:00:00.000Z');
    assert.equal(nextOccurrence(monday8, new Date('2026-03-02T08:00:00Z')).toISOString(), '2026-03-09T08:00:00.000Z');
  });
});
