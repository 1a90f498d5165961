import { isRecord } from '../core/http.js';
import { parseDuration } from './model.js';

/**
 * `scheduleInfo` of a roleAssignmentScheduleRequest (docs/api-contracts.md §2). Expiration types are
 * accepted in PascalCase or camelCase (the docs send `AfterDuration`), answered in camelCase.
 */
export interface Schedule {
  startMs: number;
  /** undefined: no expiration given (`noExpiration`, `notSpecified` or missing). */
  durationMs: number | undefined;
  echo: { startDateTime: string; recurrence: null; expiration: { type: string; endDateTime: string | null; duration: string | null } };
}

export type ScheduleResult = { ok: true; schedule: Schedule } | { ok: false; message: string };

const TYPES: Record<string, string> = {
  afterduration: 'afterDuration',
  afterdatetime: 'afterDateTime',
  noexpiration: 'noExpiration',
  notspecified: 'notSpecified',
};

/** Starts in the past or within a minute count as now; the start is never before `nowMs`. */
export function parseSchedule(value: unknown, nowMs: number): ScheduleResult {
  const info = isRecord(value) ? value : {};
  const rawStart = info['startDateTime'];
  let startMs = nowMs;
  if (rawStart !== undefined && rawStart !== null) {
    const parsed = typeof rawStart === 'string' ? Date.parse(rawStart) : NaN;
    if (Number.isNaN(parsed)) return { ok: false, message: `Invalid startDateTime '${String(rawStart)}'.` };
    startMs = Math.max(nowMs, parsed);
  }
  const expiration = isRecord(info['expiration']) ? info['expiration'] : {};
  const rawType = typeof expiration['type'] === 'string' ? expiration['type'] : 'notSpecified';
  const type = TYPES[rawType.toLowerCase()];
  if (!type) return { ok: false, message: `Invalid expiration type '${rawType}'.` };
  const echo = {
    startDateTime: new Date(startMs).toISOString(),
    recurrence: null,
    expiration: { type, endDateTime: null as string | null, duration: null as string | null },
  };
  if (type === 'afterDuration') {
    const duration = typeof expiration['duration'] === 'string' ? expiration['duration'] : '';
    const durationMs = parseDuration(duration);
    if (durationMs === undefined) return { ok: false, message: `Invalid duration '${duration}'.` };
    echo.expiration.duration = duration;
    return { ok: true, schedule: { startMs, durationMs, echo } };
  }
  if (type === 'afterDateTime') {
    const end = typeof expiration['endDateTime'] === 'string' ? Date.parse(expiration['endDateTime']) : NaN;
    if (Number.isNaN(end)) return { ok: false, message: 'Invalid endDateTime.' };
    echo.expiration.endDateTime = new Date(end).toISOString();
    return { ok: true, schedule: { startMs, durationMs: end - startMs, echo } };
  }
  return { ok: true, schedule: { startMs, durationMs: undefined, echo } };
}
