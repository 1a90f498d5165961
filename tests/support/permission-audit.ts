import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AAD_APP_CLIENT_ID } from '../simulator/tenant/seed.js';
import type { ScopeRecord } from '../simulator/entra/scope-log.js';
import { unlistedScopes } from './unlisted-scopes.js';

/**
 * Mocha root hooks (loaded by .mocharc.json for every run): every tenant simulator the suite starts,
 * in this process or as a child process, appends the scopes it was asked for to one file; after the
 * last test, any scope Elevate asked for that is not on its permission list fails the run
 * (docs/api-contracts.md §8). So the README's consent list and the code cannot drift apart.
 */
let folder: string | undefined;

export const mochaHooks = {
  beforeAll(): void {
    if (process.env['ELEVATE_SIM_SCOPE_LOG']) return;
    folder = mkdtempSync(path.join(os.tmpdir(), 'elevate-scopes-'));
    process.env['ELEVATE_SIM_SCOPE_LOG'] = path.join(folder, 'scopes.jsonl');
  },
  afterAll(): void {
    const file = process.env['ELEVATE_SIM_SCOPE_LOG'];
    if (!folder || !file) return;
    const records = existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => JSON.parse(line) as ScopeRecord)
      : [];
    rmSync(folder, { recursive: true, force: true });
    delete process.env['ELEVATE_SIM_SCOPE_LOG'];
    const unlisted = unlistedScopes(records, AAD_APP_CLIENT_ID);
    if (unlisted.length > 0) {
      throw new Error(
        `Elevate asked Entra for scopes that are not on its permission list (src/adapters/identity/permissions.ts), so a tenant set up by the README would refuse them:\n  ${unlisted.join('\n  ')}`,
      );
    }
  },
};
