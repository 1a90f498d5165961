import assert from 'node:assert/strict';
import pino from 'pino';
import { TenantEnvironmentGroups } from '../../../../src/adapters/power-platform/tenant-environment-groups.js';
import type { EnvironmentGroupRef } from '../../../../src/domain/environment.js';
import { HttpError } from '../../../../src/domain/errors.js';
import type { TokenSource } from '../../../../src/ports/token-broker.js';
import { rejection } from '../../../support/rejection.js';

const FINANCE: EnvironmentGroupRef = { id: 'g-finance', displayName: 'Finance' };
const SALES: EnvironmentGroupRef = { id: 'g-sales', displayName: 'Sales' };
const appToken: TokenSource = async () => 'app';
const failing = (status: number) => async (): Promise<EnvironmentGroupRef[]> => {
  throw new HttpError(`HTTP ${status}`, status, status === 403 ? 'Forbidden' : 'InternalServerError', undefined, {});
};

function listing(answer: () => Promise<EnvironmentGroupRef[]>) {
  const tokens: string[] = [];
  return {
    tokens,
    powerPlatform: {
      listEnvironmentGroups: async (token: TokenSource) => {
        tokens.push(await token());
        return answer();
      },
    },
  };
}

describe('TenantEnvironmentGroups: where typed environment group names are looked up', () => {
  it("lists the groups with Elevate's own identity, reuses the listing for a few minutes, and adds the policy's groups", async () => {
    let now = 0;
    const { tokens, powerPlatform } = listing(async () => [FINANCE]);
    const directory = new TenantEnvironmentGroups({ powerPlatform, appToken, configured: [SALES, { ...FINANCE, displayName: 'Old name' }], now: () => now });

    assert.deepEqual(await directory.environmentGroups(), [FINANCE, SALES], "the API's details win over the policy's copy");
    now += 60_000;
    await directory.environmentGroups();
    now += 5 * 60_000;
    await directory.environmentGroups();
    assert.deepEqual(tokens, ['app', 'app']);
  });

  it("offers only the policy's groups when the listing is refused (not a management application), and says why once", async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const { powerPlatform } = listing(failing(403));
    const directory = new TenantEnvironmentGroups({ powerPlatform, appToken, configured: [SALES], logger });

    assert.deepEqual(await directory.environmentGroups(), [SALES]);
    assert.deepEqual(await directory.environmentGroups(), [SALES]);
    assert.equal(lines.filter((l) => l.includes('environmentGroupListing')).length, 1);
  });

  it('lets throttling and server errors through (a passing fault is not "no groups")', async () => {
    for (const status of [429, 503]) {
      const directory = new TenantEnvironmentGroups({ ...listing(failing(status)), appToken });
      const error = await rejection(directory.environmentGroups());
      assert.equal((error as HttpError).status, status);
    }
  });
});
