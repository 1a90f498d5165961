import assert from 'node:assert/strict';
import pino from 'pino';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { TimerScheduler } from '../../../../src/jobs/scheduler.js';
import type { Clock } from '../../../../src/ports/clock.js';
import { DeliveryError, type ChatAddress, type Messenger, type OutboundMessage, type PostedMessage } from '../../../../src/teams/chat.js';
import { Outbox, OUTBOX_KIND } from '../../../../src/teams/outbound/outbox.js';
import type { RateLimit } from '../../../../src/domain/rate-limits.js';
import type { TimerStore } from '../../../../src/ports/timer-store.js';

const CHAT: ChatAddress = { conversationId: 'a:adele', serviceUrl: 'https://smba.example/', conversationType: 'personal' };
const OTHER: ChatAddress = { conversationId: 'a:nestor', serviceUrl: 'https://smba.example/', conversationType: 'personal' };
const CHANNEL = {
  chat: { conversationId: '19:security@thread.tacv2', serviceUrl: 'https://smba.example/', conversationType: 'channel' },
  channelId: '19:security@thread.tacv2',
};

/** Records every call; `refuse` makes the next calls throw. */
class FakeMessenger implements Messenger {
  readonly calls: Array<{ op: string; conversation: string; text: string; at: number }> = [];
  refuse: Array<DeliveryError | Error> = [];
  /** While set, a send waits for it (Teams taking its time to answer). */
  hold: Promise<void> | undefined;
  constructor(private readonly clock: Clock) {}
  private record(op: string, conversation: string, text: string): void {
    const failure = this.refuse.shift();
    if (failure) throw failure;
    this.calls.push({ op, conversation, text, at: this.clock.now().getTime() });
  }
  async send(chat: ChatAddress, message: OutboundMessage): Promise<string> {
    await this.hold;
    this.record('send', chat.conversationId, 'text' in message ? message.text : JSON.stringify(message));
    return `m-${this.calls.length}`;
  }
  async replace(chat: ChatAddress, messageId: string, card: object): Promise<void> {
    this.record('replace', chat.conversationId, `${messageId}:${JSON.stringify(card)}`);
  }
  async startThread(channel: { chat: ChatAddress }, message: OutboundMessage): Promise<PostedMessage> {
    this.record('startThread', channel.chat.conversationId, 'text' in message ? message.text : '');
    return { chat: { ...channel.chat, conversationId: `${channel.chat.conversationId};messageid=${this.calls.length}` }, messageId: String(this.calls.length) };
  }
  async openPersonalChat(target: { aadObjectId: string }, message: OutboundMessage): Promise<PostedMessage> {
    this.record('openPersonalChat', target.aadObjectId, 'text' in message ? message.text : '');
    return { chat: { conversationId: `a:${target.aadObjectId}`, serviceUrl: 'https://smba.example/' }, messageId: 'p-1' };
  }
}

describe('Outbox: every proactive message written first, sent in order, paced, retried (issue #12)', () => {
  let nowMs: number;
  let store: SqliteElevationStore;
  let messenger: FakeMessenger;
  const clock: Clock = { now: () => new Date(nowMs), sleep: async (ms) => void (nowMs += ms) };

  function outboxWith(limits: readonly RateLimit[] = [], appRatePerSecond?: number, timers: TimerStore = store.timers(clock)) {
    const outbox = new Outbox({
      messenger,
      store,
      timers,
      clock,
      logger: pino({ level: 'silent' }),
      limits,
      random: () => 0.5,
      ...(appRatePerSecond ? { appRatePerSecond } : {}),
    });
    const scheduler = new TimerScheduler({
      timers,
      clock,
      owner: 'test',
      handlers: { [OUTBOX_KIND]: (timer) => outbox.deliver(timer) },
      logger: pino({ level: 'silent' }),
      pollMs: 60_000,
    });
    return { outbox, run: () => scheduler.runDueNow(), pending: async () => (await store.timers(clock).list()).length };
  }

  /** Runs due entries, moving the clock to the next due time, until the outbox is empty (or `limit` passes). */
  async function drain(run: () => Promise<number>, limit = 500): Promise<void> {
    for (let pass = 0; pass < limit; pass++) {
      await run();
      const next = (await store.timers(clock).list())[0];
      if (!next) return;
      nowMs = Math.max(nowMs, Date.parse(next.dueAt));
    }
  }

  beforeEach(() => {
    nowMs = Date.parse('2026-12-06T09:00:00Z');
    store = SqliteElevationStore.open(':memory:');
    messenger = new FakeMessenger(clock);
  });
  afterEach(() => store.close());

  it('keeps nothing in memory: a queued message is in the store until Teams took it', async () => {
    const { outbox, pending } = outboxWith();
    await outbox.send(CHAT, { text: 'reminder' });
    assert.equal(await pending(), 1);
    assert.equal(messenger.calls.length, 0, 'queued, not sent');
  });

  it('sends the messages of one conversation in the order they were queued, other conversations alongside', async () => {
    const { outbox, run } = outboxWith();
    for (const n of [1, 2, 3, 4, 5]) await outbox.send(CHAT, { text: `adele ${n}` });
    await outbox.send(OTHER, { text: 'nestor 1' });
    await drain(run);
    assert.deepEqual(
      messenger.calls.filter((c) => c.conversation === 'a:adele').map((c) => c.text),
      ['adele 1', 'adele 2', 'adele 3', 'adele 4', 'adele 5'],
    );
    assert.deepEqual(
      messenger.calls.filter((c) => c.conversation === 'a:nestor').map((c) => c.text),
      ['nestor 1'],
    );
  });

  it('sends the messages queued behind one it is delivering as soon as that one is out, not after their turn’s delay', async () => {
    // Teams' 60 per 30 s: a message behind another is looked at again after 500 ms per message ahead.
    const { outbox, run, pending } = outboxWith([{ count: 60, windowMs: 30_000 }]);
    for (const n of [1, 2, 3]) await outbox.send(CHAT, { text: `adele ${n}` });
    // Teams takes its time with the first: the two behind it are looked at while it is still going out.
    let answer = () => {};
    messenger.hold = new Promise<void>((resolve) => (answer = resolve));
    const first = run();
    await new Promise((resolve) => setTimeout(resolve, 10));
    messenger.hold = undefined;
    answer();
    await first;
    nowMs += 100;
    // Three passes 100 ms apart: room for the app-wide pace (20 ms between sends), not for a 500 ms wait.
    for (let pass = 0; pass < 3; pass++) {
      await run();
      nowMs += 100;
    }
    assert.deepEqual(
      messenger.calls.map((c) => c.text),
      ['adele 1', 'adele 2', 'adele 3'],
      'all three within 300 ms, in order',
    );
    assert.equal(await pending(), 0);
  });

  it('sends a message right after the one ahead of it that this instance was sending when it looked, in the same pass', async () => {
    // The race seen in the simulator: the second card update reads the queue while the first is still
    // going out; the first then hands its turn on, but the store leaves the claimed second one alone,
    // which would then wait half a second. Here the handing-on is made to come first every time, and
    // the delivered message stays in the store a moment after it went out.
    const inner = store.timers(clock);
    let lists = 0;
    let secondListed = () => {};
    const secondHasLooked = new Promise<void>((resolve) => (secondListed = resolve));
    let secondHandedOn = () => {};
    const handedOn = new Promise<void>((resolve) => (secondHandedOn = resolve));
    const isSecond = (t: { payload: Record<string, unknown> }) => String(t.payload['entry']).includes('adele 2');
    const ids = new Map<string, boolean>();
    const timers: TimerStore = {
      schedule: async (t) => {
        ids.set(t.id, isSecond(t));
        await inner.schedule(t);
        if (isSecond(t) && lists > 0) secondHandedOn();
      },
      claimDue: (...a) => inner.claimDue(...a),
      // A store that takes its time to remove a delivered message (Azure Tables: one HTTP call).
      complete: async (...a) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return inner.complete(...a);
      },
      nextDue: (...a) => inner.nextDue(...a),
      releaseEarlierRuns: (...a) => inner.releaseEarlierRuns(...a),
      renew: (...a) => inner.renew(...a),
      cancel: (...a) => inner.cancel(...a),
      list: async (subject) => {
        const listed = await inner.list(subject);
        if (++lists === 2) secondListed();
        return listed;
      },
      retryLater: async (id, owner, dueAt, options) => {
        if (ids.get(id)) await Promise.race([handedOn, new Promise((resolve) => setTimeout(resolve, 50))]);
        return inner.retryLater(id, owner, dueAt, options);
      },
    };
    const { outbox, run, pending } = outboxWith([{ count: 60, windowMs: 30_000 }], Infinity, timers);
    for (const n of [1, 2, 3]) await outbox.send(CHAT, { text: `adele ${n}` });
    messenger.hold = secondHasLooked;
    await run();
    assert.deepEqual(
      messenger.calls.map((c) => c.text),
      ['adele 1', 'adele 2', 'adele 3'],
      'all three in one pass, in order',
    );
    assert.equal(await pending(), 0);
  });

  it('sends a keyed message once, however often and by whomever it is queued, also after it was delivered', async () => {
    const { outbox, run } = outboxWith();
    await outbox.startThread(CHANNEL, { text: 'Adele elevated' }, { key: 'post:e1:active' });
    await outbox.startThread(CHANNEL, { text: 'Adele elevated' }, { key: 'post:e1:active' });
    await drain(run);
    await outbox.startThread(CHANNEL, { text: 'Adele elevated' }, { key: 'post:e1:active' });
    await drain(run);
    assert.equal(messenger.calls.length, 1);
  });

  it('sends only the newest of several queued updates of one card', async () => {
    const { outbox, run } = outboxWith();
    await outbox.replace(CHAT, 'card-1', { step: 'activating' });
    await outbox.replace(CHAT, 'card-1', { step: 'elevating' });
    await outbox.replace(CHAT, 'card-1', { step: 'active' });
    await drain(run);
    assert.deepEqual(
      messenger.calls.map((c) => c.text),
      ['card-1:{"step":"active"}'],
    );
  });

  it('stays under the rate limits: never more than the window allows, for a burst of 30', async () => {
    const limits = [
      { count: 7, windowMs: 1_000 },
      { count: 8, windowMs: 2_000 },
      { count: 20, windowMs: 30_000 },
    ];
    const { outbox, run } = outboxWith(limits);
    for (let n = 0; n < 30; n++) await outbox.startThread(CHANNEL, { text: `post ${n}` });
    await drain(run, 5_000);
    const times = messenger.calls.map((c) => c.at);
    assert.equal(times.length, 30);
    for (const { count, windowMs } of limits) {
      for (const t of times) assert.ok(times.filter((u) => u >= t && u < t + windowMs).length <= count, `at most ${count} per ${windowMs} ms`);
    }
    assert.deepEqual(
      messenger.calls.map((c) => c.text),
      Array.from({ length: 30 }, (_, n) => `post ${n}`),
    );
  });

  it('keeps to the app-wide pace across conversations, giving a backlog its send times once instead of trying it again and again', async () => {
    const { outbox, run } = outboxWith([], 10);
    for (let n = 0; n < 30; n++) await outbox.send({ ...CHAT, conversationId: `a:user-${n}` }, { text: `reminder ${n}` });
    const claims = () => store.timers(clock).list();

    await run();
    const sentAtOnce = messenger.calls.length;
    const waiting = await claims();
    await drain(run);

    assert.equal(sentAtOnce, 1, 'one now, the others at 100 ms apart');
    assert.deepEqual(
      waiting.map((t) => Date.parse(t.dueAt) - Date.parse('2026-12-06T09:00:00Z')),
      Array.from({ length: 29 }, (_, n) => (n + 1) * 100),
    );
    assert.equal(messenger.calls.length, 30);
    const gaps = messenger.calls.slice(1).map((c, n) => c.at - messenger.calls[n]!.at);
    assert.ok(
      gaps.every((gap) => gap >= 100),
      `at most 10 per second: ${gaps.join(',')}`,
    );
  });

  it('waits as long as Teams asks on 429, without counting it as a failure, and keeps the order', async () => {
    const { outbox, run } = outboxWith();
    messenger.refuse = [new DeliveryError('Teams answered 429', 429, 7_000)];
    const queuedAt = nowMs;
    await outbox.send(CHAT, { text: 'first' });
    await outbox.send(CHAT, { text: 'second' });
    await drain(run);
    assert.deepEqual(
      messenger.calls.map((c) => c.text),
      ['first', 'second'],
    );
    assert.ok(messenger.calls[0]!.at >= queuedAt + 7_000, 'sent after Retry-After');
  });

  it('retries a 502 with backoff and delivers it', async () => {
    const { outbox, run } = outboxWith();
    messenger.refuse = [new DeliveryError('Teams answered 502', 502), new DeliveryError('no answer from Teams', undefined)];
    await outbox.send(CHAT, { text: 'reminder' });
    await drain(run);
    assert.deepEqual(
      messenger.calls.map((c) => c.text),
      ['reminder'],
    );
  });

  it('tells the security channel once after three refusals, then drops a message Teams refuses for good (403)', async () => {
    const { outbox, run, pending } = outboxWith();
    const alerts: Array<{ conversation: string; status: number | undefined }> = [];
    outbox.whenFailing(async (notice) => void alerts.push({ conversation: notice.conversation, status: notice.status }));
    messenger.refuse = Array.from({ length: 10 }, () => new DeliveryError('Teams answered 403', 403));
    await outbox.send(CHAT, { text: 'to a user who removed the app' });
    await drain(run);
    assert.deepEqual(alerts, [{ conversation: 'a:adele', status: 403 }]);
    assert.equal(await pending(), 0, 'given up after five attempts');
    assert.equal(messenger.refuse.length, 5, 'five attempts made');
  });

  it('runs the hook after delivery with what Teams answered (the posted card to remember)', async () => {
    const { outbox, run } = outboxWith();
    const seen: Array<{ messageId: string; data: Record<string, string> }> = [];
    outbox.register('approvalPost', async (posted, data) => void seen.push({ messageId: posted.messageId, data }));
    await outbox.openPersonalChat(
      { serviceUrl: 'https://smba.example/', tenantId: 't', aadObjectId: 'approver-1' },
      { text: 'approve?' },
      { after: { hook: 'approvalPost', data: { elevationId: 'e1' } } },
    );
    await drain(run);
    assert.deepEqual(seen, [{ messageId: 'p-1', data: { elevationId: 'e1' } }]);
  });
});
