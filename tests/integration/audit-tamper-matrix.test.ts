import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { sha256Hex } from '../../src/adapters/store/audit-hash.js';
import { SqliteAuditLog } from '../../src/adapters/store/sqlite-audit-log.js';
import { SqliteElevationStore } from '../../src/adapters/store/sqlite-elevation-store.js';
import { runAuditCli } from '../../src/audit-cli.js';
import { GENESIS_HASH, storedEventText, unkeyedHash, type AuditEntry, type AuditEvent } from '../../src/domain/audit.js';
import { auditKeysEnv, testAuditKeys } from '../support/audit-keys.js';

/**
 * The audit tamper matrix (README "What the audit log protects"): each way of changing the
 * SQLite file behind Elevate's back, and what `npm run audit -- --verify` prints for it with the
 * audit key alone and with the key and an anchor published after entry #5. Runs the CLI's own
 * entry point (`runAuditCli`, what `npm run audit` calls) on a real file; tests/integration/
 * audit-cli.test.ts runs the same tool as a child process.
 */
const USER = 'a0000000-0000-4000-8000-00000000ade1';
const OTHER = 'a0000000-0000-4000-8000-0000000a9901';
const events: AuditEvent[] = [1, 2, 3, 4, 5].map((n) => ({
  type: 'requested',
  at: `2026-03-01T0${n}:00:00.000Z`,
  actor: { aadObjectId: USER, name: 'Adele Vance' },
  elevationId: `e-${n}`,
  details: { justification: `INC-${n} prod down` },
}));

interface Case {
  kind: string;
  tamper: (db: Database, entries: AuditEntry[], dir: string) => void | Promise<void>;
  /** What --verify prints with the key alone, and with the key and the anchor `5:<hash of #5>`. */
  keyAlone: string;
  withAnchor: string;
}

const SEAL_MISMATCH = 'seal mismatch under key "test-1": the entry was changed after it was sealed, or forged without the key';
const broken = (seq: number, reason: string) => `broken at entry #${seq}: ${reason}\n`;

/** The unkeyed SHA-256 chain the previous release wrote, recomputed over the stored events from #from on. */
function rehashUnkeyed(db: Database, from: number, options: { dropKeyIds: boolean }): void {
  const rows = db.prepare('SELECT seq, event, prev_hash AS prevHash, hash FROM audit ORDER BY seq').all() as {
    seq: number;
    event: string;
    prevHash: string;
    hash: string;
  }[];
  let prevHash = rows.find((row) => row.seq === from - 1)?.hash ?? GENESIS_HASH;
  for (const row of rows.filter((r) => r.seq >= from)) {
    const hash = unkeyedHash(sha256Hex, JSON.parse(row.event) as AuditEvent, { seq: row.seq, prevHash });
    db.prepare(`UPDATE audit SET prev_hash = ?, hash = ?${options.dropKeyIds ? ', key_id = NULL' : ''} WHERE seq = ?`).run(prevHash, hash, row.seq);
    prevHash = hash;
  }
}

const CASES: Case[] = [
  {
    kind: 'edit a field of an entry',
    tamper: (db) => db.exec(`UPDATE audit SET event = json_set(event, '$.details.justification', 'routine check') WHERE seq = 2`),
    keyAlone: broken(2, SEAL_MISMATCH),
    withAnchor: broken(2, SEAL_MISMATCH),
  },
  {
    kind: 'edit an entry and recompute the unkeyed SHA-256 chain after it',
    tamper: (db) => {
      db.exec(`UPDATE audit SET event = json_set(event, '$.elevationId', 'e-x') WHERE seq = 2`);
      rehashUnkeyed(db, 2, { dropKeyIds: false });
    },
    keyAlone: broken(2, SEAL_MISMATCH),
    withAnchor: broken(2, SEAL_MISMATCH),
  },
  {
    kind: 'rewrite the whole log as an unkeyed SHA-256 chain (key ids removed)',
    tamper: (db) => {
      db.exec(`UPDATE audit SET event = json_set(event, '$.elevationId', 'e-x') WHERE seq = 2`);
      rehashUnkeyed(db, 1, { dropKeyIds: true });
    },
    keyAlone: broken(
      5,
      'entries #1-#5 have no key id and no keyed entry seals them: written before audit keys and not sealed yet (start Elevate with its audit keys), or rewritten without the key',
    ),
    withAnchor: broken(5, 'hash differs from the anchor (the log was rewritten after the anchor was published)'),
  },
  {
    kind: 'delete an entry in the middle',
    tamper: (db) => db.exec('DELETE FROM audit WHERE seq = 3'),
    keyAlone: broken(4, 'expected #3 next, found #4 (entry before it missing or out of order)'),
    withAnchor: broken(4, 'expected #3 next, found #4 (entry before it missing or out of order)'),
  },
  {
    kind: 'delete an entry and renumber the later ones',
    tamper: (db) => db.exec('DELETE FROM audit WHERE seq = 3; UPDATE audit SET seq = seq - 1 WHERE seq > 3'),
    keyAlone: broken(3, 'prevHash does not match the hash of #2 (an entry was removed, replaced or rewritten)'),
    withAnchor: broken(3, 'prevHash does not match the hash of #2 (an entry was removed, replaced or rewritten)'),
  },
  {
    kind: 'reorder two entries',
    tamper: (db) => db.exec('UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 100'),
    keyAlone: broken(2, 'prevHash does not match the hash of #1 (an entry was removed, replaced or rewritten)'),
    withAnchor: broken(2, 'prevHash does not match the hash of #1 (an entry was removed, replaced or rewritten)'),
  },
  {
    kind: 'duplicate a JSON key so that --user selects the entry for someone else',
    tamper: (db) => db.exec(`UPDATE audit SET event = replace(event, '"actor":{', '"actor":{"aadObjectId":"${OTHER}"},"actor":{') WHERE seq = 4`),
    keyAlone: broken(4, 'its stored JSON is not canonical (a duplicated or reordered key, or added spaces): it was edited outside Elevate'),
    withAnchor: broken(4, 'its stored JSON is not canonical (a duplicated or reordered key, or added spaces): it was edited outside Elevate'),
  },
  {
    kind: 'rebuild the table with filter columns that disagree with the JSON',
    tamper: (db) =>
      db.exec(`ALTER TABLE audit RENAME TO audit_old;
        CREATE TABLE audit (seq INTEGER PRIMARY KEY, event TEXT, prev_hash TEXT, hash TEXT, key_id TEXT, at TEXT, type TEXT, actor_id TEXT, subject_id TEXT);
        INSERT INTO audit SELECT seq, event, prev_hash, hash, key_id, at, type, CASE seq WHEN 3 THEN '${OTHER}' ELSE actor_id END, subject_id FROM audit_old;
        DROP TABLE audit_old;`),
    keyAlone: broken(3, `its actor id index says "${OTHER}" but its sealed JSON says "${USER}" (filters would select it wrongly)`),
    withAnchor: broken(3, `its actor id index says "${OTHER}" but its sealed JSON says "${USER}" (filters would select it wrongly)`),
  },
  {
    kind: 'append a forged entry with a made-up seal',
    tamper: (db, entries) =>
      db
        .prepare('INSERT INTO audit (seq, event, prev_hash, hash, key_id) VALUES (6, ?, ?, ?, ?)')
        .run(storedEventText({ type: 'cancelled', at: '2026-03-01T06:00:00.000Z', details: {} }), entries[4]?.hash, sha256Hex('forged'), 'test-1'),
    keyAlone: broken(6, SEAL_MISMATCH),
    withAnchor: broken(6, SEAL_MISMATCH),
  },
  {
    kind: 'append a forged unkeyed entry',
    tamper: (db, entries) => {
      const event: AuditEvent = { type: 'cancelled', at: '2026-03-01T06:00:00.000Z', details: {} };
      const prevHash = entries[4]?.hash ?? '';
      db.prepare('INSERT INTO audit (seq, event, prev_hash, hash) VALUES (6, ?, ?, ?)').run(
        storedEventText(event),
        prevHash,
        unkeyedHash(sha256Hex, event, { seq: 6, prevHash }),
      );
    },
    keyAlone: broken(6, 'has no key id after keyed entries: not written by Elevate (a forged or rewritten entry)'),
    withAnchor: broken(6, 'has no key id after keyed entries: not written by Elevate (a forged or rewritten entry)'),
  },
  {
    kind: 'claim an entry was sealed with another key',
    tamper: (db) => db.exec(`UPDATE audit SET key_id = 'old-key' WHERE seq = 5`),
    keyAlone: broken(5, 'sealed with key "old-key", which is not among the configured audit keys'),
    withAnchor: broken(5, 'sealed with key "old-key", which is not among the configured audit keys'),
  },
  {
    kind: 'rewrite and reseal entries up to the anchor, holding the key',
    tamper: async (db) => {
      db.exec('DELETE FROM audit WHERE seq >= 3');
      const log = new SqliteAuditLog(db, testAuditKeys().sealer);
      for (const event of events.slice(2)) await log.append({ ...event, details: { justification: 'routine check' } });
    },
    keyAlone: 'INTACT 5 (rewritten)',
    withAnchor: broken(5, 'hash differs from the anchor (the log was rewritten after the anchor was published)'),
  },
  {
    kind: 'truncate the newest entries',
    tamper: (db) => db.exec('DELETE FROM audit WHERE seq > 3'),
    keyAlone: 'INTACT 3',
    withAnchor: broken(5, 'anchored entry is missing: the log ends at #3 (entries were deleted)'),
  },
  {
    kind: 'empty the table',
    tamper: (db) => db.exec('DELETE FROM audit'),
    keyAlone: 'chain intact: 0 entries\n',
    withAnchor: broken(5, 'anchored entry is missing: the log is empty (entries were deleted)'),
  },
  {
    kind: 'put back an older copy of the whole file',
    tamper: (_db, _entries, dir) => copyFileSync(join(dir, 'backup-after-2.db'), join(dir, 'elevate.db')),
    keyAlone: 'INTACT 2',
    withAnchor: broken(5, 'anchored entry is missing: the log ends at #2 (entries were deleted)'),
  },
];

describe('audit tamper matrix (npm run audit -- --verify on a real SQLite file)', function () {
  this.timeout(30_000);
  let dir: string;
  let path: string;
  let entries: AuditEntry[];
  const keys = testAuditKeys();
  const env = { ELEVATE_AUDIT_KEYS: auditKeysEnv() };

  async function verify(args: string[]): Promise<{ code: number; stdout: string }> {
    let stdout = '';
    const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true }, now: () => new Date('2026-03-02T00:00:00Z') };
    const code = await runAuditCli(['--store', `sqlite:${path}`, '--verify', ...args], env, io);
    return { code, stdout };
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-tamper-'));
    path = join(dir, 'elevate.db');
    entries = [];
    for (const [n, event] of events.entries()) {
      const store = SqliteElevationStore.open(path);
      entries.push(await store.auditLog(keys.sealer).append(event));
      await store.close();
      if (n === 1) copyFileSync(path, join(dir, 'backup-after-2.db'));
    }
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies the untouched log with the key alone and with the anchor', async () => {
    const anchor = `5:${entries[4]?.hash}`;

    assert.deepEqual(await verify([]), { code: 0, stdout: `chain intact: 5 entries (record --anchor ${anchor} to detect later truncation)\n` });
    assert.deepEqual(await verify(['--anchor', anchor]), {
      code: 0,
      stdout: `chain intact: 5 entries, anchor #5 matches (record --anchor ${anchor} to detect later truncation)\n`,
    });
  });

  for (const { kind, tamper, keyAlone, withAnchor } of CASES) {
    it(`${keyAlone.startsWith('broken') ? 'finds with the key alone' : 'finds only with the anchor'}: ${kind}`, async () => {
      const db = new BetterSqlite3(path);
      try {
        db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
        await tamper(db, entries, dir);
      } finally {
        db.close();
      }

      const alone = await verify([]);
      const anchored = await verify(['--anchor', `5:${entries[4]?.hash}`]);

      const intact = /^INTACT (\d+)( \(rewritten\))?$/.exec(keyAlone);
      if (intact) {
        const n = Number(intact[1]);
        const head = intact[2] ? '[0-9a-f]{64}' : entries[n - 1]?.hash;
        assert.equal(alone.code, 0);
        assert.match(alone.stdout, new RegExp(`^chain intact: ${n} entries \\(record --anchor ${n}:${head} to detect later truncation\\)\n$`));
      } else assert.deepEqual(alone, { code: keyAlone.startsWith('broken') ? 1 : 0, stdout: keyAlone });
      assert.deepEqual(anchored, { code: 1, stdout: withAnchor });
    });
  }

  it('shows why a duplicated JSON key matters: --user selects the entry for someone else, and --verify says so', async () => {
    const db = new BetterSqlite3(path);
    db.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET event = replace(event, '"actor":{', '"actor":{"aadObjectId":"${OTHER}"},"actor":{') WHERE seq = 4`);
    db.close();
    let exported = '';
    const io = { stdout: { write: (text: string) => (exported += text) }, stderr: { write: () => true }, now: () => new Date('2026-03-02T00:00:00Z') };

    assert.equal(await runAuditCli(['--store', path, '--user', OTHER], {}, io), 0);

    assert.deepEqual(
      exported
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as AuditEntry).seq),
      [4],
      'SQLite json_extract reads the first "actor"',
    );
    assert.equal(
      (await verify([])).stdout,
      broken(4, 'its stored JSON is not canonical (a duplicated or reordered key, or added spaces): it was edited outside Elevate'),
    );
  });
});
