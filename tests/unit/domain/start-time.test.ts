import assert from 'node:assert/strict';
import {
  checkStart,
  instantOfLocal,
  MAX_SCHEDULE_AHEAD_DAYS,
  nextAfter,
  parseClockSeconds,
  readStart,
  zoneOffsetMinutes,
} from '../../../src/domain/start-time.js';

const words = (text: string) => text.toLowerCase().split(' ');
const startOf = (text: string, now: Date, zone: string | number) => {
  const read = readStart(words(text), now, zone);
  assert.equal(read?.kind, 'ok', `${text} → ${JSON.stringify(read)}`);
  return read as Extract<NonNullable<typeof read>, { kind: 'ok' }>;
};

describe('start times (scheduled elevations)', () => {
  /** Monday 2 March 2026, 15:00 UTC (15:00 in London, 16:00 in Berlin). */
  const NOW = new Date('2026-03-02T15:00:00Z');

  it('reads "tomorrow 22:00" in the requester zone', () => {
    assert.equal(startOf('tomorrow 22:00', NOW, 'Europe/Berlin').at.toISOString(), '2026-03-03T21:00:00.000Z');
    assert.equal(startOf('tomorrow at 22:00', NOW, 'America/New_York').at.toISOString(), '2026-03-04T03:00:00.000Z');
  });

  it('reads "at" as today, with seconds, and with a fixed offset when Teams sent no zone', () => {
    assert.equal(startOf('at 17:30:15', NOW, 'Europe/London').at.toISOString(), '2026-03-02T17:30:15.000Z');
    assert.equal(startOf('at 6 pm', NOW, 120).at.toISOString(), '2026-03-02T16:00:00.000Z');
    assert.equal(startOf('at 18:00', NOW, 120).at.toISOString(), '2026-03-02T16:00:00.000Z');
  });

  it('takes "tomorrow" from the requester\'s calendar day near midnight, not UTC\'s', () => {
    // 23:30 on Monday in Berlin is 22:30 UTC; in Tokyo it is already Tuesday 07:30.
    const late = new Date('2026-03-02T22:30:00Z');
    assert.equal(startOf('tomorrow 01:00', late, 'Europe/Berlin').at.toISOString(), '2026-03-03T00:00:00.000Z');
    assert.equal(startOf('tomorrow 01:00', late, 'Asia/Tokyo').at.toISOString(), '2026-03-03T16:00:00.000Z');
    // 00:30 on Tuesday in Berlin (23:30 UTC Monday): "today 09:00" is Tuesday.
    assert.equal(startOf('today 09:00', new Date('2026-03-02T23:30:00Z'), 'Europe/Berlin').at.toISOString(), '2026-03-03T08:00:00.000Z');
  });

  it('reads weekday names as their next occurrence (today while the time is ahead, else next week)', () => {
    assert.equal(startOf('friday 9:00', NOW, 'UTC').at.toISOString(), '2026-03-06T09:00:00.000Z');
    assert.equal(startOf('on monday at 16:00', NOW, 'UTC').at.toISOString(), '2026-03-02T16:00:00.000Z');
    assert.equal(startOf('monday 9:00', NOW, 'UTC').at.toISOString(), '2026-03-09T09:00:00.000Z');
    assert.equal(startOf('at 9:00 fri', NOW, 'UTC').at.toISOString(), '2026-03-06T09:00:00.000Z');
  });

  it('reads "from … to …" across midnight as a start and an end', () => {
    const read = startOf('tomorrow from 22:00 to 01:00', NOW, 'Europe/London');
    assert.equal(read.at.toISOString(), '2026-03-03T22:00:00.000Z');
    assert.equal(read.endsAt?.toISOString(), '2026-03-04T01:00:00.000Z');
    assert.equal(read.count, 5);
    assert.equal(startOf('from friday 8:00 to 10:30', NOW, 'UTC').endsAt?.toISOString(), '2026-03-06T10:30:00.000Z');
  });

  it('follows daylight saving: the skipped hour moves forward, the repeated hour is the first one', () => {
    // Europe/London: 29 March 2026 01:00 GMT → 02:00 BST; 25 October 2026 02:00 BST → 01:00 GMT.
    const spring = new Date('2026-03-28T12:00:00Z');
    assert.equal(startOf('tomorrow 01:30', spring, 'Europe/London').at.toISOString(), '2026-03-29T01:30:00.000Z');
    assert.equal(startOf('tomorrow 09:00', spring, 'Europe/London').at.toISOString(), '2026-03-29T08:00:00.000Z');
    const autumn = new Date('2026-10-24T12:00:00Z');
    assert.equal(startOf('tomorrow 01:30', autumn, 'Europe/London').at.toISOString(), '2026-10-25T00:30:00.000Z');
    // A window across the change lasts the real time: 00:00 BST to 03:00 GMT is four hours.
    const night = startOf('tomorrow from 00:00 to 03:00', autumn, 'Europe/London');
    assert.equal((night.endsAt!.getTime() - night.at.getTime()) / 3_600_000, 4);
  });

  it('follows daylight saving in zones twelve hours or more ahead of UTC too', () => {
    // Pacific/Auckland: 27 Sep 2026 02:00 NZST (+12) → 03:00 NZDT (+13); 5 Apr 2026 03:00 NZDT → 02:00 NZST.
    assert.equal(
      new Date(instantOfLocal('Pacific/Auckland', Date.UTC(2026, 8, 27, 2, 30))).toISOString(),
      '2026-09-26T14:30:00.000Z',
      'skipped 02:30 is 03:30 NZDT',
    );
    assert.equal(
      new Date(instantOfLocal('Pacific/Auckland', Date.UTC(2026, 3, 5, 2, 30))).toISOString(),
      '2026-04-04T13:30:00.000Z',
      'repeated 02:30: the first, NZDT',
    );
    // Pacific/Chatham (+12:45 / +13:45): 27 Sep 2026 02:45 → 03:45.
    assert.equal(
      new Date(instantOfLocal('Pacific/Chatham', Date.UTC(2026, 8, 27, 3, 0))).toISOString(),
      '2026-09-26T14:15:00.000Z',
      'skipped 03:00 is 04:00 +13:45',
    );
    assert.equal(new Date(instantOfLocal('Pacific/Kiritimati', Date.UTC(2026, 6, 1, 9, 0))).toISOString(), '2026-06-30T19:00:00.000Z', '+14 all year');
  });

  it('refuses a start that has passed, and one beyond the limit', () => {
    assert.deepEqual(readStart(words('at 14:00'), NOW, 'UTC'), { kind: 'invalid', reason: 'pastStart', typed: 'at 14:00', count: 2 });
    assert.equal(readStart(words('at 15:00'), NOW, 'UTC')?.kind === 'invalid' && 'pastStart', 'pastStart');
    const far = new Date(NOW.getTime() + 25 * 86_400_000);
    assert.equal(readStart(words('tuesday 9:00'), far, 'UTC')?.kind, 'ok');
    assert.equal(checkStart(new Date(NOW.getTime() + (MAX_SCHEDULE_AHEAD_DAYS + 1) * 86_400_000), NOW), 'tooFarAhead');
    assert.equal(checkStart(new Date(NOW.getTime() + MAX_SCHEDULE_AHEAD_DAYS * 86_400_000), NOW), undefined);
  });

  it('tells a time it could not read from words that are part of a name', () => {
    assert.equal(readStart(words('at home'), NOW, 'UTC'), undefined);
    assert.equal(readStart(words('on call'), NOW, 'UTC'), undefined);
    assert.equal(readStart(words('at 25:00'), NOW, 'UTC')?.kind, 'invalid');
    assert.equal(readStart(words('tomorrow'), NOW, 'UTC')?.kind, 'invalid');
    assert.equal(readStart(words('tomorrow because change'), NOW, 'UTC')?.kind, 'invalid');
    assert.equal(readStart(words('from 22:00 till'), NOW, 'UTC')?.kind, 'invalid');
  });

  it('computes zone offsets, local instants and clock seconds', () => {
    assert.equal(zoneOffsetMinutes('Europe/Berlin', Date.parse('2026-07-01T12:00:00Z')), 120);
    assert.equal(zoneOffsetMinutes('Asia/Kolkata', Date.parse('2026-07-01T12:00:00Z')), 330);
    assert.equal(zoneOffsetMinutes(-300, 0), -300);
    assert.equal(new Date(instantOfLocal('Europe/Berlin', Date.UTC(2026, 6, 1, 12))).toISOString(), '2026-07-01T10:00:00.000Z');
    assert.equal(new Date(nextAfter('UTC', Date.parse('2026-03-02T23:00:00Z'), 3600)).toISOString(), '2026-03-03T01:00:00.000Z');
    assert.equal(parseClockSeconds('07:05:09'), 7 * 3600 + 5 * 60 + 9);
    assert.equal(parseClockSeconds('24:00:00'), undefined);
    assert.equal(parseClockSeconds('noon'), 43_200);
  });
});
