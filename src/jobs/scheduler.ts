import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.js';
import type { DurableTimer, TimerHandler, TimerOutcome, TimerStore } from '../ports/timer-store.js';
import { retryDelay, TIMER_BACKOFF, type RetryBackoff } from './backoff.js';

export interface TimerSchedulerOptions {
  timers: TimerStore;
  clock: Clock;
  /** This process, `<instance>#<boot>`: never shared by two processes (timer-store.ts). */
  owner: string;
  /** By timer kind. A handler that throws is retried with backoff. */
  handlers: Readonly<Record<string, TimerHandler>>;
  logger: Logger;
  /** Pause between the end of one pass and the start of the next. */
  pollMs: number;
  /**
   * How long a claim holds without news from its holder. It is renewed every third of it while the
   * handler runs, so a long handler keeps its timer, and a crashed instance's timers go to another
   * instance about one lease after the crash.
   */
  leaseMs?: number;
  /** Timers claimed (and run concurrently) at a time. */
  batch?: number;
  backoff?: RetryBackoff;
  random?: () => number;
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_BATCH = 10;
/** Due times remembered for waking (a burst beyond this falls back on the poll). */
const MAX_WAKES = 10_000;
/**
 * Passes woken by due times start at least this far apart: in a storm (timers due every
 * millisecond) one pass takes what fell due meanwhile in full batches instead of a pass per timer
 * (scripts/bench-timers.ts). It adds at most this much lateness.
 */
const MIN_PASS_GAP_MS = 20;
/** Claims within one pass while batches come back full: drains a backlog without spinning forever. */
const MAX_ROUNDS = 50;

/**
 * Runs durable timers (docs/design.md "Reminders and expiry"). `start()` runs a pass at once, which
 * catches up on whatever fell due while the bot was down, then one every `pollMs` after the
 * previous pass ended. Passes never overlap; claims with a lease keep other instances (and this
 * one's next pass) off a timer while it runs.
 */
export class TimerScheduler {
  private readonly leaseMs: number;
  private readonly batch: number;
  private readonly backoff: RetryBackoff;
  private readonly random: () => number;
  private running = false;
  /** While stop() waits: the pass in flight finishes its round and claims no more. */
  private stopping = false;
  private next: NodeJS.Timeout | undefined;
  /** When `next` fires (epoch ms). */
  private nextAt = Number.POSITIVE_INFINITY;
  private inFlight: Promise<number> | undefined;
  private queued: Promise<number> | undefined;
  /**
   * Every due time this instance was told about (`wakeAt`), soonest first: when the soonest has been
   * served, the next pass is planned for the one after, not for the next poll.
   */
  private wakes: number[] = [];
  /** When the last woken pass started (epoch ms). */
  private lastTickAt = Number.NEGATIVE_INFINITY;
  /** Timers claimed by this instance whose handler is running (released at a shutdown that runs out of time). */
  private readonly handling = new Map<string, DurableTimer>();

  constructor(private readonly options: TimerSchedulerOptions) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.batch = Math.max(1, Math.floor(options.batch ?? DEFAULT_BATCH));
    this.backoff = options.backoff ?? TIMER_BACKOFF;
    this.random = options.random ?? Math.random;
  }

  /** Runs a pass now, then polls. Calling it again while running does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  /** Stops polling and resolves when the pass in flight (and one queued by `runDueNow`) has ended. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    clearTimeout(this.next);
    this.next = undefined;
    this.nextAt = Number.POSITIVE_INFINITY;
    this.wakes = [];
    while (this.queued ?? this.inFlight) await (this.queued ?? this.inFlight)?.catch(() => 0);
    this.stopping = false;
  }

  /**
   * Gives back the claims of timers whose handler is still running (a shutdown that ran out of
   * time): due at once and held by nobody, without counting an attempt, so another instance runs
   * them at its next poll instead of after the lease. A handler that still finishes here finds its
   * claim gone and records nothing; handlers are idempotent, so a second run does no harm.
   */
  async release(): Promise<number> {
    const { timers, clock, owner } = this.options;
    const held = [...this.handling.values()];
    const released = await Promise.all(held.map((timer) => timers.retryLater(timer.id, owner, clock.now(), { countAttempt: false }).catch(() => false)));
    return released.filter(Boolean).length;
  }

  /**
   * Brings the next pass forward to `due` when that is sooner than the next poll: a timer that this
   * instance just scheduled (or rescheduled) then runs on time instead of up to a poll late. Timers
   * written by other instances are still found by the periodic pass.
   */
  wakeAt(due: Date): void {
    if (!this.running) return;
    const now = this.options.clock.now().getTime();
    const at = Math.max(due.getTime(), now);
    // Due after the next poll: that poll finds it (and plans from the wakes left).
    if (at < now + this.options.pollMs) this.remember(at);
    if (at >= this.nextAt) return;
    this.plan(at - now);
  }

  /** Keeps `at` among the wakes (sorted, no duplicates, at most MAX_WAKES: the soonest win). */
  private remember(at: number): void {
    let low = 0;
    let high = this.wakes.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.wakes[mid]! < at) low = mid + 1;
      else high = mid;
    }
    if (this.wakes[low] === at) return;
    this.wakes.splice(low, 0, at);
    if (this.wakes.length > MAX_WAKES) this.wakes.length = MAX_WAKES;
  }

  /**
   * Runs every due timer now and resolves with how many runs that took. If a pass is in flight it
   * waits for it and then runs another (timers scheduled meanwhile are due too); callers that come
   * while that second pass is still waiting share it.
   */
  runDueNow(): Promise<number> {
    if (this.queued) return this.queued;
    if (!this.inFlight) return this.begin();
    const queued = this.inFlight
      .catch(() => 0)
      .then(() => {
        this.queued = undefined;
        return this.begin();
      });
    this.queued = queued;
    return queued;
  }

  private begin(): Promise<number> {
    const pass = this.pass().finally(() => {
      if (this.inFlight === pass) this.inFlight = undefined;
    });
    this.inFlight = pass;
    return pass;
  }

  private tick(): void {
    this.next = undefined;
    this.nextAt = Number.POSITIVE_INFINITY;
    // This pass serves every wake that is due by now.
    const started = this.options.clock.now().getTime();
    this.lastTickAt = started;
    const served = this.wakes.findIndex((at) => at > started);
    this.wakes.splice(0, served < 0 ? this.wakes.length : served);
    this.runDueNow()
      .then(() => this.rememberNextDue())
      .catch((error: unknown) => {
        this.options.logger.error({ err: error, owner: this.options.owner }, 'timer pass failed; trying again at the next poll');
      })
      .finally(() => {
        if (!this.running) return;
        const now = this.options.clock.now().getTime();
        const soonest = this.wakes[0];
        const wantedMs = soonest !== undefined && soonest < now + this.options.pollMs ? Math.max(0, soonest - now) : this.options.pollMs;
        // A pass planned meanwhile (a wake asked for while this one ran) stays only if it comes soon
        // enough: a later one would leave a sooner wake unserved until it (measured: a card update
        // that waited one second for nothing).
        if (this.next && this.nextAt <= now + wantedMs) return;
        this.plan(wantedMs);
      });
  }

  /**
   * The soonest timer in the store, whoever wrote it (another instance, or this one before a
   * restart), becomes a wake when it falls before the next poll.
   */
  private async rememberNextDue(): Promise<void> {
    const { timers, clock, owner, pollMs } = this.options;
    const now = clock.now();
    const soonest = await timers.nextDue(owner, now);
    if (soonest !== undefined && soonest.getTime() < now.getTime() + pollMs) this.remember(Math.max(soonest.getTime(), now.getTime()));
  }

  private plan(wantedMs: number): void {
    const delayMs = Math.max(wantedMs, this.lastTickAt + MIN_PASS_GAP_MS - this.options.clock.now().getTime());
    clearTimeout(this.next);
    this.nextAt = this.options.clock.now().getTime() + delayMs;
    this.next = setTimeout(() => this.tick(), Math.max(0, delayMs));
    this.next.unref();
  }

  private async pass(): Promise<number> {
    const { timers, clock, owner } = this.options;
    const seen = new Set<string>();
    let runs = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const claimed = await timers.claimDue(clock.now(), owner, this.leaseMs, this.batch);
      await Promise.all(claimed.map((timer) => this.handle(timer).finally(() => this.handling.delete(timer.id))));
      runs += claimed.length;
      const fresh = claimed.filter((timer) => !seen.has(timer.id));
      for (const timer of claimed) seen.add(timer.id);
      if (claimed.length < this.batch || fresh.length === 0 || this.stopping) break;
    }
    return runs;
  }

  /** Runs one claimed timer and settles it in the store; never throws. */
  private async handle(timer: DurableTimer): Promise<void> {
    const { timers, clock, owner, handlers } = this.options;
    const log = this.options.logger.child({ timerId: timer.id, kind: timer.kind, subject: timer.subject, attempts: timer.attempts });
    const handler = Object.hasOwn(handlers, timer.kind) ? handlers[timer.kind] : undefined;
    if (!handler) {
      log.error('no handler for this timer kind; dropping the timer');
      await this.settle(log, timers.complete(timer.id, owner));
      return;
    }
    let outcome: TimerOutcome;
    this.handling.set(timer.id, timer);
    const renewal = setInterval(
      () => {
        timers.renew(timer.id, owner, new Date(clock.now().getTime() + this.leaseMs)).then(
          (held) => held || log.warn('lost the claim on a running timer (cancelled, or taken over); its outcome will not be recorded'),
          (error: unknown) => log.warn({ err: error }, 'could not renew the lease of a running timer'),
        );
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    renewal.unref();
    try {
      outcome = await handler(timer);
    } catch (error) {
      const retryAt = new Date(clock.now().getTime() + retryDelay(timer.attempts, this.backoff, this.random));
      log.warn({ err: error, retryAt: retryAt.toISOString() }, 'timer failed; retrying later');
      await this.settle(log, timers.retryLater(timer.id, owner, retryAt));
      return;
    } finally {
      clearInterval(renewal);
    }
    if (outcome === 'done') await this.settle(log, timers.complete(timer.id, owner));
    else await this.settle(log, timers.retryLater(timer.id, owner, outcome.retryAt, { countAttempt: outcome.countAttempt ?? false }));
  }

  private async settle(log: Logger, write: Promise<boolean>): Promise<void> {
    try {
      // false: cancelled while it ran (the elevation ended) or taken over after the lease ran out.
      if (!(await write)) log.debug('timer no longer held by this instance');
    } catch (error) {
      log.error({ err: error }, 'could not record the timer outcome; it runs again when the claim is retaken');
    }
  }
}
