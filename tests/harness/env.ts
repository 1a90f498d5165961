import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET, BOT_ID, BOT_PASSWORD, SECURITY_GROUP_ID, TENANT_ID } from './tenant.js';

/** The repository root: the nearest folder above this file with a package.json (works from dist/ too). */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** The few variables a child may inherit: a developer's shell must not leak into tests. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** `overrides` win over `base`; an `undefined` override removes the variable. */
export function mergeEnv(base: Record<string, string>, overrides: Record<string, string | undefined>): Record<string, string> {
  const env = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * The bot's environment against the simulator. `overrides` win; an `undefined` override removes
 * the variable (to test missing configuration). Without `ELEVATE_STORE` in the overrides the
 * store is `sqlite:<new temporary folder>/elevate.db`.
 */
export function botEnv(sim: { baseUrl: string; caPath: string }, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const base = sim.baseUrl.replace(/\/+$/, '');
  const store = 'ELEVATE_STORE' in overrides ? undefined : `sqlite:${path.join(mkdtempSync(path.join(os.tmpdir(), 'elevate-bot-')), 'elevate.db')}`;
  const env: Record<string, string> = {
    ...baseEnv(),
    HOST: '127.0.0.1',
    PORT: '0',
    BOT_ID,
    BOT_PASSWORD,
    BOT_TENANT_ID: TENANT_ID,
    BOT_TYPE: 'MultiTenant',
    BOT_OPENID_METADATA_URL: `${base}/botframework/v1/.well-known/openidconfiguration`,
    BOT_TOKEN_ISSUER: 'https://api.botframework.com',
    BOT_LOGIN_URL: `${base}/botframework.com`,
    AAD_APP_CLIENT_ID,
    AAD_APP_CLIENT_SECRET,
    AAD_APP_TENANT_ID: TENANT_ID,
    AAD_APP_OAUTH_AUTHORITY_HOST: base,
    GRAPH_BASE_URL: `${base}/graph`,
    POWER_PLATFORM_API_URL: `${base}/powerplatform`,
    ...(store ? { ELEVATE_STORE: store } : {}),
    SECURITY_GROUP_ID,
    NODE_EXTRA_CA_CERTS: sim.caPath,
    LOG_LEVEL: 'info',
  };
  return mergeEnv(env, overrides);
}
