import type { AuditLog } from '../../ports/audit-log.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { Clock } from '../../ports/clock.js';
import type { TimerHandler } from '../../ports/timer-store.js';
import { inSpan, recordElevationOutcome, recordTimeToElevated, recordTimerLag } from './instruments.js';

/**
 * Telemetry put around the composed parts by main.ts, so that use cases, the scheduler and the Teams
 * host stay free of it: background work and timers run in spans (their Graph, Power Platform,
 * Dataverse and connector calls nest under them: one trace per elevation run), and the audit log's
 * outcome events are counted.
 */

/** `elevation <id>`, `deactivation <id>`… (the names the routes give background tasks). */
function spanOfTask(name: string): { span: string; elevationId?: string } {
  const match = /^(elevation|deactivation|approval cards|PIM decision) ([0-9a-f-]{8,})$/i.exec(name);
  if (!match) return { span: 'background' };
  return { span: match[1]!.toLowerCase().replace(/ /g, '.'), elevationId: match[2]! };
}

/** Wraps `run` so each background task is a span named for its work, with the elevation id. */
export function traceBackground<T extends { run(name: string, task: () => Promise<unknown>): void }>(background: T): T {
  const run = background.run.bind(background);
  background.run = (name, task) =>
    run(name, () => {
      const { span, elevationId } = spanOfTask(name);
      return inSpan(
        `elevate.${span}`,
        elevationId ? { 'elevate.elevation_id': elevationId } : { 'elevate.task': name.replace(/[0-9a-f-]{36}/gi, '<id>') },
        task,
      );
    });
  return background;
}

/** Each timer run is a span `elevate.timer <kind>` with its subject; its lag behind its due time is a metric. */
export function traceTimerHandlers(handlers: Record<string, TimerHandler>, clock: Clock): Record<string, TimerHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([kind, handler]) => [
      kind,
      (timer) => {
        recordTimerLag(kind, clock.now().getTime() - Date.parse(timer.dueAt));
        return inSpan(`elevate.timer ${kind}`, { 'elevate.timer_kind': kind, 'elevate.subject': timer.subject, 'elevate.attempts': timer.attempts }, () =>
          handler(timer),
        );
      },
    ]),
  );
}

/** Audit events that end (or decide) an elevation, counted by outcome. */
const OUTCOMES = new Set(['elevated', 'failed', 'cancelled', 'expired', 'deactivated']);

/**
 * Counts elevation outcomes as they are audited (every outcome is, once), and for `elevated` the time
 * from the Submit (the elevation's first `activating`, else its creation) to the grant.
 */
export function meteredAuditLog(audit: AuditLog, store: Pick<ElevationStore, 'getElevation'>): AuditLog {
  return {
    list: (filter) => audit.list(filter),
    stored: () => audit.stored(),
    append: async (event, options) => {
      const entry = await audit.append(event, options);
      if (OUTCOMES.has(event.type)) recordElevationOutcome(event.type);
      if (event.type === 'elevated' && event.elevationId) {
        const record = (await store.getElevation(event.elevationId).catch(() => undefined))?.value;
        const started = record?.history.find((h) => h.state === 'activating')?.at ?? record?.createdAt;
        if (started) recordTimeToElevated(Date.parse(event.at) - Date.parse(started));
      }
      return entry;
    },
  };
}
