import assert from 'node:assert/strict';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { AzureTablesStore } from '../../src/adapters/store/azure-tables-store.js';
import { auditLogOf, openStore, timerStoreOf } from '../../src/adapters/store/open-store.js';
import type { ElevationRecord } from '../../src/domain/elevation.js';
import { freshTablePrefix, useAzurite } from '../support/azurite.js';
import { record } from './support/store-contract/elevation-store-contract.js';

/** What only the Azure Tables store has; the port's behaviour is in the store contract (store-contract.test.ts). */
describe('Azure Tables store (Azurite)', function () {
  this.timeout(30_000);
  const azurite = useAzurite();
  const location = () => ({ kind: 'connectionString' as const, connectionString: azurite().connectionString });

  it('opens from ELEVATE_STORE=azuretables:<connection string>, creating its tables, with its audit log and timers', async () => {
    const store = await openStore(`azuretables:${azurite().connectionString}`);
    await store.createElevation(record('r1'));
    await auditLogOf(store).append({ type: 'requested', at: '2026-03-01T10:00:00.000Z', details: {} });
    await timerStoreOf(store).schedule({ id: 't1', kind: 'reminder', subject: 'r1', dueAt: '2026-03-01T10:00:00.000Z', payload: {} });

    const service = TableServiceClient.fromConnectionString(azurite().connectionString, { allowInsecureConnection: true });
    const names: string[] = [];
    for await (const table of service.listTables()) if (table.name?.startsWith('elevate')) names.push(table.name);

    assert.ok(store instanceof AzureTablesStore);
    assert.deepEqual(names.sort(), ['elevateAudit', 'elevateClaims', 'elevateDocuments', 'elevateElevations', 'elevateTimers']);
    assert.equal((await auditLogOf(await openStore(`azuretables:${azurite().connectionString}`)).list()).length, 1);
  });

  it('refuses a value longer than 256,000 characters clearly and writes nothing of it', async () => {
    const store = await AzureTablesStore.open(location(), { tablePrefix: freshTablePrefix() });
    const huge = 'x'.repeat(256_001);
    const created = await store.createElevation(record('r1'));

    const refusals = await Promise.allSettled([
      store.createElevation({ ...record('r2'), justification: huge }),
      store.updateElevation({ ...created.value, justification: huge }, created.version),
      store.putDocument('doc', { huge }),
      store.timers().schedule({ id: 't1', kind: 'channelPost', subject: 'o1', dueAt: '2026-03-01T10:00:00.000Z', payload: { card: huge } }),
      store.auditLog().append({ type: 'requested', at: '2026-03-01T10:00:00.000Z', details: { justification: huge } }),
    ]);

    for (const refusal of refusals) {
      assert.equal(refusal.status, 'rejected');
      assert.equal((refusal as PromiseRejectedResult).reason.code, 'StoreValueTooLarge');
    }
    assert.equal(await store.getElevation('r2'), undefined);
    assert.deepEqual(await store.getElevation('r1'), created);
    assert.equal(await store.getDocument('doc'), undefined);
    assert.deepEqual(await store.timers().list(), []);
    assert.deepEqual(await store.auditLog().list(), []);
  });

  it('keeps a record and both its index copies in step, and reads a version from a list as good as one by id', async () => {
    const prefix = freshTablePrefix();
    const store = await AzureTablesStore.open(location(), { tablePrefix: prefix });
    const created = await store.createElevation(record('r1'));
    const [listed] = await store.listElevationsByRequester('user-1');
    const moved = await store.updateElevation({ ...listed!.value, state: 'activating' }, listed!.version);
    const stale = await store.updateElevation({ ...created.value, state: 'cancelled' }, created.version);

    const table = TableClient.fromConnectionString(azurite().connectionString, `${prefix}Elevations`, { allowInsecureConnection: true });
    const rows: { rowKey?: string; v?: unknown; state?: unknown }[] = [];
    for await (const row of table.listEntities<{ v: number; state: string }>()) rows.push(row);

    assert.equal(moved?.version, '2');
    assert.equal(stale, undefined);
    assert.deepEqual(rows.map((r) => [r.rowKey?.split('|')[0], r.v, r.state]).sort(), [
      ['id', 2, 'activating'],
      ['req', 2, 'activating'],
      ['state', 2, 'activating'],
    ]);
  });

  it('reads a timer whose removal was cut short (a tombstone left by a crash) as no timer, and schedules its id again', async () => {
    const prefix = freshTablePrefix();
    const store = await AzureTablesStore.open(location(), { tablePrefix: prefix });
    const table = TableClient.fromConnectionString(azurite().connectionString, `${prefix}Timers`, { allowInsecureConnection: true });
    await table.createEntity({ partitionKey: 'timers', rowKey: 'id|t1', id: 't1', gone: true });
    const timers = store.timers();

    const before = await timers.complete('t1', 'a');
    await timers.schedule({ id: 't1', kind: 'reminder', subject: 'e1', dueAt: '2026-03-01T10:00:00.000Z', payload: { n: 1 } });

    assert.equal(before, false);
    assert.deepEqual(await timers.list('e1'), [
      { id: 't1', kind: 'reminder', subject: 'e1', dueAt: '2026-03-01T10:00:00.000Z', attempts: 0, payload: { n: 1 } },
    ]);
  });

  it('sorts elevations created in the same instant by id, like SQLite', async () => {
    const store = await AzureTablesStore.open(location(), { tablePrefix: freshTablePrefix() });
    for (const id of ['b', 'a', 'c']) await store.createElevation({ ...record(id), state: 'active' } as ElevationRecord);

    assert.deepEqual(
      (await store.listElevationsInStates(['active'])).map((v) => v.value.id),
      ['a', 'b', 'c'],
    );
  });
});
