/**
 * Timer storm and restart catch-up (issue #13): N reminders of active elevations fall due within a
 * minute (`storm`), or were all missed while the bot was down (`restart`); `normal` is normal load, one
 * reminder a second for a minute (target: each handled within 1 s of its due time, where a fixed 15 s
 * poll made it up to 15 s late). Elevate's own code runs as
 * in production: the SQLite store, the timer scheduler, the reminder handler (read the elevation, audit
 * `reminded`, queue the 1:1 reminder card in the outbox) and the outbox delivering it. Only Teams is a
 * messenger that answers at once (Teams' own limits pace real deliveries; here the figure is how fast
 * Elevate handles and queues). Prints lateness (handler start − due time) and the time to clear.
 *
 *   tsx scripts/bench-timers.ts [--timers 100000 | --quick] [--mode normal|storm|restart|all]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { SqliteElevationStore } from '../src/adapters/store/sqlite-elevation-store.js';
import { PERMISSIVE_POLICY } from '../src/domain/elevate-policy.js';
import type { ElevationRecord } from '../src/domain/elevation.js';
import { TEAMS_RATE_LIMITS } from '../src/domain/rate-limits.js';
import { TimerScheduler } from '../src/jobs/scheduler.js';
import { wakingTimerStore } from '../src/jobs/waking-timer-store.js';
import { systemClock } from '../src/ports/clock.js';
import type { DurableTimer, TimerHandler } from '../src/ports/timer-store.js';
import type { ChatAddress, Messenger } from '../src/teams/chat.js';
import { ConversationDirectory } from '../src/teams/channels/conversations.js';
import { Outbox, OUTBOX_KIND } from '../src/teams/outbound/outbox.js';
import { TeamsElevationPresenter } from '../src/teams/outbound/teams-elevation-presenter.js';
import { lifecycleHandlers, type LifecycleHandlersDeps } from '../src/use-cases/lifecycle-handlers.js';
import { testAuditKeys } from '../tests/support/audit-keys.js';
import { percentile } from './bench-summary.js';

const MINUTE = 60_000;
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};

type Mode = 'normal' | 'storm' | 'restart';
/** Reminders of the normal-load run: one a second for a minute. */
const NORMAL_LOAD = 60;

export interface TimerFigures {
  mode: Mode;
  timers: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
  /** From the first due time (storm) or the start (restart) until every reminder was handled. */
  clearedMs: number;
  /** Reminder cards handed to Teams per second once all were queued (Teams' per-app pace). */
  deliveryRate: number;
}

/** Builds the store with `count` active elevations of `count / 10` requesters and their reminder timers. */
async function seed(store: SqliteElevationStore, count: number, due: (i: number) => number): Promise<void> {
  const conversations = new ConversationDirectory(store);
  const users = Math.max(1, Math.floor(count / 10));
  for (let u = 0; u < users; u++) {
    const chat: ChatAddress = { conversationId: `a:bench-${u}`, serviceUrl: 'https://smba.example/', conversationType: 'personal' };
    await conversations.remember(chat);
  }
  const timers = store.timers(systemClock);
  const now = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const u = i % users;
    const dueMs = due(i);
    const activeUntil = new Date(dueMs + 59 * MINUTE).toISOString();
    const record: ElevationRecord = {
      id: `bench-${i}`,
      state: 'active',
      requester: { aadObjectId: `00000000-0000-4000-8000-${String(u).padStart(12, '0')}`, name: `User ${u}`, tenantId: 't' },
      environment: { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' },
      options: [],
      roleId: 'role',
      roleName: 'Power Platform Administrator',
      duration: 'PT1H',
      activeUntil,
      card: { conversationId: `a:bench-${u}`, activityId: `card-${i}` },
      history: [{ state: 'active', at: now }],
      createdAt: now,
      updatedAt: now,
    } as unknown as ElevationRecord;
    await store.createElevation(record);
    await timers.schedule({
      id: `reminder:${record.id}:59`,
      kind: 'reminder',
      subject: record.id,
      dueAt: new Date(dueMs).toISOString(),
      payload: { minutesBefore: 59 },
    });
  }
}

async function run(mode: Mode, count: number): Promise<TimerFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'elevate-bench-timers-'));
  const store = SqliteElevationStore.open(path.join(dir, 'elevate.db'));
  try {
    // The storm starts after the seeding (about 0.15 ms per elevation here; twice that, plus 5 s, to be safe).
    const startAt = Date.now() + 5_000 + Math.ceil(count * 0.3);
    // storm: due evenly over one minute from 5 s after the start; restart: missed over the last minute.
    const due =
      mode === 'restart' ? (i: number) => Date.now() - MINUTE + Math.floor((i * MINUTE) / count) : (i: number) => startAt + Math.floor((i * MINUTE) / count);
    const seeded = performance.now();
    await seed(store, count, due);
    process.stderr.write(`  seeded ${count} elevations and reminders in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`);
    if (mode !== 'restart' && Date.now() >= startAt)
      throw new Error('seeding took longer than planned: the first timers were due before the scheduler started');

    const logger = pino({ level: 'warn' });
    let wake: (at: Date) => void = () => undefined;
    const timers = wakingTimerStore(store.timers(systemClock), (at) => wake(at));
    let delivered = 0;
    const messenger: Messenger = {
      send: async () => (delivered++, `m-${delivered}`),
      replace: async () => undefined,
      startThread: async () => ({ chat: { conversationId: 'x', serviceUrl: 'x' }, messageId: 'x' }),
      openPersonalChat: async () => ({ chat: { conversationId: 'x', serviceUrl: 'x' }, messageId: 'x' }),
    } as unknown as Messenger;
    const outbox = new Outbox({ messenger, store, timers, clock: systemClock, logger, limits: TEAMS_RATE_LIMITS });
    const presenter = new TeamsElevationPresenter(outbox, new ConversationDirectory(store), undefined as never, logger, 60);
    const deps = {
      store,
      timers,
      clock: systemClock,
      presenter: process.env['BENCH_NO_OUTBOX'] ? { remind: async () => undefined } : presenter,
      audit: store.auditLog(testAuditKeys().sealer),
      logger,
      settings: { policy: PERMISSIVE_POLICY, reminderMinutes: [59], instanceId: 'bench', bootId: 'b1' },
    } as unknown as LifecycleHandlersDeps;
    const lateness: number[] = [];
    let lastHandled = 0;
    const remind = lifecycleHandlers(deps)['reminder']!;
    const measured: TimerHandler = async (timer: DurableTimer) => {
      lateness.push(Date.now() - Date.parse(timer.dueAt));
      const outcome = await remind(timer);
      lastHandled = Date.now();
      return outcome;
    };
    const scheduler = new TimerScheduler({
      timers,
      clock: systemClock,
      owner: 'bench#b1',
      handlers: { reminder: measured, [OUTBOX_KIND]: (timer) => outbox.deliver(timer) },
      logger,
      pollMs: 15_000,
    });
    wake = (at) => scheduler.wakeAt(at);
    const started = Date.now();
    scheduler.start();
    const deadline = started + 30 * MINUTE;
    const trace = process.env['BENCH_TRACE']
      ? setInterval(
          () =>
            process.stderr.write(
              `  ${((Date.now() - startAt) / 1000).toFixed(0)} s: ${lateness.length} handled, last lateness ${lateness.at(-1)} ms, ${delivered} delivered\n`,
            ),
          5000,
        )
      : undefined;
    while (lateness.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    // Deliveries go on at Teams' pace (50 per second for the app): sample the rate for 5 s.
    const deliveredBefore = delivered;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const deliveryRate = (delivered - deliveredBefore) / 5;
    clearInterval(trace);
    await scheduler.stop();
    const from = mode === 'restart' ? started : startAt;
    return {
      mode,
      timers: count,
      latenessP50Ms: percentile(lateness, 0.5),
      latenessP99Ms: percentile(lateness, 0.99),
      latenessMaxMs: Math.max(...lateness),
      clearedMs: lastHandled - from,
      deliveryRate,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchTimers(count: number, modes: Mode[]): Promise<TimerFigures[]> {
  const figures: TimerFigures[] = [];
  for (const mode of modes) figures.push(await run(mode, mode === 'normal' ? NORMAL_LOAD : count));
  return figures;
}

const TARGETS: Record<Mode, string> = {
  normal: 'max ≤ 1 s',
  storm: 'p99 ≤ 5 s',
  restart: 'all handled within 60 s',
};

if (process.argv[1]?.endsWith('bench-timers.ts')) {
  const count = Number(option('timers', args.includes('--quick') ? '10000' : '100000'));
  const mode = option('mode', 'all');
  benchTimers(count, mode === 'all' || mode === 'both' ? ['normal', 'storm', 'restart'] : [mode as Mode])
    .then((figures) => {
      for (const f of figures)
        console.log(
          `${f.mode.padEnd(8)} timers=${f.timers} lateness p50=${f.latenessP50Ms} ms p99=${f.latenessP99Ms} ms max=${f.latenessMaxMs} ms (target ${TARGETS[f.mode]}); all handled after ${(f.clearedMs / 1000).toFixed(1)} s, queued cards then delivered at ${f.deliveryRate.toFixed(0)}/s`,
        );
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
