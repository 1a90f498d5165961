import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.js';
import type { DurableTimer, TimerHandler, TimerOutcome, TimerStore } from '../ports/timer-store.js';
import { retryDelay, TIMER_BACKOFF, type RetryBackoff } from './backoff.js';

export interface TimerSchedulerOptions {
  timers: TimerStore;
  clock: Clock;
  /** This instance; unique among instances sharing the store, stable across its restarts. */
  owner: string;
  /** By timer kind. A handler that throws is retried with backoff. */
  handlers: Readonly<Record<string, TimerHandler>>;
  logger: Logger;
  /** Pause between the end of one pass and the start of the next. */
  pollMs: number;
  /** How long a claim holds: must exceed the longest handler run, or another instance may run it too. */
  leaseMs?: number;
  /** Timers claimed (and run concurrently) at a time. */
  batch?: number;
  backoff?: RetryBackoff;
  random?: () => number;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_BATCH = 10;
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
    while (this.queued ?? this.inFlight) await (this.queued ?? this.inFlight)?.catch(() => 0);
    this.stopping = false;
  }

  /**
   * Brings the next pass forward to `due` when that is sooner than the next poll: a timer that this
   * instance just scheduled (or rescheduled) then runs on time instead of up to a poll late. Timers
   * written by other instances are still found by the periodic pass.
   */
  wakeAt(due: Date): void {
    if (!this.running) return;
    const at = Math.max(due.getTime(), this.options.clock.now().getTime());
    if (at >= this.nextAt) return;
    this.plan(at - this.options.clock.now().getTime());
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
    this.runDueNow()
      .catch((error: unknown) => {
        this.options.logger.error({ err: error, owner: this.options.owner }, 'timer pass failed; trying again at the next poll');
      })
      .finally(() => {
        if (!this.running || this.next) return;
        this.plan(this.options.pollMs);
      });
  }

  private plan(delayMs: number): void {
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
      await Promise.all(claimed.map((timer) => this.handle(timer)));
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
    const started = clock.now().getTime();
    let outcome: TimerOutcome;
    try {
      outcome = await handler(timer);
    } catch (error) {
      const retryAt = new Date(clock.now().getTime() + retryDelay(timer.attempts, this.backoff, this.random));
      log.warn({ err: error, retryAt: retryAt.toISOString() }, 'timer failed; retrying later');
      await this.settle(log, timers.retryLater(timer.id, owner, retryAt));
      return;
    }
    const tookMs = clock.now().getTime() - started;
    if (tookMs > this.leaseMs) log.warn({ tookMs, leaseMs: this.leaseMs }, 'timer ran longer than its lease; another instance may have run it too');
    if (outcome === 'done') await this.settle(log, timers.complete(timer.id, owner));
    else await this.settle(log, timers.retryLater(timer.id, owner, outcome.retryAt, { countAttempt: false }));
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
