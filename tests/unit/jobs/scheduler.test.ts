import assert from 'node:assert/strict';
import pino from 'pino';
import sinon from 'sinon';
import { TimerScheduler, type TimerSchedulerOptions } from '../../../src/jobs/scheduler.js';
import { wakingTimerStore } from '../../../src/jobs/waking-timer-store.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { DurableTimer, TimerHandler } from '../../../src/ports/timer-store.js';
import { MemoryTimerStore } from './memory-timer-store.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function timer(id: string, dueMs: number, kind = 'reminder'): Omit<DurableTimer, 'attempts'> {
  return { id, kind, subject: 'e-1', dueAt: new Date(dueMs).toISOString(), payload: {} };
}

/** Handler that records the timers it saw, as `id@attempts`. */
function recorder(seen: string[], outcome: Awaited<ReturnType<TimerHandler>> = 'done'): TimerHandler {
  return async (t) => {
    seen.push(`${t.id}@${t.attempts}`);
    return outcome;
  };
}

/** Lets pending promise callbacks (store calls, handlers) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TimerScheduler', () => {
  let store: MemoryTimerStore;
  let nowMs: number;
  let logs: { level: number; msg: string; kind?: string }[];
  const clock: Clock = { now: () => new Date(nowMs), sleep: async () => undefined };
  const schedulers: TimerScheduler[] = [];

  function scheduler(handlers: Record<string, TimerHandler>, overrides: Partial<TimerSchedulerOptions> = {}): TimerScheduler {
    const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line) as (typeof logs)[number]) });
    const created = new TimerScheduler({ timers: store, clock, owner: 'bot-1', handlers, logger, pollMs: 10 * SECOND, random: () => 0, ...overrides });
    schedulers.push(created);
    return created;
  }

  beforeEach(() => {
    store = new MemoryTimerStore();
    nowMs = T0;
    logs = [];
  });

  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
    sinon.restore();
  });

  it('runs the timers that fell due while the bot was down once, at start', async () => {
    const seen: string[] = [];
    await store.schedule(timer('overdue-1', T0 - 2 * MINUTE));
    await store.schedule(timer('overdue-2', T0 - MINUTE));
    await store.schedule(timer('future', T0 + MINUTE));
    const jobs = scheduler({ reminder: recorder(seen) });

    jobs.start();
    await jobs.stop();
    const again = await jobs.runDueNow();

    assert.deepEqual(seen, ['overdue-1@0', 'overdue-2@0']);
    assert.equal(again, 0, 'nothing runs twice');
    assert.deepEqual(
      (await store.list()).map((t) => t.id),
      ['future'],
    );
  });

  it('retries a throwing handler later with exponential backoff and attempts+1', async () => {
    const seen: string[] = [];
    await store.schedule(timer('cleanup', T0, 'expiry'));
    const jobs = scheduler({
      expiry: async (t) => {
        seen.push(`${t.id}@${t.attempts}`);
        throw new Error('Dataverse 503');
      },
    });

    await jobs.runDueNow();
    const afterFirst = await store.list();
    nowMs = T0 + 15 * SECOND;
    await jobs.runDueNow();
    const afterSecond = await store.list();

    assert.deepEqual(seen, ['cleanup@0', 'cleanup@1']);
    assert.deepEqual(
      afterFirst.map((t) => [t.dueAt, t.attempts]),
      [[new Date(T0 + 15 * SECOND).toISOString(), 1]],
    );
    assert.deepEqual(
      afterSecond.map((t) => [t.dueAt, t.attempts]),
      [[new Date(T0 + 15 * SECOND + 30 * SECOND).toISOString(), 2]],
    );
    assert.ok(logs.some((l) => l.msg === 'timer failed; retrying later'));
  });

  it('postpones a timer to the time its handler asks for without counting an attempt', async () => {
    await store.schedule(timer('expiry', T0, 'expiry'));
    const jobs = scheduler({ expiry: recorder([], { retryAt: new Date(T0 + 30 * MINUTE) }) });

    await jobs.runDueNow();

    assert.deepEqual(
      (await store.list()).map((t) => [t.dueAt, t.attempts]),
      [[new Date(T0 + 30 * MINUTE).toISOString(), 0]],
    );
  });

  it('logs and drops a timer of a kind it has no handler for', async () => {
    await store.schedule(timer('mystery', T0, 'from-a-newer-release'));
    await store.schedule(timer('proto', T0, 'constructor'));
    const jobs = scheduler({});

    const runs = await jobs.runDueNow();

    assert.equal(runs, 2);
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(
      logs
        .filter((l) => l.msg.startsWith('no handler'))
        .map((l) => l.kind)
        .sort(),
      ['constructor', 'from-a-newer-release'],
    );
  });

  it('takes no offence when a timer is cancelled while its handler runs', async () => {
    await store.schedule(timer('expiry', T0, 'expiry'));
    const jobs = scheduler({
      expiry: async (t) => {
        await store.cancel(t.subject);
        return 'done';
      },
    });

    assert.equal(await jobs.runDueNow(), 1);
    assert.deepEqual(await store.list(), []);
    assert.ok(!logs.some((l) => l.level >= 40));
  });

  it('drains a backlog larger than one batch in one pass', async () => {
    const seen: string[] = [];
    for (let n = 0; n < 7; n++) await store.schedule(timer(`t${n}`, T0 - n * SECOND));
    const jobs = scheduler({ reminder: recorder(seen) }, { batch: 3 });

    assert.equal(await jobs.runDueNow(), 7);
    assert.equal(new Set(seen).size, 7);
  });

  it('drains a backlog larger than one pass at once, pass after pass, not a pass per poll', async () => {
    const fake = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const seen: string[] = [];
    for (let n = 0; n < 120; n++) await store.schedule(timer(`t${n}`, T0 - MINUTE + n));
    const jobs = scheduler({ reminder: recorder(seen) }, { batch: 1, clock: { now: () => new Date(), sleep: async () => undefined }, pollMs: 60 * SECOND });

    jobs.start();
    await fake.tickAsync(SECOND);

    assert.equal(seen.length, 120, 'three passes of 50 within a second, while the poll is a minute');
  });

  it('resolves stop() only when the pass in flight has finished', async () => {
    const gate = deferred();
    let finished = false;
    await store.schedule(timer('slow', T0));
    const jobs = scheduler({
      reminder: async () => {
        await gate.promise;
        finished = true;
        return 'done';
      },
    });
    jobs.start();
    await settle();

    let stopped = false;
    const stopping = jobs.stop().then(() => (stopped = true));
    await settle();
    const stoppedEarly = stopped;
    gate.resolve();
    await stopping;

    assert.equal(stoppedEarly, false);
    assert.equal(finished, true);
    assert.deepEqual(await store.list(), []);
  });

  it('polls every pollMs after the previous pass, never starting one while another runs', async () => {
    const fake = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const gate = deferred();
    const seen: string[] = [];
    await store.schedule(timer('slow', T0));
    const jobs = scheduler(
      {
        reminder: async (t) => {
          seen.push(t.id);
          if (t.id === 'slow') await gate.promise;
          return 'done';
        },
      },
      { clock: { now: () => new Date(), sleep: async () => undefined } },
    );

    jobs.start();
    await fake.tickAsync(60 * SECOND);
    const claimsWhileSlow = store.claims;
    gate.resolve();
    await fake.tickAsync(0);
    // Written by another instance after this pass looked for the next due time: the poll finds it.
    await store.schedule(timer('next', Date.now()));
    await fake.tickAsync(9 * SECOND);
    const claimsBeforePoll = store.claims;
    await fake.tickAsync(SECOND);

    assert.equal(claimsWhileSlow, 1);
    assert.equal(claimsBeforePoll, 1);
    assert.equal(store.claims, 2);
    assert.deepEqual(seen, ['slow', 'next']);
    assert.equal(store.maxConcurrentClaims, 1);
  });

  it('wakes for a timer scheduled through the waking store before the next poll, and runs it on time', async () => {
    const fake = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const seen: string[] = [];
    const jobs = scheduler({ propagation: recorder(seen) }, { clock: { now: () => new Date(), sleep: async () => undefined }, pollMs: 60 * SECOND });
    const timers = wakingTimerStore(store, (due) => jobs.wakeAt(due));
    jobs.start();
    await fake.tickAsync(SECOND);

    await timers.schedule(timer('soon', Date.now() + 5 * SECOND, 'propagation'));
    await fake.tickAsync(4 * SECOND);
    const beforeDue = [...seen];
    await fake.tickAsync(SECOND);

    assert.deepEqual(beforeDue, []);
    assert.deepEqual(seen, ['soon@0'], 'run 5 s after it was scheduled, not at the 60 s poll');
  });

  it('wakes for every due time it was told about, not only the soonest (a later one is not left to the poll)', async () => {
    const fake = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const seen: string[] = [];
    const jobs = scheduler({ propagation: recorder(seen) }, { clock: { now: () => new Date(), sleep: async () => undefined }, pollMs: 60 * SECOND });
    const timers = wakingTimerStore(store, (due) => jobs.wakeAt(due));
    jobs.start();
    await fake.tickAsync(SECOND);

    await timers.schedule(timer('later', Date.now() + 8 * SECOND, 'propagation'));
    await timers.schedule(timer('sooner', Date.now() + 3 * SECOND, 'propagation'));
    await fake.tickAsync(3 * SECOND);
    const afterSooner = [...seen];
    await fake.tickAsync(5 * SECOND);

    assert.deepEqual(afterSooner, ['sooner@0']);
    assert.deepEqual(seen, ['sooner@0', 'later@0'], 'the later one runs at its own time, not at the 60 s poll');
  });

  it('serves a sooner due time found after a pass even when a later wake was asked for during it', async () => {
    const fake = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const runs: number[] = [];
    const waking: { timers?: ReturnType<typeof wakingTimerStore> } = {};
    const jobs = scheduler(
      {
        // A message that waits its turn: it asks to be looked at again in 1 s, while the work of its pass
        // schedules something else for 3 s.
        outbox: async () => {
          runs.push(Date.now() - T0);
          if (runs.length > 1) return 'done';
          await waking.timers!.schedule(timer('later', Date.now() + 3 * SECOND, 'other'));
          return { retryAt: new Date(Date.now() + SECOND) };
        },
        other: async () => 'done',
      },
      { clock: { now: () => new Date(), sleep: async () => undefined }, pollMs: 60 * SECOND },
    );
    const timers = wakingTimerStore(store, (due) => jobs.wakeAt(due));
    waking.timers = timers;
    jobs.start();
    await fake.tickAsync(100);
    await timers.schedule(timer('waiting', Date.now(), 'outbox'));
    await fake.tickAsync(2 * SECOND);

    assert.equal(runs.length, 2, 'looked at again after 1 s, not at the 3 s wake');
    assert.ok(runs[1]! - runs[0]! < 1.2 * SECOND, `the second look came ${runs[1]! - runs[0]!} ms after the first`);
  });

  it('keeps the sooner poll when a timer is scheduled after it', async () => {
    const fake = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const seen: string[] = [];
    const jobs = scheduler({ reminder: recorder(seen) }, { clock: { now: () => new Date(), sleep: async () => undefined }, pollMs: 10 * SECOND });
    jobs.start();
    await fake.tickAsync(SECOND);

    jobs.wakeAt(new Date(Date.now() + 60 * SECOND));
    await store.schedule(timer('polled', Date.now()));
    await fake.tickAsync(9 * SECOND);

    assert.deepEqual(seen, ['polled@0'], 'found by the 10 s poll, not postponed to the later wake-up');
  });

  it('queues runDueNow behind the pass in flight and shares one queued pass among callers', async () => {
    const gate = deferred();
    const seen: string[] = [];
    await store.schedule(timer('slow', T0));
    const jobs = scheduler({
      reminder: async (t) => {
        seen.push(t.id);
        if (t.id === 'slow') await gate.promise;
        return 'done';
      },
    });

    const first = jobs.runDueNow();
    await settle();
    const second = jobs.runDueNow();
    const third = jobs.runDueNow();
    await store.schedule(timer('late', T0));
    gate.resolve();

    assert.deepEqual(await Promise.all([first, second, third]), [1, 1, 1]);
    assert.equal(second, third);
    assert.deepEqual(seen, ['slow', 'late']);
    assert.equal(store.claims, 2);
    assert.equal(store.maxConcurrentClaims, 1);
  });

  it('logs a failed pass and tries again at the next poll', async () => {
    const fake = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const seen: string[] = [];
    store.failNextClaim = new Error('SQLITE_BUSY');
    await store.schedule(timer('t1', T0));
    const jobs = scheduler({ reminder: recorder(seen) }, { clock: { now: () => new Date(), sleep: async () => undefined } });

    jobs.start();
    await fake.tickAsync(0);
    const seenAfterFailure = [...seen];
    await fake.tickAsync(10 * SECOND);

    assert.deepEqual(seenAfterFailure, []);
    assert.deepEqual(seen, ['t1@0']);
    assert.ok(logs.some((l) => l.msg.startsWith('timer pass failed')));
  });
  it('runs each timer once when two instances share the store', async () => {
    const seen: string[] = [];
    const slow: TimerHandler = async (t) => {
      seen.push(t.id);
      await settle();
      return 'done';
    };
    for (let n = 0; n < 12; n++) await store.schedule(timer(`t${n}`, T0 - n));
    const one = scheduler({ reminder: slow }, { owner: 'bot-1', batch: 2 });
    const two = scheduler({ reminder: slow }, { owner: 'bot-2', batch: 2 });

    const runs = await Promise.all([one.runDueNow(), two.runDueNow(), one.runDueNow(), two.runDueNow()]);

    assert.equal(seen.length, 12);
    assert.equal(new Set(seen).size, 12);
    assert.equal(runs[0]! + runs[1]!, 12);
  });

  it('keeps renewing the claim of a long handler, so another instance does not run it too', async () => {
    const fake = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const gate = deferred();
    const seen: string[] = [];
    await store.schedule(timer('slow', T0));
    const realTime = { clock: { now: () => new Date(), sleep: async () => undefined }, leaseMs: MINUTE };
    const one = scheduler({ reminder: async () => (seen.push('one'), await gate.promise, 'done') }, realTime);
    const two = scheduler({ reminder: recorder(seen) }, { ...realTime, owner: 'bot-2' });

    const running = one.runDueNow();
    await fake.tickAsync(5 * MINUTE);
    const tookOver = await two.runDueNow();
    gate.resolve();
    await running;

    assert.equal(tookOver, 0, 'five minutes into a one-minute lease, the claim is still held');
    assert.deepEqual(seen, ['one']);
    assert.deepEqual(await store.list(), [], 'completed by the instance that ran it');
  });

  it('hands a crashed instance’s timer to another instance once its lease runs out', async () => {
    const seen: string[] = [];
    await store.schedule(timer('orphan', T0));
    await store.claimDue(new Date(T0), 'crashed', MINUTE, 10);
    const jobs = scheduler({ reminder: recorder(seen) }, { leaseMs: MINUTE });

    const during = await jobs.runDueNow();
    nowMs = T0 + MINUTE + 1;
    const after = await jobs.runDueNow();

    assert.deepEqual([during, after, seen], [0, 1, ['orphan@0']]);
  });

  it('plans its next pass for a timer it did not schedule itself (another instance, or before a restart), not for the poll', async () => {
    const fake = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const seen: string[] = [];
    await store.schedule(timer('written-before-restart', T0 + 2 * SECOND));
    await store.schedule(timer('held-by-another', T0));
    await store.claimDue(new Date(T0), 'bot-2', 4 * SECOND, 10);
    const jobs = scheduler({ reminder: recorder(seen) }, { clock: { now: () => new Date(), sleep: async () => undefined }, pollMs: 60 * SECOND });

    jobs.start();
    await fake.tickAsync(2 * SECOND);
    const atTwo = [...seen];
    await fake.tickAsync(3 * SECOND);

    assert.deepEqual(atTwo, ['written-before-restart@0']);
    assert.deepEqual(seen, ['written-before-restart@0', 'held-by-another@0'], 'taken when the other instance’s lease ran out, not at the 60 s poll');
  });
});
