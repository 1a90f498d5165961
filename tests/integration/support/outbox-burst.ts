/**
 * A child process for tests/integration/outbox-burst.test.ts: Elevate's outbox as main.ts wires it
 * (the real BotMessenger over CloudAdapter with the bot's credentials, the SQLite store, the timer
 * scheduler), pointed at the simulator by the same environment the bot gets. It queues
 * BURST_COUNT posts to the channel BURST_CHANNEL at once, starts the scheduler, and prints one
 * `burstDone` line when the outbox is empty (or after two minutes). Run from dist/ with node.
 */
import { loadConfig } from '../../../src/config.js';
import { openStore, timerStoreOf } from '../../../src/adapters/store/open-store.js';
import { TimerScheduler } from '../../../src/jobs/scheduler.js';
import { wakingTimerStore } from '../../../src/jobs/waking-timer-store.js';
import { createLogger } from '../../../src/logger.js';
import { systemClock } from '../../../src/ports/clock.js';
import { ElevateAdapter } from '../../../src/teams/host/adapter.js';
import { BotMessenger } from '../../../src/teams/host/messenger.js';
import { Outbox, OUTBOX_KIND } from '../../../src/teams/outbound/outbox.js';

async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig(env);
  const count = Number(env['BURST_COUNT'] ?? '200');
  const channelId = env['BURST_CHANNEL'] ?? '';
  const serviceUrl = env['BURST_SERVICE_URL'] ?? '';
  const logger = createLogger(config.logLevel);
  const store = await openStore('sqlite::memory:');
  let wake: (due: Date) => void = () => undefined;
  const timers = wakingTimerStore(timerStoreOf(store, systemClock), (due) => wake(due));
  const outbox = new Outbox({
    messenger: BotMessenger.create(new ElevateAdapter(config), config.bot.id),
    store,
    timers,
    clock: systemClock,
    logger: logger.child({ component: 'outbox' }),
    limits: config.outboxRateLimits,
  });
  const scheduler = new TimerScheduler({
    timers,
    clock: systemClock,
    owner: 'burst',
    handlers: { [OUTBOX_KIND]: (t) => outbox.deliver(t) },
    logger,
    pollMs: 100,
  });
  wake = (due) => scheduler.wakeAt(due);
  const chat = { conversationId: channelId, serviceUrl, tenantId: config.aad.tenantId, conversationType: 'channel' };
  for (let n = 0; n < count; n++) await outbox.startThread({ chat, channelId }, { text: `burst ${n}` });
  const started = Date.now();
  scheduler.start();
  while ((await timers.list()).length > 0 && Date.now() - started < 120_000) await new Promise((resolve) => setTimeout(resolve, 100));
  const remaining = (await timers.list()).length;
  await scheduler.stop();
  process.stdout.write(`${JSON.stringify({ event: 'burstDone', remaining, tookMs: Date.now() - started })}\n`);
  await store.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
