import assert from 'node:assert/strict';
import {
  clampDuration,
  durationChoices,
  formatDuration,
  minutesUntil,
  parseClockTime,
  parseIsoDuration,
  parseSpokenDuration,
  readLeadingDuration,
  toIsoDuration,
} from '../../../src/domain/duration.js';

/** Monday 2 March 2026, 15:00 UTC. */
const NOW = new Date('2026-03-02T15:00:00Z');

describe('parseIsoDuration', () => {
  const cases: [string, number | undefined][] = [
    ['PT8H', 480],
    ['PT30M', 30],
    ['PT1H30M', 90],
    ['P1D', 1440],
    ['P1DT2H', 1560],
    ['P1W', 10080],
    ['PT90S', 1.5],
    ['PT0M', 0],
    [' pt2h ', 120],
    ['P', undefined],
    ['PT', undefined],
    ['P1DT', undefined],
    ['P1Y', undefined],
    ['P1M', undefined],
    ['PT-1H', undefined],
    ['PT1.5H', undefined],
    ['8 hours', undefined],
    ['', undefined],
    ['PT1H30M junk', undefined],
    ['P'.padEnd(5_000, '1'), undefined],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text.slice(0, 20))} as ${expected ?? 'not a duration'}`, () => {
      assert.equal(parseIsoDuration(text), expected);
    });
  }
});

describe('toIsoDuration', () => {
  const cases: [number, string][] = [
    [30, 'PT30M'],
    [60, 'PT1H'],
    [90, 'PT1H30M'],
    [480, 'PT8H'],
    [1440, 'PT24H'],
    [0, 'PT0M'],
    [89.6, 'PT1H30M'],
  ];
  for (const [minutes, expected] of cases) {
    it(`writes ${minutes} minutes as ${expected}`, () => {
      assert.equal(toIsoDuration(minutes), expected);
    });
  }

  it('round-trips with parseIsoDuration', () => {
    for (const minutes of [5, 45, 61, 135, 600, 1439]) assert.equal(parseIsoDuration(toIsoDuration(minutes)), minutes);
  });

  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`refuses ${bad}`, () => {
      assert.throws(() => toIsoDuration(bad), RangeError);
    });
  }
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [0, '0 min'],
    [5, '5 min'],
    [45, '45 min'],
    [60, '1 h'],
    [90, '1 h 30 min'],
    [480, '8 h'],
    [1500, '25 h'],
  ];
  for (const [minutes, expected] of cases) {
    it(`says ${minutes} minutes as "${expected}"`, () => {
      assert.equal(formatDuration(minutes), expected);
    });
  }
});

describe('durationChoices', () => {
  const cases: [string, number, number | undefined, number[]][] = [
    ['offers the usual steps up to an 8-hour maximum', 480, undefined, [30, 60, 90, 120, 180, 240, 360, 480]],
    ['always offers the maximum itself', 150, undefined, [30, 60, 90, 120, 150]],
    ['offers up to a day', 1440, undefined, [30, 60, 90, 120, 180, 240, 360, 480, 600, 720, 960, 1440]],
    ['offers only the maximum when it is below the minimum', 20, undefined, [20]],
    ['offers only the maximum when it equals the minimum', 30, undefined, [30]],
    ['starts at a custom minimum that is not a step', 240, 45, [45, 60, 90, 120, 180, 240]],
    ['never goes below the PIM minimum', 60, 1, [5, 15, 30, 60]],
    ['offers nothing below the PIM minimum', 4, undefined, []],
    ['floors a fractional maximum', 90.5, undefined, [30, 60, 90]],
  ];
  for (const [name, max, min, expected] of cases) {
    it(name, () => {
      assert.deepEqual(min === undefined ? durationChoices(max) : durationChoices(max, min), expected);
    });
  }
});

describe('clampDuration', () => {
  const cases: [string, number, number, number | undefined, number][] = [
    ['keeps a duration inside the bounds', 120, 480, undefined, 120],
    ['lowers a duration above the maximum', 600, 480, undefined, 480],
    ['raises a duration below the PIM minimum', 2, 480, undefined, 5],
    ['raises to a custom minimum', 10, 480, 30, 30],
    ['rounds to whole minutes', 90.4, 480, undefined, 90],
    ['lets the maximum win when the bounds cross', 60, 20, 30, 20],
  ];
  for (const [name, minutes, max, min, expected] of cases) {
    it(name, () => {
      assert.equal(min === undefined ? clampDuration(minutes, max) : clampDuration(minutes, max, min), expected);
    });
  }
});

describe('parseClockTime', () => {
  const cases: [string, number | undefined][] = [
    ['17:00', 1020],
    ['17.30', 1050],
    ['1700', 1020],
    ['17h', 1020],
    ['17h30', 1050],
    ['9', 540],
    ['5pm', 1020],
    ['5:30 pm', 1050],
    ['12am', 0],
    ['12pm', 720],
    ['11 p.m.', 1380],
    ['noon', 720],
    ['midnight', 0],
    ['24:00', undefined],
    ['17:60', undefined],
    ['13pm', undefined],
    ['0am', undefined],
    ['170', undefined],
    ['tomorrow', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`reads "${text}" as ${expected ?? 'not a time'}`, () => {
      assert.equal(parseClockTime(text), expected);
    });
  }
});

describe('minutesUntil', () => {
  const cases: [string, number, number, Date, number][] = [
    ['counts to a later time today in UTC', 1020, 0, NOW, 120],
    ["counts in the requester's time zone east of UTC", 1080, 120, NOW, 60],
    ["counts in the requester's time zone west of UTC", 1020, -300, NOW, 420],
    ['rolls a past time over to tomorrow', 840, 0, NOW, 1380],
    ['rolls the current minute over to tomorrow', 900, 0, NOW, 1440],
    ['rounds seconds to the nearest minute', 1020, 0, new Date('2026-03-02T15:00:40Z'), 119],
    ['gives at least one minute', 901, 0, new Date('2026-03-02T15:00:50Z'), 1],
    ["crosses a date line in the requester's zone", 60, 600, new Date('2026-03-02T14:30:00Z'), 30],
    ['reads an impossible offset as UTC', 1020, 10_000, NOW, 120],
    ['reads a missing offset as UTC', 1020, Number.NaN, NOW, 120],
  ];
  for (const [name, clock, offset, now, expected] of cases) {
    it(name, () => {
      assert.equal(minutesUntil(clock, now, offset), expected);
    });
  }
});

describe('parseSpokenDuration', () => {
  const cases: [string, number | undefined][] = [
    ['90m', 90],
    ['90 min', 90],
    ['2h', 120],
    ['2 hrs', 120],
    ['1.5 hours', 90],
    ['1,5 hours', 90],
    ['45 minutes', 45],
    ['1h30m', 90],
    ['1h 30m', 90],
    ['1h30', 90],
    ['1 hour and 30 minutes', 90],
    ['1 hour, 30 minutes', 90],
    ['an hour', 60],
    ['a day', 1440],
    ['half an hour', 30],
    ['until 17:00', 120],
    ['till 5pm', 120],
    ['2', undefined],
    ['30m2', undefined],
    ['2 and', undefined],
    ['2h and', undefined],
    ['0m', undefined],
    ['2 parsecs', undefined],
    ['hours', undefined],
    ['until', undefined],
    ['until later', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`reads "${text}" as ${expected ?? 'not a duration'}`, () => {
      assert.equal(parseSpokenDuration(text, NOW), expected);
    });
  }
});

describe('readLeadingDuration', () => {
  it('takes the longest run of words that is a duration', () => {
    assert.deepEqual(readLeadingDuration(['2', 'hours', 'and', '30', 'minutes', 'as'], NOW), { minutes: 150, source: '2 hours and 30 minutes', count: 5 });
  });

  it('stops before words that are not part of the duration', () => {
    assert.deepEqual(readLeadingDuration(['1h', 'Contoso', 'Prod'], NOW), { minutes: 60, source: '1h', count: 1 });
  });

  it('ignores trailing punctuation', () => {
    assert.deepEqual(readLeadingDuration(['2h,', 'please'], NOW), { minutes: 120, source: '2h', count: 1 });
  });

  it('answers undefined when no words form a duration', () => {
    assert.equal(readLeadingDuration(['Excellence', '2h'], NOW), undefined);
  });
});
