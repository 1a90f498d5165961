import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTlsMaterial } from '../simulator/core/ca.js';
import { startAzurite, type RunningAzurite } from '../support/azurite.js';

const run = promisify(execFile);
const PROBE = join(__dirname, 'support', 'azure-endpoint-probe.ts');

describe('Azure Tables store, endpoint form (https Azurite with bearer tokens)', function () {
  this.timeout(60_000);
  let dir: string;
  let azurite: RunningAzurite | undefined;
  let caPath: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-azurite-tls-'));
    const tls = createTlsMaterial();
    caPath = join(dir, 'ca.pem');
    writeFileSync(caPath, tls.caPem);
    writeFileSync(join(dir, 'cert.pem'), tls.certPem);
    writeFileSync(join(dir, 'key.pem'), tls.keyPem);
    azurite = await startAzurite({ args: ['--oauth', 'basic', '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')] });
  });

  after(async () => {
    await azurite?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with a token for Azure Storage (https://storage.azure.com/.default) and uses every table', async () => {
    const url = `https://127.0.0.1:${azurite!.port}/devstoreaccount1/`;

    const { stdout } = await run(process.execPath, ['--require', 'tsx/cjs', PROBE, url], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: caPath },
      timeout: 50_000,
    });

    assert.deepEqual(JSON.parse(stdout), { scopes: ['https://storage.azure.com/.default'], read: { state: 'draft', timers: 1, audit: 1 } });
  });

  it('refuses to open, naming the table and the role to grant, when the identity may neither create nor read the tables', async () => {
    const url = `https://127.0.0.1:${azurite!.port}/devstoreaccount1`;

    const { stdout } = await run(process.execPath, ['--require', 'tsx/cjs', PROBE, url, 'wrong-audience'], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: caPath },
      timeout: 50_000,
    });

    assert.match(
      (JSON.parse(stdout) as { refused: string }).refused,
      /table elevateElevations can be neither created nor read \(HTTP 403\); give the identity Storage Table Data Contributor/,
    );
  });
});
