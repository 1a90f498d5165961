/**
 * When a scheduled elevation starts (issue #16): `tomorrow 22:00`, `at 22:00`, `friday 9:00`,
 * `on monday at 7am`, `from 22:00 to 01:00`, read in the requester's own time zone (the IANA zone
 * Teams sends, or a fixed UTC offset when Teams sent none). Pure: the zone rules come from `Intl`.
 *
 * Policy:
 * - A start that has passed is refused, never moved to the next day ("at 9:00" said at 10:00 is
 *   refused with a hint to say "tomorrow 9:00"): a request that silently starts a day later is worse.
 * - At most `MAX_SCHEDULE_AHEAD_DAYS` ahead. Eligibility, the PIM policy and the Elevate policy are
 *   checked again at the start anyway, but a month covers change windows and on-call rotas, keeps the
 *   approvers' decision close to the work it approves, and bounds how long a durable timer lives.
 * - A weekday is its next occurrence: today when that time is still ahead, else next week.
 * - Local times that do not exist (the hour clocks skip in spring) move forward by the gap; local
 *   times that happen twice (the hour repeated in autumn) are the first one (Temporal's `compatible`).
 */
import { parseClockTime } from './duration.js';

export const MAX_SCHEDULE_AHEAD_DAYS = 30;

/** An IANA zone (`Europe/London`) or a fixed offset in minutes east of UTC. */
export type Zone = string | number;

export type StartRefusal = 'badStart' | 'pastStart' | 'tooFarAhead';

export type StartRead =
  { kind: 'ok'; at: Date; source: string; count: number; endsAt?: Date } | { kind: 'invalid'; reason: StartRefusal; typed: string; count: number };

const DAY_MS = 86_400_000;
const WEEKDAYS: Readonly<Record<string, number>> = {
  sunday: 0,
  sun: 0,
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
};
/** Days from today, in English and in the German and French words Elevate accepts. */
const RELATIVE_DAYS: Readonly<Record<string, number>> = { today: 0, heute: 0, "aujourd'hui": 0, tomorrow: 1, morgen: 1, demain: 1 };
/** Words after a day that end the start clause: "tomorrow because …" lacks its time. */
const ENDS_START: ReadonlySet<string> = new Set(['because', 'for', 'as', 'until', 'till', 'ticket', 'in', 'now']);
/** Words that may begin a start: the caller offers the words from there to `readStart`. */
export const START_WORDS: ReadonlySet<string> = new Set(['at', 'from', 'on', ...Object.keys(WEEKDAYS), ...Object.keys(RELATIVE_DAYS)]);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `zone` at the instant `ms`. */
export function zoneOffsetMinutes(zone: Zone, ms: number): number {
  if (typeof zone === 'number') return zone;
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The local calendar day of an instant: midnight of that day as a UTC wall-clock number, and its weekday. */
function localDay(zone: Zone, ms: number): { midnight: number; weekday: number } {
  const wall = new Date(ms + zoneOffsetMinutes(zone, ms) * 60_000);
  return { midnight: Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()), weekday: wall.getUTCDay() };
}

/** The instant of a local wall-clock time (`wall`: local time written as if it were UTC), `compatible` at DST changes. */
export function instantOfLocal(zone: Zone, wall: number): number {
  // A day either side: the real instant is `wall` minus an offset of up to 14 hours (Kiritimati,
  // Auckland in summer), so half a day could already fall past a change it should precede.
  const early = zoneOffsetMinutes(zone, wall - DAY_MS);
  const late = zoneOffsetMinutes(zone, wall + DAY_MS);
  const candidates = [wall - early * 60_000, wall - late * 60_000].filter((t) => t + zoneOffsetMinutes(zone, t) * 60_000 === wall);
  // No candidate: the time falls in the skipped hour; the offset before the gap moves it forward.
  return candidates.length > 0 ? Math.min(...candidates) : wall - early * 60_000;
}

const WITH_SECONDS = /^(\d{1,2})[:.](\d{2})[:.](\d{2})$/;

/** Seconds after midnight of `17:00`, `17:00:30`, `5pm`, `noon`; undefined when it is not a time. */
export function parseClockSeconds(text: string): number | undefined {
  const seconds = WITH_SECONDS.exec(text.trim());
  if (seconds) {
    const [h, m, s] = [Number(seconds[1]), Number(seconds[2]), Number(seconds[3])];
    return h < 24 && m < 60 && s < 60 ? h * 3600 + m * 60 + s : undefined;
  }
  const minutes = parseClockTime(text);
  return minutes === undefined ? undefined : minutes * 60;
}

/** A clock time at `words[i]` (one word, or two as in "5 pm"): its seconds and how many words it took. */
function readClock(words: readonly string[], i: number): { seconds: number; count: number } | undefined {
  const two = words[i + 1] !== undefined ? parseClockSeconds(`${words[i]} ${words[i + 1]}`) : undefined;
  if (two !== undefined && /^(?:am|pm|a\.m\.|p\.m\.)$/i.test(words[i + 1] ?? '')) return { seconds: two, count: 2 };
  const one = parseClockSeconds(words[i] ?? '');
  return one === undefined ? undefined : { seconds: one, count: 1 };
}

type DayWord = { kind: 'relative'; days: number } | { kind: 'weekday'; weekday: number };

function readDay(words: readonly string[], i: number): { day: DayWord; count: number } | undefined {
  const word = words[i] ?? '';
  if (word === 'on' && words[i + 1] !== undefined && WEEKDAYS[words[i + 1]!] !== undefined)
    return { day: { kind: 'weekday', weekday: WEEKDAYS[words[i + 1]!]! }, count: 2 };
  if (RELATIVE_DAYS[word] !== undefined) return { day: { kind: 'relative', days: RELATIVE_DAYS[word]! }, count: 1 };
  if (WEEKDAYS[word] !== undefined) return { day: { kind: 'weekday', weekday: WEEKDAYS[word]! }, count: 1 };
  return undefined;
}

/** The instant of `seconds` after local midnight on `day` (today when absent), as seen from `now`. */
function resolve(zone: Zone, now: number, day: DayWord | undefined, seconds: number): number {
  const today = localDay(zone, now);
  const at = (days: number) => instantOfLocal(zone, today.midnight + days * DAY_MS + seconds * 1000);
  if (!day) return at(0);
  if (day.kind === 'relative') return at(day.days);
  const ahead = (day.weekday - today.weekday + 7) % 7;
  return ahead === 0 && at(0) <= now ? at(7) : at(ahead);
}

/**
 * Reads a start at `words[0]` (lower-case words of the message from a `START_WORDS` word on).
 * Undefined when these words are no start (part of an environment name: "Contoso at Home").
 * `[day] [at] <time>`, `at <time> [day]`, `[day] from <time> to <time>`, `from [day] <time> to <time>`.
 */
export function readStart(words: readonly string[], now: Date, zone: Zone): StartRead | undefined {
  let i = 0;
  let day = readDay(words, i);
  if (day) i += day.count;
  const from = words[i] === 'from';
  if (from || words[i] === 'at') i += 1;
  if (from && !day) {
    day = readDay(words, i);
    if (day) i += day.count;
  }
  const clock = readClock(words, i);
  if (!clock) {
    // "at 25:00", "tomorrow 9-ish": an attempt at a time that did not parse is an error; other words are a name.
    const next = words[i];
    const attempted = i > 0 && (/^\d/.test(next ?? '') || (day !== undefined && (next === undefined || i > day.count || ENDS_START.has(next))));
    return attempted ? invalid('badStart', words, Math.max(i, 1) + (words[i] === undefined ? 0 : 1)) : undefined;
  }
  i += clock.count;
  if (!day && !from && words[i] !== undefined && readDay(words, i)) {
    day = readDay(words, i);
    i += day!.count;
  }
  const at = resolve(zone, now.getTime(), day?.day, clock.seconds);
  let endsAt: number | undefined;
  if (from) {
    const end = words[i] === 'to' || words[i] === 'until' ? readClock(words, i + 1) : undefined;
    if (!end) return invalid('badStart', words, i + 1);
    i += 1 + end.count;
    endsAt = nextAfter(zone, at, end.seconds);
  }
  const source = words.slice(0, i).join(' ');
  const refusal = checkStart(new Date(at), now);
  if (refusal) return { kind: 'invalid', reason: refusal, typed: source.slice(0, 40), count: i };
  return { kind: 'ok', at: new Date(at), source, count: i, ...(endsAt !== undefined ? { endsAt: new Date(endsAt) } : {}) };
}

/** The first instant after `start` whose local time is `seconds` after midnight ("from 22:00 to 01:00" ends the next day). */
export function nextAfter(zone: Zone, start: number, seconds: number): number {
  const day = localDay(zone, start);
  const same = instantOfLocal(zone, day.midnight + seconds * 1000);
  return same > start ? same : instantOfLocal(zone, day.midnight + DAY_MS + seconds * 1000);
}

/** Why a start cannot be scheduled (passed, or too far ahead), or undefined when it can. */
export function checkStart(at: Date, now: Date): StartRefusal | undefined {
  if (at.getTime() <= now.getTime()) return 'pastStart';
  if (at.getTime() > now.getTime() + MAX_SCHEDULE_AHEAD_DAYS * DAY_MS) return 'tooFarAhead';
  return undefined;
}

function invalid(reason: StartRefusal, words: readonly string[], count: number): StartRead {
  return { kind: 'invalid', reason, typed: words.slice(0, count).join(' ').slice(0, 40), count };
}
