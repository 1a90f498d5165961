import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sha256Hex } from '../../../../src/adapters/store/audit-hash.js';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { verifyChain, type AuditEvent, type StoredAuditEntry } from '../../../../src/domain/audit.js';
import type { AuditLog } from '../../../../src/ports/audit-log.js';
import { testAuditKeys } from '../../../support/audit-keys.js';

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

/** What only SQLite has; the port's behaviour is in the store contract (tests/integration/store-contract.test.ts). */
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
