import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableServiceClient } from '@azure/data-tables';
import { connectionString } from '../../scripts/azurite.cjs';
import { DevProcess, accepts } from './support/playground-dev.js';

describe('npm run dev with ELEVATE_DEV_STORE=azurite', function () {
  this.timeout(90_000);
  let dataDir: string;
  let dev: DevProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'elevate-dev-azurite-'));
  });

  after(() => {
    dev?.killGroup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts Azurite, runs the bot on Azure Tables there, and stops Azurite with everything else', async () => {
    const started = await DevProcess.start({ ELEVATE_DEV_DATA_DIR: dataDir, ELEVATE_DEV_STORE: 'azurite' }, 60_000);
    dev = started.dev;
    const endpoint = /store Azure Tables on Azurite at (http:\/\/127\.0\.0\.1:(\d+))\)/.exec(dev.output());
    assert.ok(endpoint, `dev.mjs names the Azurite store:\n${dev.output()}`);

    const service = TableServiceClient.fromConnectionString(connectionString(Number(endpoint[2])), { allowInsecureConnection: true });
    const tables: string[] = [];
    for await (const table of service.listTables()) tables.push(table.name ?? '');
    await dev.signal('SIGTERM', 20_000);

    assert.deepEqual(tables.sort(), ['elevateAudit', 'elevateClaims', 'elevateDocuments', 'elevateElevations', 'elevateTimers']);
    assert.ok(!dev.output().includes('AccountKey'), 'the connection string stays out of the output');
    assert.equal(await accepts(endpoint[1]!), false, 'Azurite stopped with dev.mjs');
  });
});
