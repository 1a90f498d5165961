import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { AzureTablesStore } from '../../src/adapters/store/azure-tables-store.js';
import type { AuditEntry, AuditEvent } from '../../src/domain/audit.js';
import { auditKeysEnv, testAuditKeys } from '../support/audit-keys.js';
import { startAzurite, type RunningAzurite } from '../support/azurite.js';

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

const event = (n: number, actor: string): AuditEvent => ({
  type: 'requested',
  at: `2026-03-01T08:0${n}:00.000Z`,
  actor: { aadObjectId: actor },
  details: { justification: `INC-${n}: "prod" is down` },
});

describe('npm run audit on Azure Tables (Azurite)', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let store: string;

  beforeEach(async () => {
    azurite = await startAzurite();
    store = `azuretables:${azurite.connectionString}`;
  });
  afterEach(async () => azurite.stop());

  /** The bot's tables (default prefix) with five sealed entries, two of them user-1's. */
  async function seed(): Promise<AuditEntry[]> {
    const log = (await AzureTablesStore.open({ kind: 'connectionString', connectionString: azurite.connectionString })).auditLog(testAuditKeys().sealer);
    const entries: AuditEntry[] = [];
    for (let n = 1; n <= 5; n++) entries.push(await log.append(event(n, n % 2 === 0 ? 'user-1' : 'user-2')));
    return entries;
  }

  it('exports, and verifies with the audit keys against an anchor, an Azure Tables audit log', async () => {
    const entries = await seed();

    const exported = await audit(['--store', store, '--user', 'user-1']);
    const verified = await audit(['--verify', '--anchor', `5:${entries[4]?.hash}`], { ...KEYS, ELEVATE_STORE: store });

    assert.equal(exported.code, 0, exported.stderr);
    assert.deepEqual(
      exported.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEntry),
      [entries[1], entries[3]],
    );
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal(verified.stdout, `chain intact: 5 entries, anchor #5 matches (record --anchor 5:${entries[4]?.hash} to detect later truncation)\n`);
  });

  it('finds an entry edited in the table and names it', async () => {
    await seed();
    const table = TableClient.fromConnectionString(azurite.connectionString, 'elevateAudit', { allowInsecureConnection: true });
    const entity = await table.getEntity<{ event: string }>('audit', 'seq|000000000003');
    await table.updateEntity({ partitionKey: 'audit', rowKey: 'seq|000000000003', event: entity.event.replace('INC-3', 'INC-9') }, 'Merge');

    const { code, stdout } = await audit(['--store', store, '--verify'], KEYS);

    assert.equal(code, 1);
    assert.equal(stdout, 'broken at entry #3: seal mismatch under key "test-1": the entry was changed after it was sealed, or forged without the key\n');
  });

  it('refuses an account without Elevate’s tables instead of creating them, never printing the account key', async () => {
    const { code, stdout, stderr } = await audit(['--store', store, '--verify'], KEYS);

    const service = TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true });
    const tables: unknown[] = [];
    for await (const table of service.listTables()) tables.push(table);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /no Elevate store at azuretables:http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1 \(connection string\): table elevateElevations does not exist/,
    );
    assert.deepEqual(tables, []);
    assert.ok(!`${stdout}${stderr}`.includes('Eby8vdM02'));
  });
});
