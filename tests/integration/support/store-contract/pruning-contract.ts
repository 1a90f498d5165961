import assert from 'node:assert/strict';
import type { ContractContext } from './context.js';
import { record } from './elevation-store-contract.js';

const T0 = Date.parse('2026-01-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const ids = (list: { value: { id: string } }[]) => list.map((v) => v.value.id);

/** What housekeeping needs of every store: compare-and-swap deletes, drafts by age, claims pruned by age. */
export function describePruningContract(ctx: ContractContext): void {
  describe('ElevationStore: removing what is no longer needed', () => {
    it('deletes a document only at the version read, and lets its key be created again at version 1', async () => {
      const store = await ctx.open();
      const first = await store.putDocument('signins:u1', { n: 1 });
      const second = await store.putDocument('signins:u1', { n: 2 }, first?.version);

      assert.equal(await store.deleteDocument('signins:u1', first!.version), false, 'a stale version deletes nothing');
      assert.equal(await store.deleteDocument('signins:u1', 'W/"x"'), false);
      assert.deepEqual(await store.getDocument('signins:u1'), second);
      assert.equal(await store.deleteDocument('signins:u1', second!.version), true);
      assert.equal(await store.getDocument('signins:u1'), undefined);
      assert.equal(await store.deleteDocument('signins:u1', second!.version), false, 'nor a second time');
      assert.equal(await store.deleteDocument('never-there', '1'), false);
      assert.deepEqual(await store.putDocument('signins:u1', { n: 3 }), { value: { n: 3 }, version: '1' });
    });

    it('lets exactly one of an update and a delete from the same version win, across store instances', async () => {
      const [a, b] = [await ctx.open(), await ctx.open()];
      for (let round = 0; round < 4; round++) {
        const key = `doc-${round}`;
        const created = await a.putDocument(key, { round });
        const seenByB = await b.getDocument(key);

        const [updated, deleted] = await Promise.all([a.putDocument(key, { round, updated: true }, created!.version), b.deleteDocument(key, seenByB!.version)]);

        assert.notEqual(updated !== undefined, deleted, `round ${round}: exactly one wins`);
        assert.deepEqual(await b.getDocument(key), updated);
      }
    });

    it('deletes an elevation only at the version read, with every list it appeared in', async () => {
      const [store, other] = [await ctx.open(), await ctx.open()];
      const kept = await store.createElevation(record('kept'));
      const created = await store.createElevation(record('gone'));
      const moved = await other.updateElevation({ ...created.value, updatedAt: 'x' }, created.version);

      assert.equal(await store.deleteElevation('gone', created.version), false, 'changed meanwhile: stays');
      assert.equal(await store.deleteElevation('gone', 'W/"x"'), false);
      assert.equal(await store.deleteElevation('unknown', '1'), false);
      assert.deepEqual(await other.getElevation('gone'), moved);
      assert.equal(await other.deleteElevation('gone', moved!.version), true);

      for (const client of [store, other]) {
        assert.equal(await client.getElevation('gone'), undefined);
        assert.deepEqual(await client.listElevationsByRequester('user-1'), [kept]);
        assert.deepEqual(await client.listElevationsInStates(['draft']), [kept]);
        assert.equal(await client.updateElevation({ ...moved!.value, state: 'activating' }, moved!.version), undefined, 'no update brings it back');
      }
      assert.equal(await store.deleteElevation('gone', moved!.version), false);
    });

    it('lets exactly one of a submit (update) and a delete of the same draft win', async () => {
      const [a, b] = [await ctx.open(), await ctx.open()];
      for (let round = 0; round < 4; round++) {
        const created = await a.createElevation(record(`r${round}`));
        const [submitted, deleted] = await Promise.all([
          a.updateElevation({ ...created.value, state: 'activating' }, created.version),
          b.deleteElevation(created.value.id, created.version),
        ]);

        assert.notEqual(submitted !== undefined, deleted, `round ${round}: exactly one wins`);
        assert.deepEqual(await b.getElevation(created.value.id), submitted);
        assert.deepEqual(ids(await b.listElevationsInStates(['activating', 'draft'])).includes(created.value.id), submitted !== undefined);
      }
    });

    it('lists elevations created before a time, oldest first, at most `limit`, across pages', async () => {
      const store = await ctx.open();
      const count = ctx.kind.pageSize * 2 + 3;
      for (let n = 0; n < count; n++) await store.createElevation(record(`d${String(n).padStart(2, '0')}`, `user-${n % 3}`, at(n).toISOString()));
      const active = await store.createElevation({ ...record('active-old', 'user-1', at(-5).toISOString()), state: 'active' });

      const before10 = await store.listElevationsInStates(['draft'], { createdBefore: at(10) });
      const oldestThree = await store.listElevationsInStates(['draft', 'active'], { createdBefore: at(10), limit: 3 });
      const bounded = await store.listElevationsInStates(['draft'], { limit: ctx.kind.pageSize + 1 });

      assert.deepEqual(
        ids(before10),
        Array.from({ length: 10 }, (_, n) => `d${String(n).padStart(2, '0')}`),
        'created exactly at the time is not before it',
      );
      assert.deepEqual(ids(oldestThree), ['active-old', 'd00', 'd01']);
      assert.deepEqual(oldestThree[0], active);
      assert.deepEqual(ids(bounded), ids(before10).slice(0, ctx.kind.pageSize + 1));
      assert.deepEqual(await store.listElevationsInStates(['draft'], { createdBefore: at(-100) }), []);
      assert.deepEqual(await store.listElevationsInStates(['draft'], { limit: 0 }), []);
    });

    it('prunes claims made before a time, at most `limit` a call, and a pruned key can be claimed again', async () => {
      const [store, other] = [await ctx.open(), await ctx.open()];
      const old = ctx.kind.pageSize * 2 + 2;
      for (let n = 0; n < old; n++) await store.claimOnce(`activity:a:${n}`, at(-60 * 24 * 15 + n));
      await store.claimOnce('post:e1:active', at(0));
      await store.claimOnce('activity:a:new', at(1));

      const first = await other.pruneClaims(at(0), ctx.kind.pageSize + 1);
      const rest = await other.pruneClaims(at(0), 1000);
      const nothingLeft = await store.pruneClaims(at(0), 1000);

      assert.equal(first, ctx.kind.pageSize + 1);
      assert.equal(rest, old - first);
      assert.equal(nothingLeft, 0);
      assert.equal(await store.pruneClaims(at(5), 0), 0, 'a limit of 0 removes nothing');
      assert.equal(await store.claimOnce('post:e1:active', at(2)), false, 'a claim made at the time itself stays');
      assert.equal(await store.claimOnce('activity:a:new', at(2)), false);
      assert.equal(await other.claimOnce('activity:a:0', at(2)), true, 'a pruned key is new again');
    });
  });
}
