import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import type { AuditEvent } from '../../../../src/domain/audit.js';

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

/** What only SQLite has; the port's behaviour is in the store contract (tests/integration/store-contract.test.ts). */
describe('SqliteAuditLog', () => {
  let dir: string;
  let path: string;
  const opened: SqliteElevationStore[] = [];
  const open = () => {
    const store = SqliteElevationStore.open(path);
    opened.push(store);
    return store.auditLog();
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
});
