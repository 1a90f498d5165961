import assert from 'node:assert/strict';
import type { ElevationRecord } from '../../../../src/domain/elevation.js';
import type { ContractContext } from './context.js';
import { race } from './stores.js';

export function record(id: string, requester = 'user-1', createdAt = '2026-01-01T10:00:00.000Z'): ElevationRecord {
  return {
    id,
    state: 'draft',
    requester: { aadObjectId: requester, name: 'Adele', tenantId: 't' },
    environment: { id: 'env-1', displayName: 'Contoso Prod' },
    options: [],
    createdAt,
    updatedAt: createdAt,
    history: [{ at: createdAt, state: 'draft' }],
  };
}

const minute = (n: number) => new Date(Date.parse('2026-01-01T10:00:00.000Z') + n * 60_000).toISOString();

/** ElevationStore: elevations, documents and claims. */
export function describeElevationStoreContract(ctx: ContractContext): void {
  describe('ElevationStore', () => {
    it('creates an elevation at version 1 and refuses the same id twice', async () => {
      const store = await ctx.open();

      const created = await store.createElevation(record('r1'));

      assert.equal(created.version, '1');
      await assert.rejects(store.createElevation(record('r1')), (error: Error & { code?: string }) => error.code === 'ElevationExists');
    });

    it('updates when the version matches and refuses a stale version', async () => {
      const store = await ctx.open();
      const created = await store.createElevation(record('r1'));

      const first = await store.updateElevation({ ...record('r1'), state: 'activating' }, created.version);
      const stale = await store.updateElevation({ ...record('r1'), state: 'cancelled' }, created.version);

      assert.equal(first?.version, '2');
      assert.equal(stale, undefined);
      assert.equal((await store.getElevation('r1'))?.value.state, 'activating');
    });

    it('refuses an update of an unknown elevation or with a version that was never issued', async () => {
      const store = await ctx.open();
      await store.createElevation(record('r1'));

      assert.equal(await store.updateElevation(record('nope'), '1'), undefined);
      assert.equal(await store.updateElevation({ ...record('r1'), state: 'failed' }, 'W/"datetime\'x\'"'), undefined);
      assert.equal(await store.updateElevation({ ...record('r1'), state: 'failed' }, '7'), undefined);
      assert.deepEqual(await store.getElevation('r1'), { value: record('r1'), version: '1' });
    });

    it('lets only one of two store instances win the same compare-and-swap', async () => {
      const a = await ctx.open();
      const b = await ctx.open();
      const created = await a.createElevation(record('r1'));
      const seenByB = await b.getElevation('r1');

      const winA = await a.updateElevation({ ...created.value, state: 'activating' }, created.version);
      const winB = await b.updateElevation({ ...created.value, state: 'cancelled' }, seenByB?.version ?? '');

      assert.ok(winA);
      assert.equal(winB, undefined);
      assert.equal((await b.getElevation('r1'))?.value.state, 'activating');
    });

    it('lets exactly one of many concurrent updates from the same version win', async () => {
      const clients = await Promise.all([ctx.open(), ctx.open(), ctx.open()]);
      const created = await clients[0]!.createElevation(record('r1'));

      const results = await Promise.all(
        Array.from({ length: 9 }, (_, n) =>
          clients[n % 3]!.updateElevation({ ...created.value, state: 'activating', updatedAt: `winner ${n}` }, created.version),
        ),
      );

      const winners = results.filter((r) => r !== undefined);
      assert.equal(winners.length, 1);
      assert.deepEqual(await clients[1]!.getElevation('r1'), winners[0]);
    });

    it('never loses an update when several processes race on the same document', async function () {
      this.timeout(120_000);
      const store = await ctx.open();
      await store.putDocument('counter', { n: 0 });
      const startAt = String(Date.now() + 3000);

      const results = await Promise.all([1, 2, 3].map(() => race('cas', ctx.locator(), '100', startAt)));

      const counter = await store.getDocument<{ n: number }>('counter');
      assert.equal(counter?.value.n, 300);
      assert.equal(counter?.version, '301');
      assert.deepEqual(
        results.map((stdout) => (JSON.parse(stdout) as { wins: number }).wins),
        [100, 100, 100],
      );
    });

    it('lists a requester elevations newest first', async () => {
      const store = await ctx.open();
      await store.createElevation(record('old', 'user-1', '2026-01-01T09:00:00.000Z'));
      await store.createElevation(record('new', 'user-1', '2026-01-01T11:00:00.000Z'));
      await store.createElevation(record('other', 'user-2'));

      const list = await store.listElevationsByRequester('user-1');

      assert.deepEqual(
        list.map((v) => v.value.id),
        ['new', 'old'],
      );
    });

    it('lists more of a requester elevations than one page holds, newest first, ties by id, with versions that update', async () => {
      const store = await ctx.open();
      const count = ctx.kind.pageSize * 2 + 3;
      for (let n = 0; n < count; n++) await store.createElevation(record(`e${String(n).padStart(2, '0')}`, 'user-1', minute(Math.floor(n / 2))));
      await store.createElevation(record('someone-else', 'user-2'));

      const list = await store.listElevationsByRequester('user-1');
      const updated = await store.updateElevation({ ...list[0]!.value, state: 'activating' }, list[0]!.version);

      const expected = Array.from({ length: count }, (_, n) => `e${String(n).padStart(2, '0')}`).sort(
        (a, b) => Math.floor(Number(b.slice(1)) / 2) - Math.floor(Number(a.slice(1)) / 2) || (a < b ? -1 : 1),
      );
      assert.deepEqual(
        list.map((v) => v.value.id),
        expected,
      );
      assert.equal(updated?.version, '2');
      assert.equal((await store.listElevationsByRequester('user-1'))[0]?.value.state, 'activating');
    });

    it('lists elevations in given states oldest first, following every change of state', async () => {
      const store = await ctx.open();
      const count = ctx.kind.pageSize * 2 + 1;
      for (let n = 0; n < count; n++) {
        const created = await store.createElevation(record(`e${String(n).padStart(2, '0')}`, `user-${n % 3}`, minute(count - n)));
        const next = n % 3 === 0 ? 'active' : n % 3 === 1 ? 'activating' : 'elevating';
        await store.updateElevation({ ...created.value, state: next }, created.version);
      }
      const moving = await store.getElevation('e00');
      await store.updateElevation({ ...moving!.value, state: 'ended' }, moving!.version);

      const unfinished = await store.listElevationsInStates(['activating', 'elevating']);
      const active = await store.listElevationsInStates(['active']);

      assert.equal(unfinished.length + active.length, count - 1);
      assert.deepEqual(
        unfinished.map((v) => v.value.createdAt),
        unfinished.map((v) => v.value.createdAt).sort(),
      );
      assert.ok(unfinished.every((v) => v.value.state === 'activating' || v.value.state === 'elevating'));
      assert.ok(active.every((v) => v.value.state === 'active' && v.version === '2'));
      assert.ok(!active.some((v) => v.value.id === 'e00'));
      assert.deepEqual(await store.listElevationsInStates(['ended']), [{ value: { ...moving!.value, state: 'ended' }, version: '3' }]);
      assert.deepEqual(await store.listElevationsInStates([]), []);
    });

    it('puts a new document only once and updates it by version', async () => {
      const store = await ctx.open();

      const first = await store.putDocument('channel', { id: 'c1' });
      const again = await store.putDocument('channel', { id: 'c2' });
      const updated = await store.putDocument('channel', { id: 'c3' }, first?.version);
      const stale = await store.putDocument('channel', { id: 'c4' }, first?.version);

      assert.equal(first?.version, '1');
      assert.equal(again, undefined);
      assert.equal(updated?.version, '2');
      assert.equal(stale, undefined);
      assert.deepEqual((await store.getDocument('channel'))?.value, { id: 'c3' });
    });

    it('keeps documents apart whose keys hold characters that Azure keys may not (/, \\, #, ?, |, %, quotes)', async () => {
      const store = await ctx.open();
      const keys = ['conversation:a/b', 'conversation:a\\b', 'x#1?y', 'p|q', '100%', "it's", 'conversation:19:abc@thread.tacv2;messageid=1'];

      for (const [n, key] of keys.entries()) assert.ok(await store.putDocument(key, { n }));

      for (const [n, key] of keys.entries()) assert.deepEqual(await store.getDocument(key), { value: { n }, version: '1' });
      assert.equal(await store.getDocument('conversation:a'), undefined);
    });

    it('claims a key once, across store instances', async () => {
      const a = await ctx.open();
      const b = await ctx.open();
      const at = new Date('2026-01-01T10:00:00Z');

      const results = [await a.claimOnce('activity:1', at), await b.claimOnce('activity:1', at), await a.claimOnce('activity:2', at)];

      assert.deepEqual(results, [true, false, true]);
    });

    it('gives a claim to exactly one of many concurrent claimers', async () => {
      const clients = await Promise.all([ctx.open(), ctx.open()]);

      const results = await Promise.all(Array.from({ length: 10 }, (_, n) => clients[n % 2]!.claimOnce('activity:x', new Date())));

      assert.equal(results.filter(Boolean).length, 1);
    });

    it('stores values longer than one Azure property holds (32,000 characters) and reads them back unchanged', async () => {
      const store = await ctx.open();
      const long = `${'é'.repeat(40_000)}😀${'x'.repeat(50_000)}😀`;
      const created = await store.createElevation({ ...record('r1'), justification: long } as ElevationRecord);
      const updated = await store.updateElevation({ ...created.value, state: 'activating' }, created.version);
      await store.putDocument('big', { text: long });

      assert.equal((await store.getElevation('r1'))?.value.justification, long);
      assert.deepEqual((await store.listElevationsByRequester('user-1'))[0], updated);
      assert.deepEqual((await store.listElevationsInStates(['activating']))[0], updated);
      assert.deepEqual((await store.getDocument('big'))?.value, { text: long });
    });

    it('keeps everything after close and reopen', async () => {
      const first = await ctx.open();
      const created = await first.createElevation(record('r1'));
      await first.updateElevation({ ...created.value, state: 'activating' }, created.version);
      await first.putDocument('doc', { a: 1 });
      await first.claimOnce('k', new Date());
      await first.close();

      const reopened = await ctx.open();

      assert.deepEqual(await reopened.getElevation('r1'), { value: { ...created.value, state: 'activating' }, version: '2' });
      assert.deepEqual(await reopened.getDocument('doc'), { value: { a: 1 }, version: '1' });
      assert.equal(await reopened.claimOnce('k', new Date()), false);
    });
  });
}
