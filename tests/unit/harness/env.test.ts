import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { botEnv, repoRoot } from '../../harness/env.js';
import { AAD_APP_CLIENT_ID, BOT_ID, TENANT_ID } from '../../harness/tenant.js';

const sim = { baseUrl: 'https://127.0.0.1:9443/', caPath: '/tmp/sim/ca.pem' };

describe("harness: the bot's environment", () => {
  it('points every endpoint of the bot at the simulator', () => {
    const env = botEnv(sim, { ELEVATE_STORE: 'sqlite:/tmp/x.db' });
    assert.equal(env['HOST'], '127.0.0.1');
    assert.equal(env['PORT'], '0');
    assert.equal(env['BOT_ID'], BOT_ID);
    assert.equal(env['BOT_TYPE'], 'MultiTenant');
    assert.equal(env['BOT_OPENID_METADATA_URL'], 'https://127.0.0.1:9443/botframework/v1/.well-known/openidconfiguration');
    assert.equal(env['BOT_TOKEN_ISSUER'], 'https://api.botframework.com');
    assert.equal(env['BOT_LOGIN_URL'], 'https://127.0.0.1:9443/botframework.com');
    assert.equal(env['AAD_APP_CLIENT_ID'], AAD_APP_CLIENT_ID);
    assert.equal(env['AAD_APP_TENANT_ID'], TENANT_ID);
    assert.equal(env['AAD_APP_OAUTH_AUTHORITY_HOST'], 'https://127.0.0.1:9443');
    assert.equal(env['GRAPH_BASE_URL'], 'https://127.0.0.1:9443/graph');
    assert.equal(env['POWER_PLATFORM_API_URL'], 'https://127.0.0.1:9443/powerplatform');
    assert.equal(env['NODE_EXTRA_CA_CERTS'], '/tmp/sim/ca.pem');
    assert.equal(env['ELEVATE_STORE'], 'sqlite:/tmp/x.db');
  });

  it("inherits nothing from the developer's shell but the basics", () => {
    process.env['ELEVATE_HARNESS_LEAK'] = 'leak';
    process.env['NODE_OPTIONS'] = '--inspect';
    try {
      const env = botEnv(sim, { ELEVATE_STORE: 'sqlite:/tmp/x.db' });
      assert.equal(env['ELEVATE_HARNESS_LEAK'], undefined);
      assert.equal(env['NODE_OPTIONS'], undefined);
      assert.equal(env['PATH'], process.env['PATH']);
    } finally {
      delete process.env['ELEVATE_HARNESS_LEAK'];
      delete process.env['NODE_OPTIONS'];
    }
  });

  it('lets overrides replace and remove variables', () => {
    const env = botEnv(sim, { ELEVATE_STORE: 'sqlite:/tmp/x.db', LOG_LEVEL: 'debug', BOT_PASSWORD: undefined });
    assert.equal(env['LOG_LEVEL'], 'debug');
    assert.equal('BOT_PASSWORD' in env, false);
  });

  it('gives the store a fresh temporary SQLite file by default', () => {
    const store = botEnv(sim)['ELEVATE_STORE'] ?? '';
    assert.match(store, /^sqlite:.*elevate-bot-.*\/elevate\.db$/);
    const dir = path.dirname(store.slice('sqlite:'.length));
    assert.ok(existsSync(dir));
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the repository root', () => {
    assert.ok(existsSync(path.join(repoRoot(), 'tests/harness/index.ts')));
  });
});
