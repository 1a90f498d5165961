import type { ElevationDeps } from './deps.js';
import { whileBeating } from './heartbeat.js';

/** The timer kind of the watchdog that hands a silent in-flight elevation to another instance (take-over.ts). */
export const WATCHDOG_KIND = 'inFlightWatchdog';
/** A run that has not been heard of for this long is taken over (issue #12: within two minutes). */
export const WATCHDOG_SILENCE_MS = 90_000;
/** How often a running elevation pushes its watchdog back. */
const HEARTBEAT_MS = 30_000;

export const watchdogTimerId = (elevationId: string): string => `watchdog:${elevationId}`;

/**
 * Runs `work` (one run of an elevation) under a durable watchdog: a timer due WATCHDOG_SILENCE_MS
 * from now, pushed back every HEARTBEAT_MS while the run goes on and removed when it ends. If this
 * process dies mid-run the heartbeats stop, the timer falls due, and whichever instance claims it
 * takes the elevation over (take-over.ts), within two minutes and not only at the next start.
 */
export async function watched<T>(deps: Pick<ElevationDeps, 'timers' | 'clock' | 'logger'>, elevationId: string, work: () => Promise<T>): Promise<T> {
  const beat = () =>
    deps.timers.schedule({
      id: watchdogTimerId(elevationId),
      kind: WATCHDOG_KIND,
      subject: elevationId,
      dueAt: new Date(deps.clock.now().getTime() + WATCHDOG_SILENCE_MS).toISOString(),
      payload: {},
    });
  const warn = (error: unknown) => deps.logger.warn({ err: error, elevationId }, 'could not update the watchdog of a running elevation');
  return whileBeating(beat, HEARTBEAT_MS, warn, work, () => deps.timers.cancel(elevationId, [WATCHDOG_KIND]));
}
