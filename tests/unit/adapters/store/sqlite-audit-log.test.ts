import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { sha256Hex } from '../../../../src/adapters/store/audit-hash.js';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { GENESIS_HASH, storedAuditEntry, verifyChain, type AuditEvent, type StoredAuditEntry } from '../../../../src/domain/audit.js';
import { AuditAppendConflict, AuditLogReadOnlyError, type AuditLog } from '../../../../src/ports/audit-log.js';
import { testAuditKeys } from '../../../support/audit-keys.js';

const run = promisify(execFile);

function event(at: string, actor = 'user-1', overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    type: 'requested',
    at,
    actor: { aadObjectId: actor, name: 'Adele' },
    elevationId: 'e-1',
    details: { justification: 'INC-1, "prod" down' },
    ...overrides,
  };
}

const keys = testAuditKeys();
const verify = (entries: StoredAuditEntry[]) => verifyChain(entries, { sha256: sha256Hex, check: (...args) => keys.check(...args) });

async function collect(log: AuditLog): Promise<StoredAuditEntry[]> {
  const entries: StoredAuditEntry[] = [];
  for await (const entry of log.stored()) entries.push(entry);
  return entries;
}

describe('SqliteAuditLog', () => {
  let dir: string;
  let path: string;
  const opened: SqliteElevationStore[] = [];
  const open = () => {
    const store = SqliteElevationStore.open(path);
    opened.push(store);
    return store.auditLog(keys.sealer);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-audit-'));
    path = join(dir, 'elevate.db');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends sealed entries that chain from the genesis hash and reads them back unchanged', async () => {
    const log = open();

    const first = await log.append(event('2026-03-01T10:00:00.000Z'));
    const second = await log.append(event('2026-03-01T11:00:00+01:00', 'user-2', { type: 'decided', subject: { aadObjectId: 'user-1' } }));

    assert.equal(first.prevHash, GENESIS_HASH);
    assert.equal(second.prevHash, first.hash);
    assert.equal(second.at, '2026-03-01T10:00:00.000Z');
    assert.equal(second.keyId, 'test-1');
    assert.deepEqual(await log.list(), [first, second]);
    const stored = await collect(log);
    assert.deepEqual(
      stored.map(({ index: _index, ...rest }) => rest),
      [first, second].map(storedAuditEntry),
    );
    assert.deepEqual(stored[1]?.index, { at: '2026-03-01T10:00:00.000Z', actorId: 'user-2', subjectId: 'user-1' });
    assert.deepEqual(await verify(stored), { ok: true, count: 2, unkeyed: 0, last: { seq: 2, hash: second.hash, keyId: 'test-1' } });
  });

  it('lists by time, by actor or subject, and the newest few, always oldest first', async () => {
    const log = open();
    await log.append(event('2026-03-01T08:00:00.000Z', 'user-1'));
    await log.append(event('2026-03-01T09:00:00.000Z', 'user-2'));
    await log.append(event('2026-03-01T10:00:00.000Z', 'approver', { type: 'decided', subject: { aadObjectId: 'user-1' } }));
    await log.append(event('2026-03-01T11:00:00.000Z', 'user-2'));

    const seqs = async (filter: Parameters<AuditLog['list']>[0]) => (await log.list(filter)).map((entry) => entry.seq);

    assert.deepEqual(await seqs({}), [1, 2, 3, 4]);
    assert.deepEqual(await seqs({ since: new Date('2026-03-01T09:00:00.000Z') }), [2, 3, 4]);
    assert.deepEqual(await seqs({ aadObjectId: 'user-1' }), [1, 3]);
    assert.deepEqual(await seqs({ aadObjectId: 'user-2', since: new Date('2026-03-01T10:00:00Z') }), [4]);
    assert.deepEqual(await seqs({ limit: 2 }), [3, 4]);
    assert.deepEqual(await seqs({ limit: 0 }), []);
  });

  it('reads more entries than one page through stored()', async () => {
    const log = open();
    for (let n = 0; n < 1203; n++) await log.append({ type: 'reminded', at: '2026-03-01T10:00:00.000Z', details: { n } });

    const entries = await collect(log);

    assert.equal(entries.length, 1203);
    assert.deepEqual((await verify(entries)).ok, true);
  });

  it('adds the audit table to a database written before the audit log existed', async () => {
    await open().append(event('2026-03-01T10:00:00.000Z'));
    await opened.splice(0)[0]?.close();
    const db = new BetterSqlite3(path);
    db.exec('DROP TABLE audit; UPDATE schema_version SET version = 1;');
    db.close();

    const entry = await open().append(event('2026-03-01T10:00:00.000Z'));

    assert.equal(entry.seq, 1);
  });

  it('refuses to update or delete an entry through SQL', async () => {
    await open().append(event('2026-03-01T10:00:00.000Z'));
    const db = new BetterSqlite3(path);
    try {
      assert.throws(() => db.prepare("UPDATE audit SET hash = 'x'").run(), /append-only/);
      assert.throws(() => db.prepare('DELETE FROM audit').run(), /append-only/);
    } finally {
      db.close();
    }
  });

  it('makes one chain from two store instances on the same file appending at once', async () => {
    const a = open();
    const b = open();

    await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 === 0 ? a : b).append(event('2026-03-01T10:00:00.000Z', `user-${n}`))));

    const entries = await collect(a);
    assert.deepEqual(
      entries.map((entry) => entry.seq),
      Array.from({ length: 40 }, (_, n) => n + 1),
    );
    assert.equal((await verify(entries)).ok, true);
  });

  it('makes one chain from several processes appending to the same file', async function () {
    this.timeout(60_000);
    const log = open();
    const racer = join(__dirname, 'audit-racer.ts');
    const startAt = String(Date.now() + 2500);

    await Promise.all(
      ['a', 'b', 'c'].map((tag) => run(process.execPath, ['--require', 'tsx/cjs', racer, path, '60', startAt, tag], { cwd: process.cwd(), timeout: 50_000 })),
    );

    const entries = await collect(log);
    assert.equal(entries.length, 180);
    assert.deepEqual(await verify(entries), { ok: true, count: 180, unkeyed: 0, last: { seq: 180, hash: entries[179]?.hash, keyId: 'test-1' } });
    const racers = entries.map((entry) => (JSON.parse(entry.event) as AuditEvent).details.racer);
    for (const tag of ['a', 'b', 'c']) assert.equal(racers.filter((racer) => racer === tag).length, 60);
  });

  it('appends only after the expected newest entry when asked (compare-and-swap)', async () => {
    const log = open();
    await log.append(event('2026-03-01T10:00:00.000Z'));

    const second = await log.append(event('2026-03-01T10:01:00.000Z'), { expectLastSeq: 1 });
    await assert.rejects(log.append(event('2026-03-01T10:02:00.000Z'), { expectLastSeq: 1 }), AuditAppendConflict);

    assert.equal(second.seq, 2);
    assert.equal((await collect(log)).length, 2);
  });

  it('reads without a sealer but refuses to append', async () => {
    await open().append(event('2026-03-01T10:00:00.000Z'));
    const store = SqliteElevationStore.open(path);
    opened.push(store);

    await assert.rejects(store.auditLog().append(event('2026-03-01T10:01:00.000Z')), AuditLogReadOnlyError);
    assert.equal((await store.auditLog().list()).length, 1);
  });

  it('hands verification the filter columns as SQLite derives them, so a duplicated JSON key shows', async () => {
    await open().append(event('2026-03-01T10:00:00.000Z'));
    const db = new BetterSqlite3(path);
    db.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET event = replace(event, '"actor":{', '"actor":{"aadObjectId":"user-9"},"actor":{')`);
    db.close();

    const [stored] = await collect(open());

    assert.equal(stored?.index?.actorId, 'user-9', 'json_extract reads the first of two keys (JSON.parse the last)');
    assert.deepEqual(await verify(stored ? [stored] : []), {
      ok: false,
      seq: 1,
      reason: 'its stored JSON is not canonical (a duplicated or reordered key, or added spaces): it was edited outside Elevate',
    });
  });
});
