import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableServiceClient } from '@azure/data-tables';
import { AzureTablesStore } from '../../src/adapters/store/azure-tables-store.js';
import { SqliteElevationStore } from '../../src/adapters/store/sqlite-elevation-store.js';
import BetterSqlite3 from 'better-sqlite3';
import { UnsealedAuditLogError } from '../../src/domain/audit.js';
import { auditKeysEnv, ROTATED_AUDIT_KEY, testAuditKeys } from '../support/audit-keys.js';
import { startAzurite, type RunningAzurite } from '../support/azurite.js';
import { writeLegacyAuditStore } from '../support/legacy-audit-store.js';
import { collectStored, verifyStored } from './support/store-contract/audit-support.js';
import { record } from './support/store-contract/elevation-store-contract.js';

const CLI = join(__dirname, '..', '..', 'src', 'store-copy-cli.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const keys = testAuditKeys();
/** The bot's audit keys, which the tool verifies the copied chain with. */
const KEYS = { ELEVATE_AUDIT_KEYS: auditKeysEnv() };

/** Runs the real tool (TypeScript through tsx) as a child process, as `npm run store:copy` would. */
function storeCopy(args: string[], env: Record<string, string> = KEYS): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (typeof code !== 'number') reject(error ?? new Error('no exit code'));
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/** A SQLite store with some of everything: 3 elevations, 2 documents, 2 claims, 2 timers (one held, one retried), 450 sealed audit entries. */
async function seed(path: string): Promise<void> {
  const store = SqliteElevationStore.open(path);
  const first = await store.createElevation(record('e1', 'user-1', '2026-03-01T09:00:00.000Z'));
  await store.updateElevation({ ...first.value, state: 'active' }, first.version);
  await store.createElevation(record('e2', 'user-1', '2026-03-01T09:30:00.000Z'));
  await store.createElevation(record('e3', 'user-2'));
  await store.putDocument('channel', { id: '19:sec@thread.tacv2' });
  await store.putDocument('conversation:a/b', { user: 'x' });
  await store.claimOnce('activity:1', new Date(T0));
  await store.claimOnce('activity:2', new Date(T0));
  const timers = store.timers();
  await timers.schedule({ id: 'reminder:e1', kind: 'reminder', subject: 'e1', dueAt: new Date(T0).toISOString(), payload: { minutesBefore: 15 } });
  await timers.schedule({ id: 'expiry:e1', kind: 'expiry', subject: 'e1', dueAt: new Date(T0).toISOString(), payload: {} });
  await timers.claimDue(new Date(T0), 'instance-a', 60_000, 2);
  await timers.retryLater('expiry:e1', 'instance-a', new Date(T0 + 60_000));
  const log = store.auditLog(keys.sealer);
  for (let n = 0; n < 450; n++)
    await log.append({ type: 'reminded', at: new Date(T0 + n).toISOString(), actor: { aadObjectId: `user-${n % 3}` }, details: { n } });
  await store.close();
}

describe('npm run store:copy (SQLite into Azurite)', function () {
  this.timeout(90_000);
  let dir: string;
  let source: string;
  let azurite: RunningAzurite;
  let to: string;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'elevate-copy-'));
    source = join(dir, 'elevate.db');
    await seed(source);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    azurite = await startAzurite();
    to = `azuretables:${azurite.connectionString}`;
  });
  afterEach(async () => azurite.stop());

  const target = () => AzureTablesStore.open({ kind: 'connectionString', connectionString: azurite.connectionString });

  it('counts in a dry run and writes nothing, never printing the account key', async () => {
    const run = await storeCopy(['--from', `sqlite:${source}`, '--to', to, '--dry-run']);

    const service = TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true });
    const tables: unknown[] = [];
    for await (const table of service.listTables()) tables.push(table);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /dry run: nothing written/);
    assert.match(run.stdout, /elevations\s+3\n\s+documents\s+2\n\s+claims\s+2\n\s+timers\s+2\n\s+audit entries\s+450\n/);
    assert.deepEqual(tables, []);
    assert.ok(!run.stdout.includes('Eby8vdM02') && !run.stderr.includes('Eby8vdM02'));
  });

  it('copies everything, the audit chain verbatim and verified, and copies only what is missing when run again', async () => {
    const first = await storeCopy(['--from', source, '--to', to]);
    const again = await storeCopy(['--from', source, '--to', to]);

    const copy = await target();
    const original = SqliteElevationStore.open(source);
    try {
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /elevations\s+3\s+3\n\s+documents\s+2\s+2\n\s+claims\s+2\s+2\n\s+timers\s+2\s+2\n\s+audit entries\s+450\s+450\n/);
      assert.match(first.stdout, /audit chain verified in the target with the audit keys: 450 entries/);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /elevations\s+3\s+0\n\s+documents\s+2\s+0\n\s+claims\s+2\s+0\n\s+timers\s+2\s+0\n\s+audit entries\s+450\s+0\n/);
      for (const id of ['e1', 'e2', 'e3']) assert.deepEqual((await copy.getElevation(id))?.value, (await original.getElevation(id))?.value);
      assert.deepEqual(
        (await copy.listElevationsInStates(['active'])).map((v) => v.value.id),
        ['e1'],
      );
      assert.deepEqual(await copy.getDocument('conversation:a/b'), { value: { user: 'x' }, version: '1' });
      assert.equal(await copy.claimOnce('activity:2', new Date()), false);
      assert.deepEqual(await copy.timers().list(), await original.timers().list());
      const copied = await collectStored(copy.auditLog());
      assert.deepEqual(copied, await collectStored(original.auditLog()), 'text, seq, hashes, key ids and filter values verbatim');
      assert.deepEqual(await verifyStored(copied, keys), { ok: true, count: 450, unkeyed: 0, last: { seq: 450, hash: copied[449]?.hash, keyId: 'test-1' } });
      assert.deepEqual(
        (await copy.auditLog().list({ aadObjectId: 'user-1', limit: 2 })).map((entry) => entry.seq),
        [446, 449],
      );
      assert.deepEqual(
        (await copy.timers().claimDue(new Date(T0), 'instance-b', 60_000, 5)).map((t) => t.id),
        ['reminder:e1'],
        'a timer held in the source is copied as held by nobody',
      );
    } finally {
      await original.close();
    }
  });

  it('refuses to append to an audit log that is not the source’s, with exit code 1', async () => {
    await (await target()).auditLog(keys.sealer).append({ type: 'requested', at: new Date(T0).toISOString(), details: { other: true } });

    const run = await storeCopy(['--from', `sqlite:${source}`, '--to', to]);

    assert.equal(run.code, 1);
    assert.match(run.stderr, /the target's audit entry #1 is not the source's/);
  });

  it('refuses, with exit code 1 and nothing copied, a source chain that does not verify with the configured audit keys', async () => {
    const otherKey = await storeCopy(['--from', source, '--to', to], { ELEVATE_AUDIT_KEYS: auditKeysEnv(ROTATED_AUDIT_KEY) });
    const tamperedPath = join(dir, 'tampered.db');
    await seed(tamperedPath);
    const db = new BetterSqlite3(tamperedPath);
    db.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET event = replace(event, '"n":7', '"n":8') WHERE seq = 8`);
    db.close();
    const tampered = await storeCopy(['--from', tamperedPath, '--to', to]);

    const copy = await target();
    assert.equal(otherKey.code, 1, otherKey.stderr);
    assert.match(
      otherKey.stderr,
      /the source's audit chain is broken at entry #1: sealed with key "test-1", which is not among the configured audit keys; nothing was copied/,
    );
    assert.equal(tampered.code, 1, tampered.stderr);
    assert.match(tampered.stderr, /the source's audit chain is broken at entry #8: seal mismatch under key "test-1"/);
    assert.deepEqual(await collectStored(copy.auditLog()), []);
    assert.equal(await copy.getElevation('e1'), undefined);
  });

  it('copies a log written before audit keys as it is, and Elevate on the target seals it before anything else', async () => {
    const legacyPath = join(dir, 'legacy.db');
    const legacy = writeLegacyAuditStore(legacyPath).rows;

    const run = await storeCopy(['--from', legacyPath, '--to', to]);

    const log = (await target()).auditLog(keys.sealer);
    const head = legacy.at(-1)!;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`its ${legacy.length} entries were written before audit keys; Elevate seals them when it starts on the target`));
    assert.deepEqual(
      (await collectStored(log)).map(({ index: _index, ...entry }) => entry),
      legacy,
    );
    await assert.rejects(log.append({ type: 'reminded', at: new Date(T0).toISOString(), details: {} }), UnsealedAuditLogError);
    const sealed = await log.append(
      { type: 'auditSealed', at: new Date(T0).toISOString(), details: { unkeyedEntries: head.seq } },
      { expectLastSeq: head.seq },
    );
    assert.deepEqual(await verifyStored(await collectStored(log), keys), {
      ok: true,
      count: head.seq + 1,
      unkeyed: head.seq,
      last: { seq: head.seq + 1, hash: sealed.hash, keyId: 'test-1' },
    });
  });

  it('refuses a source that does not exist instead of copying an empty store, a bad command line and missing audit keys, with exit code 2', async () => {
    const missing = await storeCopy(['--from', join(dir, 'nope.db'), '--to', to]);
    const noTarget = await storeCopy(['--from', source]);
    const sqliteTarget = await storeCopy(['--from', source, '--to', `sqlite:${join(dir, 'copy.db')}`]);
    const noKeys = await storeCopy(['--from', source, '--to', to], {});

    assert.deepEqual([missing.code, noTarget.code, sqliteTarget.code, noKeys.code], [2, 2, 2, 2]);
    assert.match(noKeys.stderr, /ELEVATE_AUDIT_KEYS is required to verify/);
    assert.match(missing.stderr, /no Elevate store at .*nope\.db/);
    assert.match(noTarget.stderr, /--to is required/);
    assert.match(sqliteTarget.stderr, /--to must be an azuretables: store/);
  });
});
