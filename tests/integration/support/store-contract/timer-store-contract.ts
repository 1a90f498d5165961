import assert from 'node:assert/strict';
import type { Clock } from '../../../../src/ports/clock.js';
import type { DurableTimer, TimerStore } from '../../../../src/ports/timer-store.js';
import type { ContractContext } from './context.js';
import { race } from './stores.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const MINUTE = 60_000;

function at(ms: number): Date {
  return new Date(ms);
}

function timer(id: string, dueMs: number, overrides: Partial<Omit<DurableTimer, 'attempts'>> = {}): Omit<DurableTimer, 'attempts'> {
  return { id, kind: 'reminder', subject: 'e-1', dueAt: at(dueMs).toISOString(), payload: { minutesBefore: 15 }, ...overrides };
}

const ids = (timers: DurableTimer[]) => timers.map((t) => t.id);

/** TimerStore: durable timers, claims with leases, owners. */
export function describeTimerStoreContract(ctx: ContractContext): void {
  describe('TimerStore', () => {
    let nowMs: number;
    const clock: Clock = { now: () => at(nowMs), sleep: async () => undefined };
    const open = async (): Promise<TimerStore> => (await ctx.open()).timers(clock);

    beforeEach(() => {
      nowMs = T0;
    });

    it('keeps one timer when the same id is scheduled twice, with the later due time and payload', async () => {
      const timers = await open();

      await timers.schedule(timer('t1', T0 + 5 * MINUTE));
      await timers.schedule(timer('t1', T0 + 9 * MINUTE, { payload: { minutesBefore: 5 } }));

      assert.deepEqual(await timers.list(), [{ ...timer('t1', T0 + 9 * MINUTE, { payload: { minutesBefore: 5 } }), attempts: 0 }]);
    });

    it('normalises the due time to an ISO instant whatever spelling the caller used', async () => {
      const timers = await open();

      await timers.schedule({ ...timer('t1', 0), dueAt: '2026-03-01T11:00:00+01:00' });

      assert.equal((await timers.list())[0]?.dueAt, '2026-03-01T10:00:00.000Z');
      await assert.rejects(timers.schedule({ ...timer('t2', 0), dueAt: 'soon' }), RangeError);
    });

    it('leaves a held timer alone when it is scheduled again, until its lease has run out', async () => {
      const timers = await open();
      await timers.schedule(timer('t1', T0));
      await timers.claimDue(at(T0), 'a', MINUTE, 10);

      await timers.schedule(timer('t1', T0 + 30 * MINUTE));
      const whileHeld = await timers.list();
      nowMs = T0 + 2 * MINUTE;
      await timers.schedule(timer('t1', T0 + 30 * MINUTE));

      assert.equal(whileHeld[0]?.dueAt, at(T0).toISOString());
      assert.equal((await timers.list())[0]?.dueAt, at(T0 + 30 * MINUTE).toISOString());
      assert.equal(await timers.complete('t1', 'a'), false, 'the rescheduled timer is no longer the old holder’s');
    });

    it('claims only timers that are due, oldest first, up to the limit', async () => {
      const timers = await open();
      await timers.schedule(timer('later', T0 + MINUTE));
      await timers.schedule(timer('second', T0 - MINUTE));
      await timers.schedule(timer('first', T0 - 2 * MINUTE));
      await timers.schedule(timer('third', T0));

      const firstBatch = await timers.claimDue(at(T0), 'a', MINUTE, 2);
      const secondBatch = await timers.claimDue(at(T0), 'b', MINUTE, 2);

      assert.deepEqual(ids(firstBatch), ['first', 'second']);
      assert.deepEqual(ids(secondBatch), ['third']);
      assert.deepEqual(firstBatch[0], { ...timer('first', T0 - 2 * MINUTE), attempts: 0 });
    });

    it('lets another owner claim a timer only after the holder’s lease has expired', async () => {
      const timers = await open();
      await timers.schedule(timer('t1', T0));
      await timers.claimDue(at(T0), 'a', MINUTE, 10);

      const duringLease = await timers.claimDue(at(T0 + MINUTE), 'b', MINUTE, 10);
      const afterLease = await timers.claimDue(at(T0 + MINUTE + 1), 'b', MINUTE, 10);

      assert.deepEqual(ids(duringLease), []);
      assert.deepEqual(ids(afterLease), ['t1']);
      assert.equal(await timers.complete('t1', 'a'), false);
      assert.equal(await timers.complete('t1', 'b'), true);
    });

    it('gives an owner back its own claims at once, as after a restart of that instance', async () => {
      const timers = await open();
      await timers.schedule(timer('t1', T0));
      await timers.claimDue(at(T0), 'a', 10 * MINUTE, 10);

      assert.deepEqual(ids(await timers.claimDue(at(T0 + MINUTE), 'a', 10 * MINUTE, 10)), ['t1']);
    });

    it('renews a lease only for the owner that holds it, keeping other owners off until the new end', async () => {
      const timers = await open();
      await timers.schedule(timer('t1', T0));
      await timers.claimDue(at(T0), 'a', MINUTE, 10);

      assert.equal(await timers.renew('t1', 'b', at(T0 + 10 * MINUTE)), false);
      assert.equal(await timers.renew('t1', 'a', at(T0 + 10 * MINUTE)), true);
      assert.equal(await timers.renew('gone', 'a', at(T0 + 10 * MINUTE)), false);
      const afterOldLease = await timers.claimDue(at(T0 + 5 * MINUTE), 'b', MINUTE, 10);
      const afterNewLease = await timers.claimDue(at(T0 + 10 * MINUTE + 1), 'b', MINUTE, 10);

      assert.deepEqual([ids(afterOldLease), ids(afterNewLease)], [[], ['t1']]);
      assert.equal(await timers.renew('t1', 'a', at(T0 + 20 * MINUTE)), false, 'taken over: the old holder cannot extend it');
    });

    it('tells when the soonest timer becomes claimable: its due time, or the end of another owner’s lease', async () => {
      const timers = await open();
      assert.equal(await timers.nextDue('a', at(T0)), undefined);
      await timers.schedule(timer('later', T0 + 10 * MINUTE));
      await timers.schedule(timer('held', T0 - MINUTE));
      await timers.claimDue(at(T0), 'b', 2 * MINUTE, 1);

      assert.equal((await timers.nextDue('a', at(T0)))?.toISOString(), at(T0 + 2 * MINUTE + 1).toISOString(), 'b holds it until T0+2 min');
      assert.equal((await timers.nextDue('b', at(T0)))?.toISOString(), at(T0 - MINUTE).toISOString(), 'its own claim is claimable at once');
      assert.equal((await timers.nextDue('a', at(T0 + 3 * MINUTE)))?.toISOString(), at(T0 - MINUTE).toISOString(), 'the lease ran out');
    });

    it('gives back the claims of earlier runs of an instance at its start, not those of other instances or of the current run', async () => {
      const timers = await open();
      // Claimed one at a time in id order: t1 by boot b1, t2 by b0, t3 by the current boot b2, t4 by bot-2, t5 by bot-10.
      for (const id of ['t1-old-boot', 't2-older-boot', 't3-this-boot', 't4-other-instance', 't5-prefix-lookalike']) await timers.schedule(timer(id, T0));
      await timers.claimDue(at(T0), 'bot-1#b1', 10 * MINUTE, 1);
      await timers.claimDue(at(T0), 'bot-1#b0', 10 * MINUTE, 1);
      await timers.claimDue(at(T0), 'bot-1#b2', 10 * MINUTE, 1);
      await timers.claimDue(at(T0), 'bot-2#b9', 10 * MINUTE, 1);
      await timers.claimDue(at(T0), 'bot-10#b1', 10 * MINUTE, 1);

      assert.equal(await timers.releaseEarlierRuns('bot-1', 'bot-1#b2'), 2);
      const claimable = await timers.claimDue(at(T0 + MINUTE), 'bot-3#b1', MINUTE, 10);

      assert.deepEqual(ids(claimable), ['t1-old-boot', 't2-older-boot']);
      assert.deepEqual(
        claimable.map((t) => t.attempts),
        [0, 0],
      );
    });

    it('completes or retries a timer only for the owner that holds it', async () => {
      const timers = await open();
      await timers.schedule(timer('t1', T0));
      await timers.schedule(timer('t2', T0));
      await timers.claimDue(at(T0), 'a', MINUTE, 10);

      assert.equal(await timers.complete('t1', 'b'), false);
      assert.equal(await timers.retryLater('t2', 'b', at(T0 + 5 * MINUTE)), false);
      assert.equal(await timers.complete('t1', 'a'), true);
      assert.equal(await timers.retryLater('t2', 'a', at(T0 + 5 * MINUTE)), true);
      assert.equal(await timers.complete('t1', 'a'), false, 'already gone');
      assert.deepEqual(await timers.list(), [{ ...timer('t2', T0 + 5 * MINUTE), attempts: 1 }]);
    });

    it('releases a retried timer so that anyone may claim it when it is due again', async () => {
      const timers = await open();
      await timers.schedule(timer('t1', T0));
      await timers.claimDue(at(T0), 'a', 10 * MINUTE, 10);
      await timers.retryLater('t1', 'a', at(T0 + MINUTE));

      const early = await timers.claimDue(at(T0 + MINUTE - 1), 'b', MINUTE, 10);
      const due = await timers.claimDue(at(T0 + MINUTE), 'b', MINUTE, 10);

      assert.deepEqual(ids(early), []);
      assert.deepEqual(
        due.map((t) => [t.id, t.attempts]),
        [['t1', 1]],
      );
    });

    it('postpones without counting an attempt when asked to', async () => {
      const timers = await open();
      await timers.schedule(timer('t1', T0));
      await timers.claimDue(at(T0), 'a', MINUTE, 10);

      await timers.retryLater('t1', 'a', at(T0 + 30 * MINUTE), { countAttempt: false });

      assert.deepEqual(await timers.list(), [{ ...timer('t1', T0 + 30 * MINUTE), attempts: 0 }]);
    });

    it('cancels the timers of one subject, optionally only some kinds, held or not', async () => {
      const timers = await open();
      await timers.schedule(timer('r1', T0, { subject: 'e-1', kind: 'reminder' }));
      await timers.schedule(timer('x1', T0, { subject: 'e-1', kind: 'expiry' }));
      await timers.schedule(timer('r2', T0, { subject: 'e-2', kind: 'reminder' }));
      await timers.schedule(timer('x2', T0, { subject: 'e-2', kind: 'expiry' }));
      await timers.claimDue(at(T0), 'a', MINUTE, 10);

      const onlyReminders = await timers.cancel('e-1', ['reminder']);
      const none = await timers.cancel('e-1', []);
      const rest = await timers.cancel('e-2');

      assert.deepEqual([onlyReminders, none, rest], [1, 0, 2]);
      assert.deepEqual(ids(await timers.list()), ['x1']);
    });

    it('lists the timers of one subject by due time', async () => {
      const timers = await open();
      await timers.schedule(timer('late', T0 + MINUTE, { subject: 'e-1' }));
      await timers.schedule(timer('early', T0, { subject: 'e-1' }));
      await timers.schedule(timer('other', T0, { subject: 'e-2' }));

      assert.deepEqual(ids(await timers.list('e-1')), ['early', 'late']);
      assert.deepEqual(ids(await timers.list()), ['early', 'other', 'late']);
    });

    it('keeps timers across a reopen of the store', async () => {
      const first = await ctx.open();
      await first.timers(clock).schedule(timer('t1', T0));
      await first.close();

      assert.deepEqual(ids(await (await open()).list()), ['t1']);
    });

    it('never hands one timer to two store instances at once', async () => {
      const a = await open();
      const b = await open();
      for (let n = 0; n < 20; n++) await a.schedule(timer(`t${String(n).padStart(2, '0')}`, T0 - n));

      const claims = await Promise.all([a, b, a, b].map((store, i) => store.claimDue(at(T0), `owner-${i}`, MINUTE, 6)));

      const all = claims.flatMap(ids);
      assert.equal(all.length, 20);
      assert.equal(new Set(all).size, 20);
    });

    it('never hands one timer to two of several processes racing to claim on the same store', async function () {
      this.timeout(120_000);
      const timers = await open();
      for (let n = 0; n < 300; n++) await timers.schedule({ ...timer(`t${n}`, 0), dueAt: new Date(Date.now() - n).toISOString() });
      const startAt = String(Date.now() + 3000);

      const results = await Promise.all(['p1', 'p2', 'p3'].map((owner) => race('timer', ctx.locator(), owner, startAt, '7')));

      const claimed = results.map((stdout) => JSON.parse(stdout) as string[]);
      const all = claimed.flat();
      assert.equal(all.length, 300, 'every timer claimed');
      assert.equal(new Set(all).size, 300, 'none claimed twice');
      const retried = claimed.reduce((sum, mine) => sum + Math.ceil(mine.length / 2), 0);
      const left = await timers.list();
      assert.equal(left.length, retried, 'completed ones gone, retried ones kept');
      assert.ok(left.every((t) => t.attempts === 1));
    });

    it('claims across pages, skipping timers another owner holds, and lists every timer by due time', async () => {
      const timers = await open();
      const count = ctx.kind.pageSize * 3;
      for (let n = 0; n < count; n++) await timers.schedule(timer(`t${String(n).padStart(2, '0')}`, T0 - count + n));
      const held = await timers.claimDue(at(T0), 'a', MINUTE, ctx.kind.pageSize + 2);

      const rest = await timers.claimDue(at(T0), 'b', MINUTE, count);
      const all = await timers.list();

      assert.deepEqual(
        ids(held),
        Array.from({ length: ctx.kind.pageSize + 2 }, (_, n) => `t${String(n).padStart(2, '0')}`),
      );
      assert.deepEqual(
        ids(rest),
        Array.from({ length: count - held.length }, (_, n) => `t${String(n + held.length).padStart(2, '0')}`),
      );
      assert.deepEqual(
        ids(all),
        Array.from({ length: count }, (_, n) => `t${String(n).padStart(2, '0')}`),
      );
    });

    it('keeps a payload longer than one Azure property holds', async () => {
      const timers = await open();
      const card = JSON.stringify({ body: [{ type: 'TextBlock', text: 'ü'.repeat(70_000) }] });
      await timers.schedule(timer('post', T0, { payload: { card, summary: 'long' } }));

      const [claimed] = await timers.claimDue(at(T0), 'a', MINUTE, 1);

      assert.equal(claimed?.payload.card, card);
      assert.deepEqual((await timers.list('e-1'))[0]?.payload, { card, summary: 'long' });
    });

    it('schedules an id again after it was completed or cancelled', async () => {
      const timers = await open();
      await timers.schedule(timer('t1', T0));
      await timers.claimDue(at(T0), 'a', MINUTE, 1);
      await timers.complete('t1', 'a');
      await timers.schedule(timer('t1', T0 + MINUTE));
      await timers.cancel('e-1');
      await timers.schedule(timer('t1', T0 + 2 * MINUTE));

      assert.deepEqual(await timers.list(), [{ ...timer('t1', T0 + 2 * MINUTE), attempts: 0 }]);
      assert.deepEqual(ids(await timers.claimDue(at(T0 + 2 * MINUTE), 'b', MINUTE, 5)), ['t1']);
    });
  });
}
