import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../ports/clock.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { DurableTimer, TimerOutcome, TimerStore } from '../../ports/timer-store.js';
import { retryDelay, type RetryBackoff } from '../../jobs/backoff.js';
import { DeliveryError, type ChatAddress, type Courier, type Messenger, type OutboundMessage, type PostedMessage, type QueueOptions } from '../chat.js';
import type { RateLimit } from '../../domain/rate-limits.js';
import { Pacer } from './pacer.js';

/** Durable timer kind of an outbox entry: one proactive message not yet delivered. */
export const OUTBOX_KIND = 'outbox';

type Delivery =
  | { op: 'send'; chat: ChatAddress; message: OutboundMessage }
  | { op: 'replace'; chat: ChatAddress; messageId: string; card: object }
  | { op: 'startThread'; channel: { chat: ChatAddress; channelId: string }; message: OutboundMessage }
  | { op: 'openPersonalChat'; target: { serviceUrl: string; tenantId: string; aadObjectId: string }; message: OutboundMessage };

interface Entry {
  /** Order within the conversation: when it was queued, then a per-process counter. */
  seq: string;
  delivery: Delivery;
  after?: { hook: string; data: Record<string, string> };
}

/** Runs after a delivery with what Teams answered; a failure is logged (the message is not sent again). */
export type DeliveryHook = (posted: PostedMessage, data: Record<string, string>) => Promise<void>;

/** Told once when a conversation keeps refusing a message (the notifier alerts the security channel). */
export type FailingDelivery = (notice: { id: string; conversation: string; op: Delivery['op']; status: number | undefined; attempts: number }) => Promise<void>;

export interface OutboxOptions {
  messenger: Messenger;
  store: Pick<ElevationStore, 'getDocument' | 'putDocument' | 'claimOnce' | 'hasClaim'>;
  timers: TimerStore;
  clock: Clock;
  logger: Logger;
  /** Send budget per conversation (TEAMS_RATE_LIMITS unless configured). */
  limits: readonly RateLimit[];
  /**
   * Messages per second this instance sends in all (Teams allows a bot 50 per second per tenant,
   * simulator connector.ts). Default 50; with several instances Teams' 429 paces the excess.
   */
  appRatePerSecond?: number;
  random?: () => number;
}

/** Teams' limit for a bot across all conversations of a tenant (simulator connector.ts). */
const TEAMS_APP_RATE_PER_SECOND = 50;
/** Failed attempts after which the security channel is told. */
const ALERT_AFTER = 3;
/** Attempts after which a message is dropped (logged): Teams refused it for good (400, 403, 404, 413)... */
const GIVE_UP_REFUSED = 5;
/** ...or kept failing for about an hour of backoff (5xx, 412, no answer). */
const GIVE_UP_TRANSIENT = 12;
/** 2-4 s after the first failure, doubling up to 15-30 min. */
const OUTBOX_BACKOFF: RetryBackoff = { baseMs: 4_000, capMs: 30 * 60_000 };

/**
 * Every proactive message Elevate sends (docs/design.md "Notifications"): written to the store as a
 * durable timer before it is sent, so a crash or a refusal never loses it; delivered by whichever
 * instance's scheduler claims it (a lease keeps the others off), in order per conversation, within
 * Teams' rate limits for all instances together (`Pacer`), with `Retry-After` honoured on 429 and
 * backoff on 412/5xx. A keyed message is sent once: a `sent:` claim is written after Teams took it,
 * so only an instance dying between the send and that write causes one resend.
 */
export class Outbox implements Courier {
  private readonly hooks = new Map<string, DeliveryHook>();
  private readonly pacer: Pacer;
  private readonly spacingMs: number;
  private failing: FailingDelivery | undefined;
  private counter = 0;
  /** Entries this process queued that it has not seen delivered (for a shutdown that sends them first). */
  private readonly queuedHere = new Set<string>();
  /** Deliveries this instance is making right now, by timer id (a message behind one of them waits for it). */
  private readonly delivering = new Map<string, Promise<TimerOutcome>>();
  /** Per conversation lane: entries this instance delivered whose timers the scheduler may not have removed yet. */
  private readonly finished = new Map<string, Set<string>>();
  /** The app-wide pace: the next free send time, and the slots handed to entries that wait for theirs. */
  private appNextMs = 0;
  private readonly appSlots = new Map<string, number>();

  constructor(private readonly options: OutboxOptions) {
    this.pacer = new Pacer(options.store, options.limits);
    // How far apart waiting messages are looked at again: the steadiest short-window pace (500 ms for Teams' 60 per 30 s).
    this.spacingMs = Math.max(50, ...options.limits.filter((l) => l.windowMs <= 60_000).map((l) => Math.ceil(l.windowMs / l.count)));
  }

  /** A hook named in `QueueOptions.after`; register every hook before the scheduler starts. */
  register(hook: string, run: DeliveryHook): void {
    this.hooks.set(hook, run);
  }

  whenFailing(alert: FailingDelivery): void {
    this.failing = alert;
  }

  send(chat: ChatAddress, message: OutboundMessage, options?: QueueOptions): Promise<void> {
    return this.enqueue(chat.conversationId, { op: 'send', chat, message }, options);
  }

  replace(chat: ChatAddress, messageId: string, card: object, options?: QueueOptions): Promise<void> {
    return this.enqueue(chat.conversationId, { op: 'replace', chat, messageId, card }, options);
  }

  startThread(channel: { chat: ChatAddress; channelId: string }, message: OutboundMessage, options?: QueueOptions): Promise<void> {
    return this.enqueue(channel.chat.conversationId, { op: 'startThread', channel, message }, options);
  }

  openPersonalChat(target: { serviceUrl: string; tenantId: string; aadObjectId: string }, message: OutboundMessage, options?: QueueOptions): Promise<void> {
    return this.enqueue(`personal:${target.aadObjectId}`, { op: 'openPersonalChat', target, message }, options);
  }

  private async enqueue(conversation: string, delivery: Delivery, options: QueueOptions = {}): Promise<void> {
    const id = options.key ? `outbox:${digest(options.key)}` : `outbox:${randomUUID()}`;
    // Keyed and already delivered: queued again by a redelivery, a retry or another instance.
    if (options.key && (await this.options.store.hasClaim(sentKey(id)))) return;
    const entry: Entry = { seq: this.nextSeq(), delivery, ...(options.after ? { after: options.after } : {}) };
    this.queuedHere.add(id);
    // A keyed message queued again after an earlier one of the same key was superseded is a new entry.
    this.finished.get(laneOf(conversation))?.delete(id);
    await this.options.timers.schedule({
      id,
      kind: OUTBOX_KIND,
      subject: laneOf(conversation),
      dueAt: this.options.clock.now().toISOString(),
      payload: { seq: entry.seq, entry: JSON.stringify(entry) },
    });
  }

  /**
   * At shutdown, after the last work queued its messages: runs `pass` (the scheduler's) until every
   * message this process queued is delivered, or until `deadline`; what is left goes with the next instance.
   */
  async flush(pass: () => Promise<number>, deadline: number): Promise<number> {
    while (this.queuedHere.size > 0 && this.options.clock.now().getTime() < deadline) {
      if ((await pass()) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.queuedHere.size;
  }

  /** Timer handler (`outbox`): delivers the entry when it is the oldest of its conversation and the budget allows. */
  async deliver(timer: DurableTimer): Promise<TimerOutcome> {
    const attempt = this.attempt(timer, true);
    this.delivering.set(timer.id, attempt);
    let outcome: TimerOutcome;
    try {
      outcome = await attempt;
    } finally {
      if (this.delivering.get(timer.id) === attempt) this.delivering.delete(timer.id);
    }
    if (outcome === 'done') {
      this.queuedHere.delete(timer.id);
      const lane = this.finished.get(timer.subject) ?? new Set<string>();
      this.finished.set(timer.subject, lane.add(timer.id));
      // A lane that gets no more messages is never read again: the oldest lanes are let go past a bound.
      if (this.finished.size > MAX_FINISHED_LANES) this.finished.delete(this.finished.keys().next().value!);
    }
    return outcome;
  }

  private async attempt(timer: DurableTimer, mayWait: boolean): Promise<TimerOutcome> {
    const entry = JSON.parse(String(timer.payload['entry'])) as Entry;
    const now = this.options.clock.now().getTime();
    if (await this.options.store.hasClaim(sentKey(timer.id))) return 'done';
    const listed = (await this.options.timers.list(timer.subject)).filter((t) => t.kind === OUTBOX_KIND);
    const queue = this.withoutFinished(timer.subject, listed, timer.id).sort(bySeq);
    const position = queue.findIndex((t) => t.id === timer.id);
    // Earlier messages of this conversation go first; look again when this one's turn may have come.
    if (position > 0) return this.waitYourTurn(timer, queue, position, now, mayWait);
    if (isSuperseded(entry, queue)) return this.next(queue, position, now);
    // Over the app-wide pace (a storm of reminders): a send time of its own, once, so a backlog waits
    // without being claimed again and again (the messages behind it wait for its new due time).
    const appSlot = this.appSlot(timer.id, now);
    if (appSlot > now) return { retryAt: new Date(appSlot) };
    const slot = await this.pacer.reserve(timer.subject, now);
    if (slot !== 'go') return { retryAt: new Date(slot.notBefore) };
    let posted: PostedMessage | undefined;
    try {
      posted = await this.transmit(entry.delivery);
    } catch (error) {
      return this.failed(timer, entry, error);
    } finally {
      await this.pacer.settle(timer.subject, now, this.options.clock.now().getTime());
    }
    await this.options.store.claimOnce(sentKey(timer.id), new Date(now));
    if (timer.attempts > 0)
      this.options.logger.info({ outboxId: timer.id, op: entry.delivery.op, attempts: timer.attempts }, 'outbox message delivered after retries');
    await this.runHook(entry, posted, timer.id);
    return this.next(queue, position, now);
  }

  private appSlot(id: string, now: number): number {
    const reserved = this.appSlots.get(id);
    if (reserved !== undefined && reserved <= now) {
      this.appSlots.delete(id);
      return now;
    }
    if (reserved !== undefined) return reserved;
    const slot = Math.max(now, this.appNextMs);
    this.appNextMs = slot + 1000 / (this.options.appRatePerSecond ?? TEAMS_APP_RATE_PER_SECOND);
    if (slot > now) this.appSlots.set(id, slot);
    return slot;
  }

  /**
   * A message behind others of its conversation. The one ahead hands its turn on when it is done
   * (`next`), but the store leaves a timer that is being looked at right now alone, so a message read
   * while the one ahead was still going out would wait out its safety delay (half a second per message
   * ahead, measured: a success card 1.5 s late). When the messages ahead are being delivered by this
   * instance, this one waits for them here and then looks once more; else (another instance has them)
   * it looks again after the delay.
   */
  private async waitYourTurn(timer: DurableTimer, queue: readonly DurableTimer[], position: number, now: number, mayWait: boolean): Promise<TimerOutcome> {
    const ahead = queue.slice(0, position).flatMap((t) => this.delivering.get(t.id) ?? []);
    if (mayWait && ahead.length > 0) {
      // Bounded: a send that hangs must not hold this one (and its claim) for long.
      const waited = await Promise.race([Promise.allSettled(ahead).then(() => true), delay(WAIT_FOR_AHEAD_MS).then(() => false)]);
      if (waited) return this.attempt(timer, false);
    }
    return { retryAt: new Date(Math.max(now, Date.parse(queue[0]!.dueAt)) + position * this.spacingMs) };
  }

  /**
   * The queue without the entries this instance just delivered (their timers are removed by the
   * scheduler a moment later); an id no longer listed is forgotten.
   */
  private withoutFinished(subject: string, listed: DurableTimer[], self: string): DurableTimer[] {
    const finished = this.finished.get(subject);
    if (!finished) return listed;
    const ids = new Set(listed.map((t) => t.id));
    for (const id of finished) if (!ids.has(id)) finished.delete(id);
    if (finished.size === 0) this.finished.delete(subject);
    return listed.filter((t) => t.id === self || !finished.has(t.id));
  }

  /** This entry is done: the next message of its conversation may go at once (it was put back while this one was first). */
  private async next(queue: readonly DurableTimer[], position: number, now: number): Promise<'done'> {
    const next = queue[position + 1];
    if (next) await this.options.timers.schedule({ ...next, dueAt: new Date(now).toISOString() });
    return 'done';
  }

  private async transmit(delivery: Delivery): Promise<PostedMessage | undefined> {
    const { messenger } = this.options;
    switch (delivery.op) {
      case 'send': {
        const messageId = await messenger.send(delivery.chat, delivery.message);
        return messageId ? { chat: delivery.chat, messageId } : undefined;
      }
      case 'replace':
        await messenger.replace(delivery.chat, delivery.messageId, delivery.card);
        return { chat: delivery.chat, messageId: delivery.messageId };
      case 'startThread':
        return messenger.startThread(delivery.channel, delivery.message);
      case 'openPersonalChat':
        return messenger.openPersonalChat(delivery.target, delivery.message);
    }
  }

  private async failed(timer: DurableTimer, entry: Entry, error: unknown): Promise<TimerOutcome> {
    const now = this.options.clock.now().getTime();
    const status = error instanceof DeliveryError ? error.status : undefined;
    const log = this.options.logger.child({ outboxId: timer.id, op: entry.delivery.op, status, attempts: timer.attempts + 1 });
    if (status === 429) {
      // Throttled, not refused: wait as Teams asks (or back off) without counting it as a failure.
      const wait =
        error instanceof DeliveryError && error.retryAfterMs !== undefined ? error.retryAfterMs : retryDelay(timer.attempts, OUTBOX_BACKOFF, this.random);
      log.info({ retryInMs: wait }, 'Teams throttled a message: waiting');
      return { retryAt: new Date(now + wait) };
    }
    const attempts = timer.attempts + 1;
    const refused = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 412;
    log.warn({ err: error instanceof DeliveryError ? error.message : error }, 'Teams did not take a message: retrying later');
    if (attempts === ALERT_AFTER) {
      const conversation = timer.subject.slice(LANE.length);
      await this.failing?.({ id: timer.id, conversation, op: entry.delivery.op, status, attempts }).catch((alertError: unknown) => {
        log.error({ err: alertError }, 'could not alert about a failing delivery');
      });
    }
    if (attempts >= (refused ? GIVE_UP_REFUSED : GIVE_UP_TRANSIENT)) {
      log.error('message dropped: Teams kept refusing it');
      return 'done';
    }
    return { retryAt: new Date(now + retryDelay(attempts - 1, OUTBOX_BACKOFF, this.random)), countAttempt: true };
  }

  private async runHook(entry: Entry, posted: PostedMessage | undefined, id: string): Promise<void> {
    if (!entry.after) return;
    const hook = this.hooks.get(entry.after.hook);
    if (!hook || !posted) {
      this.options.logger.error({ outboxId: id, hook: entry.after.hook }, 'no hook (or no message id) for a delivered message');
      return;
    }
    await hook(posted, entry.after.data).catch((error: unknown) => {
      this.options.logger.error({ err: error, outboxId: id, hook: entry.after?.hook }, 'a delivery hook failed');
    });
  }

  private random = (): number => (this.options.random ?? Math.random)();

  /** Sortable: epoch ms (15 digits), then a counter, so messages queued in the same millisecond keep their order. */
  private nextSeq(): string {
    this.counter = (this.counter + 1) % 1_000_000;
    return `${String(this.options.clock.now().getTime()).padStart(15, '0')}.${String(this.counter).padStart(6, '0')}`;
  }
}

const LANE = 'lane:';

/** Conversations whose delivered entries are remembered (`finished`) before the oldest is let go. */
const MAX_FINISHED_LANES = 10_000;

/**
 * How long a message waits in-process for the ones ahead of it that this instance is sending: well
 * under the scheduler's lease (renewed while it waits), past any answer Teams gives in time.
 */
const WAIT_FOR_AHEAD_MS = 10_000;

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

function laneOf(conversation: string): string {
  return `${LANE}${conversation}`;
}

function sentKey(id: string): string {
  return `sent:${id}`;
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}

function bySeq(a: DurableTimer, b: DurableTimer): number {
  const x = String(a.payload['seq'] ?? '');
  const y = String(b.payload['seq'] ?? '');
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A card update with a newer update of the same message behind it: only the newest needs sending. */
function isSuperseded(entry: Entry, queue: readonly DurableTimer[]): boolean {
  const delivery = entry.delivery;
  if (delivery.op !== 'replace') return false;
  return queue.slice(1).some((later) => {
    const next = (JSON.parse(String(later.payload['entry'])) as Entry).delivery;
    return next.op === 'replace' && next.messageId === delivery.messageId;
  });
}
