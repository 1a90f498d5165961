import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../../harness/env.js';
import * as tenant from '../../harness/tenant.js';

/** Every value of the harness's seed constants, flattened. */
function values(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(values);
  if (value && typeof value === 'object') return Object.values(value).flatMap(values);
  return [];
}

describe("harness: the demo tenant matches the simulator's seed", () => {
  const seedPath = path.join(repoRoot(), 'tests/simulator/seed.ts');

  it('knows every id, name and secret that tests/simulator/seed.ts exports', () => {
    const seed = JSON.stringify(createRequire(__filename)(seedPath) as unknown);
    const expected = values({ ...tenant, BOT_NAME: undefined, ROLES: undefined, SEED_SECRETS: undefined });
    const missing = expected.filter((v) => !seed.includes(v));
    assert.deepEqual(missing, [], `values the seed does not export: ${missing.join(', ')}`);
  });
});
