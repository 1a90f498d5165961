import pino from 'pino';
import { TimerScheduler } from '../../../src/jobs/scheduler.js';
import type { DurableTimer } from '../../../src/ports/timer-store.js';
import { lifecycleHandlers } from '../../../src/use-cases/lifecycle-handlers.js';
import type { InProcessElevate } from './in-process-elevate.js';

/** One pass of the production scheduler over the due timers; returns the kinds that ran. */
export async function runDueTimers(elevate: InProcessElevate, owner = 'pass'): Promise<string[]> {
  const ran: string[] = [];
  const handlers = Object.fromEntries(
    Object.entries(lifecycleHandlers(elevate.deps)).map(([kind, handler]) => [kind, (timer: DurableTimer) => (ran.push(kind), handler(timer))]),
  );
  const scheduler = new TimerScheduler({
    timers: elevate.timers,
    clock: elevate.deps.clock,
    owner,
    handlers,
    logger: pino({ level: 'silent' }),
    pollMs: 60_000,
    random: () => 0,
  });
  await scheduler.runDueNow();
  return ran;
}
