import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openStore, StoreSpecError } from '../../../../src/adapters/store/open-store.js';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { SCHEMA_VERSION } from '../../../../src/adapters/store/sqlite-schema.js';
import type { ElevationStore } from '../../../../src/ports/elevation-store.js';

/** What only SQLite has; the port's behaviour is in the store contract (tests/integration/store-contract.test.ts). */
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

  const refusals: { why: string; spec: string; message: RegExp }[] = [
    { why: 'an unknown scheme', spec: 'postgres://db', message: /unknown store "postgres:"/ },
    { why: 'sqlite: without a path', spec: 'sqlite:', message: /names no file/ },
    { why: 'azuretables: without an account', spec: 'azuretables: ', message: /names no account/ },
    { why: 'an http endpoint', spec: 'azuretables:http://x.table.core.windows.net', message: /must be https/ },
    {
      why: 'a SAS in the endpoint URL',
      spec: 'azuretables:https://x.table.core.windows.net/?sv=2024&sig=c2VjcmV0',
      message: /put a SAS in a connection string/,
    },
    { why: 'a connection string without a key', spec: 'azuretables:DefaultEndpointsProtocol=https;AccountName=x', message: /needs AccountName and AccountKey/ },
    {
      why: 'a connection string sending the data over http to another host',
      spec: 'azuretables:AccountName=x;AccountKey=c2VjcmV0;TableEndpoint=http://x.example:10002/x',
      message: /must be https \(http is allowed for a local Azurite only\)/,
    },
    {
      why: 'a table endpoint that is no URL',
      spec: 'azuretables:AccountName=x;AccountKey=c2VjcmV0;TableEndpoint=::',
      message: /TableEndpoint is not a valid URL/,
    },
  ];
  for (const { why, spec, message } of refusals) {
    it(`refuses ${why} clearly, without repeating secrets`, async () => {
      await assert.rejects(
        openStore(spec),
        (error: Error) => error instanceof StoreSpecError && message.test(error.message) && !error.message.includes('c2VjcmV0'),
      );
    });
  }
});
