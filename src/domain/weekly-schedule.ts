/**
 * A weekly instant in UTC (`ELEVATE_DIGEST_SCHEDULE`, e.g. `mon 08:00`): when the weekly digest is posted. Pure.
 */
export interface WeeklySchedule {
  /** 0 Sunday … 6 Saturday, as `Date#getUTCDay`. */
  day: number;
  /** Seconds after midnight UTC. */
  second: number;
}

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEK_MS = 7 * 24 * 60 * 60_000;
const SCHEDULE = /^([a-z]+)\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s+utc)?$/i;

/** `<day> <HH:MM[:SS]> [UTC]` (day as `mon` or `monday`, any case), or undefined when it is not one. */
export function parseWeeklySchedule(text: string): WeeklySchedule | undefined {
  const match = SCHEDULE.exec(text.trim());
  if (!match) return undefined;
  const word = match[1]!.toLowerCase();
  const day = DAYS.findIndex((name) => name === word || name.slice(0, 3) === word);
  const [hours, minutes, seconds] = [Number(match[2]), Number(match[3]), Number(match[4] ?? 0)];
  if (day < 0 || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return { day, second: hours * 3600 + minutes * 60 + seconds };
}

/** The latest scheduled instant at or before `now`. */
export function lastOccurrence(schedule: WeeklySchedule, now: Date): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const back = (now.getUTCDay() - schedule.day + 7) % 7;
  const candidate = midnight - back * 24 * 60 * 60_000 + schedule.second * 1000;
  return new Date(candidate <= now.getTime() ? candidate : candidate - WEEK_MS);
}

/** The first scheduled instant after `now`. */
export function nextOccurrence(schedule: WeeklySchedule, now: Date): Date {
  return new Date(lastOccurrence(schedule, now).getTime() + WEEK_MS);
}
