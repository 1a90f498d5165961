import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { openStore, StoreSpecError } from '../../../../src/adapters/store/open-store.js';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { SCHEMA_VERSION } from '../../../../src/adapters/store/sqlite-schema.js';
import type { ElevationRecord } from '../../../../src/domain/elevation.js';
import type { ElevationStore } from '../../../../src/ports/elevation-store.js';

const run = promisify(execFile);

function record(id: string, requester = 'user-1', createdAt = '2026-01-01T10:00:00.000Z'): ElevationRecord {
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

describe('SqliteElevationStore', () => {
  let dir: string;
  let path: string;
  const opened: ElevationStore[] = [];
  const open = (file = path) => {
    const store = SqliteElevationStore.open(file);
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-store-'));
    path = join(dir, 'nested', 'deeper', 'elevate.db');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the parent directory, the schema and WAL mode at open', () => {
    open();

    const db = new BetterSqlite3(path, { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.deepEqual(db.prepare('SELECT version FROM schema_version').all(), [{ version: SCHEMA_VERSION }]);
    } finally {
      db.close();
    }
  });

  it('creates an elevation at version 1 and refuses the same id twice', async () => {
    const store = open();

    const created = await store.createElevation(record('r1'));

    assert.equal(created.version, '1');
    await assert.rejects(store.createElevation(record('r1')), (error: Error & { code?: string }) => error.code === 'ElevationExists');
  });

  it('updates when the version matches and refuses a stale version', async () => {
    const store = open();
    const created = await store.createElevation(record('r1'));

    const first = await store.updateElevation({ ...record('r1'), state: 'activating' }, created.version);
    const stale = await store.updateElevation({ ...record('r1'), state: 'cancelled' }, created.version);

    assert.equal(first?.version, '2');
    assert.equal(stale, undefined);
    assert.equal((await store.getElevation('r1'))?.value.state, 'activating');
  });

  it('lets only one of two store instances on the same file win the same compare-and-swap', async () => {
    const a = open();
    const b = open();
    const created = await a.createElevation(record('r1'));
    const seenByB = await b.getElevation('r1');

    const winA = await a.updateElevation({ ...created.value, state: 'activating' }, created.version);
    const winB = await b.updateElevation({ ...created.value, state: 'cancelled' }, seenByB?.version ?? '');

    assert.ok(winA);
    assert.equal(winB, undefined);
    assert.equal((await b.getElevation('r1'))?.value.state, 'activating');
  });

  it('never loses an update when several processes race on the same document', async function () {
    this.timeout(60_000);
    const store = open();
    await store.putDocument('counter', { n: 0 });
    const racer = join(__dirname, 'cas-racer.ts');
    const startAt = String(Date.now() + 2500);

    const results = await Promise.all(
      [1, 2, 3].map(() => run(process.execPath, ['--require', 'tsx/cjs', racer, path, '100', startAt], { cwd: process.cwd(), timeout: 50_000 })),
    );

    const counter = await store.getDocument<{ n: number }>('counter');
    assert.equal(counter?.value.n, 300);
    assert.equal(counter?.version, '301');
    assert.deepEqual(
      results.map((r) => (JSON.parse(r.stdout) as { wins: number }).wins),
      [100, 100, 100],
    );
  });

  it('lists a requester elevations newest first', async () => {
    const store = open();
    await store.createElevation(record('old', 'user-1', '2026-01-01T09:00:00.000Z'));
    await store.createElevation(record('new', 'user-1', '2026-01-01T11:00:00.000Z'));
    await store.createElevation(record('other', 'user-2'));

    const list = await store.listElevationsByRequester('user-1');

    assert.deepEqual(
      list.map((v) => v.value.id),
      ['new', 'old'],
    );
  });

  it('puts a new document only once and updates it by version', async () => {
    const store = open();

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

  it('claims a key once, across store instances', async () => {
    const a = open();
    const b = open();
    const at = new Date('2026-01-01T10:00:00Z');

    const results = [await a.claimOnce('activity:1', at), await b.claimOnce('activity:1', at), await a.claimOnce('activity:2', at)];

    assert.deepEqual(results, [true, false, true]);
  });

  it('keeps everything after close and reopen', async () => {
    const first = open();
    const created = await first.createElevation(record('r1'));
    await first.updateElevation({ ...created.value, state: 'activating' }, created.version);
    await first.putDocument('doc', { a: 1 });
    await first.claimOnce('k', new Date());
    await first.close();

    const reopened = open();

    assert.deepEqual(await reopened.getElevation('r1'), { value: { ...created.value, state: 'activating' }, version: '2' });
    assert.deepEqual(await reopened.getDocument('doc'), { value: { a: 1 }, version: '1' });
    assert.equal(await reopened.claimOnce('k', new Date()), false);
  });
});

describe('openStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'elevate-open-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const [why, spec] of [
    ['a sqlite: spec', (d: string) => `sqlite:${join(d, 'a', 'x.db')}`],
    ['a bare path', (d: string) => join(d, 'b', 'y.db')],
  ] as const) {
    it(`opens SQLite for ${why}`, async () => {
      const store = await openStore(spec(dir));
      await store.putDocument('k', 1);
      await store.close();

      assert.ok(existsSync(spec(dir).replace(/^sqlite:/, '')));
    });
  }

  const refusals: { spec: string; message: RegExp }[] = [
    { spec: 'azuretables:DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0', message: /Azure Table Storage .*not implemented yet/ },
    { spec: 'postgres://db', message: /unknown store "postgres:"/ },
    { spec: 'sqlite:', message: /names no file/ },
  ];
  for (const { spec, message } of refusals) {
    it(`refuses ${spec.split(':')[0]}: clearly`, async () => {
      await assert.rejects(
        openStore(spec),
        (error: Error) => error instanceof StoreSpecError && message.test(error.message) && !error.message.includes('AccountKey'),
      );
    });
  }
});
