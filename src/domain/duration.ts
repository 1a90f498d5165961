/**
 * Durations: ISO 8601 as PIM speaks it (`PT8H`), minutes as Elevate computes, and the phrases
 * people type (`1h30m`, `1.5 hours`, `until 17:00`).
 */
import { trimEndPunctuation } from './text.js';

/** PIM refuses shorter activations with `ActiveDurationTooShort`. */
export const PIM_MINIMUM_MINUTES = 5;

const ISO_DURATION = /^P(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6}(?:\.\d{1,3})?)S)?)?$/;

/**
 * Minutes in an ISO 8601 duration (`PT8H` → 480, `P1DT2H` → 1560, `PT90S` → 1.5), or undefined
 * for anything else. Years and months are refused: their length depends on the calendar.
 */
export function parseIsoDuration(text: string): number | undefined {
  const value = text.trim().toUpperCase();
  const match = ISO_DURATION.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const number = (part: string | undefined): number => (part === undefined ? 0 : Number(part));
  return number(weeks) * 10080 + number(days) * 1440 + number(hours) * 60 + number(minutes) + number(seconds) / 60;
}

/** `90` → `PT1H30M`, `120` → `PT2H`, `0` → `PT0M`; minutes are rounded to whole minutes. */
export function toIsoDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Not a duration in minutes: ${minutes}`);
  const whole = Math.round(minutes);
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (hours === 0) return `PT${rest}M`;
  return rest === 0 ? `PT${hours}H` : `PT${hours}H${rest}M`;
}

/** `90` → `1 h 30 min`, `45` → `45 min`, `480` → `8 h`. */
export function formatDuration(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const CHOICE_STEPS = [15, 30, 60, 90, 120, 180, 240, 360, 480, 600, 720, 960, 1440, 2880, 4320, 10080];

/**
 * Durations to offer on the request card, ascending: the usual steps between `minMinutes` and
 * `maxMinutes`, plus both bounds themselves so that the policy maximum can always be chosen.
 */
export function durationChoices(maxMinutes: number, minMinutes = 30): number[] {
  const max = Math.floor(maxMinutes);
  if (!Number.isFinite(max) || max < PIM_MINIMUM_MINUTES) return [];
  const min = Math.max(PIM_MINIMUM_MINUTES, Math.ceil(minMinutes));
  if (min >= max) return [max];
  const steps = CHOICE_STEPS.filter((step) => step > min && step < max);
  return [min, ...steps, max];
}

/** `minutes` bounded to [minMinutes, maxMinutes], in whole minutes; the maximum wins a conflict. */
export function clampDuration(minutes: number, maxMinutes: number, minMinutes = PIM_MINIMUM_MINUTES): number {
  const whole = Math.round(minutes);
  return Math.min(Math.floor(maxMinutes), Math.max(Math.ceil(minMinutes), whole));
}

const UNIT_MINUTES: Record<string, number> = {
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
};
// `a`/`an` need a space after them so that a trailing "and" never reads as "an d(ay)".
const AMOUNT_PART = /(\d{1,4}(?:[.,]\d{1,3})?|half an?\s|an?\s)\s?([a-z]*)\s?(?:and\s|,\s?)?/y;

function amountValue(amount: string): number {
  if (amount.startsWith('half')) return 0.5;
  if (/^an?\s$/.test(amount)) return 1;
  return Number(amount.replace(',', '.'));
}

/** `90m`, `2h`, `1.5 hours`, `1h30m`, `1h30`, `1 hour and 30 minutes`, `an hour`, `half an hour`. */
function parseAmount(text: string): number | undefined {
  let total = 0;
  let position = 0;
  let lastUnit = 0;
  while (position < text.length) {
    AMOUNT_PART.lastIndex = position;
    const match = AMOUNT_PART.exec(text);
    if (!match || match[0] === '') return undefined;
    const [, amount = '', unit = ''] = match;
    // A bare number is only the minutes after hours, as in `1h30`.
    const unitMinutes = unit === '' ? (lastUnit === 60 ? 1 : undefined) : UNIT_MINUTES[unit];
    if (unitMinutes === undefined || (unit === '' && match.index + match[0].length < text.length)) return undefined;
    total += amountValue(amount) * unitMinutes;
    lastUnit = unitMinutes;
    position = match.index + match[0].length;
  }
  const minutes = Math.round(total);
  return minutes > 0 ? minutes : undefined;
}

const CLOCK = /^(\d{1,2})(?:[:.h]?(\d{2}))?h?\s?(am|pm|a\.m\.|p\.m\.)?$/;

/** Minutes after midnight for `17:00`, `1700`, `17h`, `5pm`, `5:30 p.m.`, `noon`, `midnight`. */
export function parseClockTime(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'noon' || value === 'midday') return 720;
  if (value === 'midnight') return 0;
  const match = CLOCK.exec(value);
  if (!match) return undefined;
  let hours = Number(match[1]);
  const minutes = match[2] === undefined ? 0 : Number(match[2]);
  const meridiem = match[3]?.replace(/\./g, '');
  if (minutes > 59) return undefined;
  if (meridiem) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (meridiem === 'pm' ? 12 : 0);
  } else if (hours > 23) {
    return undefined;
  }
  return hours * 60 + minutes;
}

/**
 * Minutes from `now` until the next `clock` time in the requester's time zone (today, or tomorrow
 * when that time has passed), rounded to the nearest minute and at least 1.
 */
export function minutesUntil(clockMinutes: number, now: Date, timeZoneOffsetMinutes = 0): number {
  // Real zones lie within UTC-12 and UTC+14; anything else is a bad timestamp, read as UTC.
  const offset = Number.isFinite(timeZoneOffsetMinutes) && Math.abs(timeZoneOffsetMinutes) <= 14 * 60 ? timeZoneOffsetMinutes : 0;
  const localNow = now.getTime() + offset * 60_000;
  const local = new Date(localNow);
  let target = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) + clockMinutes * 60_000;
  if (target <= localNow) target += 1440 * 60_000;
  return Math.max(1, Math.round((target - localNow) / 60_000));
}

/**
 * Minutes in a typed duration: an amount (`2h`, `1.5 hours`, `1h30m`) or `until <time>`
 * resolved against `now` in the requester's time zone. Undefined when it is not a duration.
 */
export function parseSpokenDuration(text: string, now: Date, timeZoneOffsetMinutes = 0): number | undefined {
  const value = text.trim().toLowerCase();
  const until = /^(?:until|till|til)\s(.+)$/.exec(value);
  if (until) {
    const clock = parseClockTime(until[1] ?? '');
    return clock === undefined ? undefined : minutesUntil(clock, now, timeZoneOffsetMinutes);
  }
  return parseAmount(value);
}

/**
 * The longest run of leading `words` that is a duration (`["1", "hour", "as", "ga"]` → 60 minutes
 * from 2 words), or undefined. Trailing punctuation of the last word is ignored.
 */
export function readLeadingDuration(
  words: readonly string[],
  now: Date,
  timeZoneOffsetMinutes = 0,
): { minutes: number; source: string; count: number } | undefined {
  for (let count = words.length; count > 0; count -= 1) {
    const source = trimEndPunctuation(words.slice(0, count).join(' '));
    const minutes = parseSpokenDuration(source, now, timeZoneOffsetMinutes);
    if (minutes !== undefined) return { minutes, source, count };
  }
  return undefined;
}
