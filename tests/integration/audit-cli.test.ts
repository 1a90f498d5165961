import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteElevationStore } from '../../src/adapters/store/sqlite-elevation-store.js';
import type { AuditEntry, AuditEvent } from '../../src/domain/audit.js';
import { auditKeysEnv, testAuditKeys } from '../support/audit-keys.js';
import { writeLegacyAuditStore } from '../support/legacy-audit-store.js';
import { auditEntryFromCsv, parseCsvObjects } from '../unit/cli/csv-parse.js';

const CLI = join(__dirname, '..', '..', 'src', 'audit-cli.ts');
const KEYS = { ELEVATE_AUDIT_KEYS: auditKeysEnv() };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (TypeScript through tsx) as a child process, as `npm run audit` would. */
function audit(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', ...env };
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: process.cwd(), env: childEnv, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      if (typeof code !== 'number') reject(error ?? new Error('no exit code'));
      else resolve({ code, stdout, stderr });
    });
  });
}

const events: AuditEvent[] = [
  {
    type: 'requested',
    at: '2026-03-01T08:00:00.000Z',
    actor: { aadObjectId: 'user-1', name: 'Vance, Adele "AV"' },
    elevationId: 'e-1',
    environment: { id: 'env-1', displayName: 'Contoso, Prod' },
    roleName: 'Power Platform Administrator',
    details: { justification: 'INC-42: "prod" is down,\nrestore, then report', minutes: 120, ticket: null },
  },
  {
    type: 'decided',
    at: '2026-03-01T08:05:00.000Z',
    actor: { aadObjectId: 'approver' },
    subject: { aadObjectId: 'user-1' },
    elevationId: 'e-1',
    details: { approved: true },
  },
  { type: 'activated', at: '2026-03-01T08:06:00.000Z', actor: { aadObjectId: 'user-1' }, elevationId: 'e-1', details: { pimRequestId: 'p-1' } },
  { type: 'elevated', at: '2026-03-02T09:00:00.000Z', actor: { aadObjectId: 'user-2' }, elevationId: 'e-2', details: {} },
  { type: 'expired', at: '2026-03-02T10:00:00.000Z', subject: { aadObjectId: 'user-1' }, elevationId: 'e-1', details: {} },
];

describe('npm run audit (audit-cli)', function () {
  this.timeout(60_000);
  let dir: string;
  let db: string;
  let entries: AuditEntry[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-audit-cli-'));
    db = join(dir, 'elevate.db');
    const store = SqliteElevationStore.open(db);
    entries = [];
    for (const event of events) entries.push(await store.auditLog(testAuditKeys().sealer).append(event));
    await store.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function tamper(sql: string): void {
    const raw = new BetterSqlite3(db);
    try {
      raw.exec(`DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; ${sql}`);
    } finally {
      raw.close();
    }
  }

  it('exports JSON Lines that parse back to the stored entries', async () => {
    const { code, stdout } = await audit(['--store', `sqlite:${db}`]);

    assert.equal(code, 0);
    assert.deepEqual(
      stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEntry),
      entries,
    );
  });

  it('exports CSV that parses back to the stored entries', async () => {
    const { code, stdout } = await audit(['--store', db, '--format', 'csv']);

    assert.equal(code, 0);
    assert.deepEqual(parseCsvObjects(stdout).map(auditEntryFromCsv), entries);
  });

  it('filters by --since and --user, reads ELEVATE_STORE and writes --out owner-readable', async () => {
    const out = join(dir, 'export.csv');

    const { code, stderr } = await audit(['--since', '2026-03-01T08:05:00Z', '--user', 'user-1', '--format', 'csv', '--out', out], {
      ELEVATE_STORE: `sqlite:${db}`,
    });

    assert.equal(code, 0);
    assert.match(stderr, /wrote 3 entries/);
    assert.deepEqual(
      parseCsvObjects(readFileSync(out, 'utf8')).map((record) => Number(record.seq)),
      [2, 3, 5],
    );
    if (process.platform !== 'win32') assert.equal(statSync(out).mode & 0o777, 0o600);
  });

  it('verifies an intact chain with the audit keys and prints an anchor', async () => {
    const { code, stdout } = await audit(['--store', db, '--verify'], KEYS);

    assert.equal(code, 0);
    assert.equal(stdout, `chain intact: 5 entries (record --anchor 5:${entries[4]?.hash} to detect later truncation)\n`);
  });

  it('finds an entry edited in the database and names it', async () => {
    tamper(`UPDATE audit SET event = json_set(event, '$.details.justification', 'routine check') WHERE seq = 2`);

    const { code, stdout } = await audit(['--store', db, '--verify'], KEYS);

    assert.equal(code, 1);
    assert.equal(stdout, 'broken at entry #2: seal mismatch under key "test-1": the entry was changed after it was sealed, or forged without the key\n');
  });

  it('finds an entry deleted from the middle', async () => {
    tamper('DELETE FROM audit WHERE seq = 3');

    const { code, stdout } = await audit(['--store', db, '--verify'], KEYS);

    assert.equal(code, 1);
    assert.match(stdout, /^broken at entry #4: expected #3 next, found #4/);
  });

  it('finds deleted newest entries only against an anchor', async () => {
    tamper('DELETE FROM audit WHERE seq = 5');

    const plain = await audit(['--store', db, '--verify'], KEYS);
    const anchored = await audit(['--store', db, '--verify', '--anchor', `5:${entries[4]?.hash}`], KEYS);

    assert.equal(plain.code, 0);
    assert.equal(anchored.code, 1);
    assert.equal(anchored.stdout, 'broken at entry #5: anchored entry is missing: the log ends at #4 (entries were deleted)\n');
  });

  it('refuses to verify without the audit keys, naming the variable', async () => {
    const { code, stdout, stderr } = await audit(['--store', db, '--verify']);

    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /ELEVATE_AUDIT_KEYS is required to verify/);
  });

  it('verifies a store written before audit keys once the bot sealed it, against an anchor the old --verify printed', async () => {
    const legacyDb = join(dir, 'legacy.db');
    const fixture = writeLegacyAuditStore(legacyDb);
    const oldAnchor = `5:${fixture.rows[4]?.hash}`;

    const unsealed = await audit(['--store', legacyDb, '--verify'], KEYS);
    const store = SqliteElevationStore.open(legacyDb);
    const seal = await store
      .auditLog(testAuditKeys().sealer)
      .append({ type: 'auditSealed', at: '2026-04-01T09:00:00.000Z', details: {} }, { expectLastSeq: 5 });
    await store.close();
    const sealed = await audit(['--store', legacyDb, '--verify', '--anchor', oldAnchor], KEYS);

    assert.equal(unsealed.code, 1);
    assert.match(unsealed.stdout, /^broken at entry #5: entries #1-#5 have no key id and no keyed entry seals them/);
    assert.equal(sealed.code, 0);
    assert.equal(
      sealed.stdout,
      `chain intact: 6 entries, the first 5 written before audit keys and sealed by #6, anchor #5 matches (record --anchor 6:${seal.hash} to detect later truncation)\n`,
    );
  });

  it('refuses a store that does not exist instead of creating an empty one', async () => {
    const missing = join(dir, 'nope', 'elevate.db');

    const { code, stderr } = await audit(['--store', missing, '--verify']);

    assert.equal(code, 2);
    assert.match(stderr, /no Elevate store at/);
    assert.equal(existsSync(missing), false);
  });

  it('explains a bad option with the usage', async () => {
    const { code, stderr } = await audit(['--format', 'xml']);

    assert.equal(code, 2);
    assert.match(stderr, /--format must be csv or jsonl[\s\S]*Usage: npm run audit/);
  });
});
