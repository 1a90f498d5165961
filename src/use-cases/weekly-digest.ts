import type { ElevationRecord } from '../domain/elevation.js';
import { WEEK_MS, weeklyDigest, type DigestWeek, type WeeklyDigest } from '../domain/weekly-digest.js';
import { lastOccurrence, nextOccurrence, type WeeklySchedule } from '../domain/weekly-schedule.js';
import type { TimerHandler, TimerOutcome } from '../ports/timer-store.js';
import { compareAndSwap, documentAccess } from './compare-and-swap.js';
import type { ElevationDeps } from './deps.js';

/** What the weekly digest uses of the use cases' dependencies. */
export type WeeklyDigestDeps = Pick<ElevationDeps, 'store' | 'audit' | 'timers' | 'clock' | 'logger'>;

export const DIGEST_KIND = 'weeklyDigest';
const DIGEST_TIMER = 'weekly-digest';
/** The last week posted: `{ week: <to> }`, written compare-and-swap. */
const DIGEST_KEY = 'digest:weekly';
/** No security channel yet: look again this much later (within the same week). */
const NO_CHANNEL_RETRY_MS = 60 * 60_000;

/**
 * Posts the digest to the security channel, queued once per `key` (the outbox's claim); resolves false when no
 * channel is set.
 */
export type DigestReporter = (digest: WeeklyDigest, key: string) => Promise<boolean>;

interface DigestMark {
  week: string;
  postedAt: string;
}

/**
 * The digest of one week, from the audit trail (every event of the week) and the elevation records those events
 * name (approval decisions and durations are on the record; break-glass uses and failed clean-ups are audit events).
 */
export async function computeDigest(deps: Pick<WeeklyDigestDeps, 'store' | 'audit'>, week: DigestWeek): Promise<WeeklyDigest> {
  const to = Date.parse(week.to);
  const events = (await deps.audit.list({ since: new Date(week.from) })).filter((e) => Date.parse(e.at) < to);
  const ids = [...new Set(events.flatMap((e) => (e.elevationId ? [e.elevationId] : [])))];
  const records: ElevationRecord[] = [];
  for (const id of ids) {
    const found = await deps.store.getElevation(id);
    if (found) records.push(found.value);
  }
  return weeklyDigest(week, records, events);
}

/**
 * One digest run (issue #16): the week that ended at the latest scheduled instant, posted once. Several instances,
 * a redelivered timer or a restart cannot post it twice: the week's mark is read first and written compare-and-swap
 * after the post, and the post itself is keyed by the week in the outbox (queued once, whoever queues it), so
 * two runs racing between the two still queue one message. Returns whether it was posted (or had been).
 */
export async function runWeeklyDigest(deps: WeeklyDigestDeps, schedule: WeeklySchedule, report: DigestReporter): Promise<'posted' | 'already' | 'noChannel'> {
  const to = lastOccurrence(schedule, deps.clock.now());
  const week = { from: new Date(to.getTime() - WEEK_MS).toISOString(), to: to.toISOString() };
  const mark = await deps.store.getDocument<DigestMark>(DIGEST_KEY);
  if (mark && mark.value.week >= week.to) return 'already';
  const digest = await computeDigest(deps, week);
  if (!(await report(digest, `weekly-digest:${week.to}`))) return 'noChannel';
  await compareAndSwap(
    documentAccess<DigestMark>(deps.store, DIGEST_KEY),
    (current) => (current && current.value.week >= week.to ? undefined : { week: week.to, postedAt: deps.clock.now().toISOString() }),
    mark ? { initial: mark } : {},
  );
  deps.logger.info({ event: 'weeklyDigest', week: week.to, elevations: digest.elevations }, 'weekly digest posted');
  return 'posted';
}

/**
 * Keeps one digest timer at the next scheduled instant (`schedule` undefined cancels it). A timer already due (missed
 * while Elevate was down) is kept, so it runs now and posts the week it missed; one due later is moved to the
 * configured instant, so a changed schedule takes effect at the next start.
 */
export async function scheduleWeeklyDigest(deps: Pick<WeeklyDigestDeps, 'timers' | 'clock'>, schedule: WeeklySchedule | undefined): Promise<void> {
  if (!schedule) return void (await deps.timers.cancel(DIGEST_TIMER, [DIGEST_KIND]));
  const now = deps.clock.now();
  const existing = (await deps.timers.list(DIGEST_TIMER)).find((timer) => timer.kind === DIGEST_KIND);
  if (existing && Date.parse(existing.dueAt) <= now.getTime()) return;
  await deps.timers.schedule({ id: DIGEST_TIMER, kind: DIGEST_KIND, subject: DIGEST_TIMER, dueAt: nextOccurrence(schedule, now).toISOString(), payload: {} });
}

/** Timer handler: one run, then the next scheduled instant (the timer's lease keeps other instances off it meanwhile). */
export function weeklyDigestHandler(deps: WeeklyDigestDeps, schedule: WeeklySchedule | undefined, report: DigestReporter): TimerHandler {
  return async (): Promise<TimerOutcome> => {
    if (!schedule) return 'done';
    const outcome = await runWeeklyDigest(deps, schedule, report);
    const now = deps.clock.now().getTime();
    const next = nextOccurrence(schedule, new Date(now));
    if (outcome === 'noChannel') return { retryAt: new Date(Math.min(now + NO_CHANNEL_RETRY_MS, next.getTime())), countAttempt: false };
    return { retryAt: next, countAttempt: false };
  };
}
