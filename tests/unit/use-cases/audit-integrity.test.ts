import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteElevationStore } from '../../../src/adapters/store/sqlite-elevation-store.js';
import { SCHEMA_VERSION } from '../../../src/adapters/store/sqlite-schema.js';
import { UnsealedAuditLogError, type AuditEntry } from '../../../src/domain/audit.js';
import type { Clock } from '../../../src/ports/clock.js';
import { sealUnkeyedAuditLog, verifyAuditLog } from '../../../src/use-cases/audit-integrity.js';
import { writeLegacyAuditStore } from '../../support/legacy-audit-store.js';
import { auditDeps } from './audit-deps.js';

const clock: Clock = { now: () => new Date('2026-04-01T09:00:00.000Z'), sleep: async () => undefined };

describe('sealing an audit log written before audit keys', () => {
  let dir: string;
  let path: string;
  const opened: SqliteElevationStore[] = [];
  const open = () => {
    const store = SqliteElevationStore.open(path);
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-seal-'));
    path = join(dir, 'elevate.db');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals the unkeyed chain of the previous release under the current key, keeping its entries and hashes', async () => {
    const fixture = writeLegacyAuditStore(path);
    const deps = auditDeps(open(), clock);
    const legacyAnchor = { seq: 5, hash: fixture.rows[4]?.hash ?? '' };

    assert.equal((await verifyAuditLog(deps)).ok, false, 'unsealed: not intact yet');
    const outcome = await sealUnkeyedAuditLog(deps);
    await deps.audit.append({ type: 'reminded', at: '2026-04-01T09:05:00.000Z', details: {} });

    assert.deepEqual(outcome, { kind: 'sealed', unkeyed: 5, seq: 6 });
    const entries = await deps.audit.list();
    assert.deepEqual(
      entries.slice(0, 5).map((e) => [e.seq, e.prevHash, e.hash, e.keyId]),
      fixture.rows.map((row) => [row.seq, row.prevHash, row.hash, undefined]),
    );
    const seal = entries[5] as AuditEntry;
    assert.equal(seal.type, 'auditSealed');
    assert.equal(seal.prevHash, legacyAnchor.hash);
    assert.equal(seal.keyId, 'test-1');
    assert.deepEqual(seal.details, { unkeyedEntries: 5, unkeyedHead: legacyAnchor.hash, unkeyedChain: 'intact', keyId: 'test-1' });
    assert.deepEqual(await verifyAuditLog(deps, { anchor: legacyAnchor }), {
      ok: true,
      count: 7,
      unkeyed: 5,
      last: { seq: 7, hash: entries[6]?.hash, keyId: 'test-1' },
    });
    assert.deepEqual(
      { ...deps.posts.alerts[0], key: undefined },
      { key: undefined, kind: 'sealed', unkeyed: 5, seq: 6, keyId: 'test-1' },
      'the channel is told: 5 unkeyed entries (chain intact) sealed with test-1 in entry #6',
    );
    const db = new BetterSqlite3(path, { readonly: true });
    assert.deepEqual(db.prepare('SELECT version FROM schema_version').get(), { version: SCHEMA_VERSION });
    db.close();
  });

  it('seals nothing in an empty or already keyed log', async () => {
    const deps = auditDeps(open(), clock);

    assert.deepEqual(await sealUnkeyedAuditLog(deps), { kind: 'nothingToSeal' });
    await deps.audit.append({ type: 'reminded', at: '2026-04-01T09:05:00.000Z', details: {} });
    assert.deepEqual(await sealUnkeyedAuditLog(deps), { kind: 'nothingToSeal' });
    assert.deepEqual(deps.posts.alerts, []);
  });

  it('refuses other appends until the log is sealed', async () => {
    writeLegacyAuditStore(path);
    const deps = auditDeps(open(), clock);

    await assert.rejects(deps.audit.append({ type: 'reminded', at: '2026-04-01T09:05:00.000Z', details: {} }), UnsealedAuditLogError);
    assert.equal((await deps.audit.list()).length, 5);
  });

  it('seals once when two instances start at the same time', async () => {
    writeLegacyAuditStore(path);
    const [a, b] = [auditDeps(open(), clock), auditDeps(open(), clock)];

    const outcomes = await Promise.all([sealUnkeyedAuditLog(a), sealUnkeyedAuditLog(b)]);

    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['sealed', 'sealedElsewhere']);
    assert.deepEqual(
      (await a.audit.list()).map((e) => e.type),
      ['requested', 'decided', 'activated', 'elevated', 'expired', 'auditSealed'],
    );
  });

  it('seals a broken unkeyed chain as found, says so, and verification keeps naming the break', async () => {
    writeLegacyAuditStore(path);
    const raw = new BetterSqlite3(path);
    raw.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET event = replace(event, '"p-1"', '"p-2"') WHERE seq = 3`);
    raw.close();
    const deps = auditDeps(open(), clock);

    const outcome = await sealUnkeyedAuditLog(deps);

    assert.deepEqual(outcome, { kind: 'sealed', unkeyed: 5, seq: 6 });
    assert.equal((await deps.audit.list())[5]?.details['unkeyedChain'], 'broken at #3: hash mismatch: the unkeyed entry was changed after it was written');
    assert.deepEqual(await verifyAuditLog(deps), { ok: false, seq: 3, reason: 'hash mismatch: the unkeyed entry was changed after it was written' });
  });
});
