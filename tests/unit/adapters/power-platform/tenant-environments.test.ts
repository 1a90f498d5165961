import assert from 'node:assert/strict';
import { TenantEnvironments } from '../../../../src/adapters/power-platform/tenant-environments.js';
import type { EnvironmentRef } from '../../../../src/domain/environment.js';
import { HttpError } from '../../../../src/domain/errors.js';
import type { PowerPlatform } from '../../../../src/ports/power-platform.js';
import type { TokenSource } from '../../../../src/ports/token-broker.js';
import { rejection } from '../../../support/rejection.js';

const PROD: EnvironmentRef = { id: 'e-prod', displayName: 'Contoso Prod', type: 'Production', url: 'https://prod.crm.dynamics.com' };
const DEV: EnvironmentRef = { id: 'e-dev', displayName: 'Contoso Dev', type: 'Sandbox', url: 'https://dev.crm.dynamics.com' };
const appToken: TokenSource = async () => 'app';
const userToken: TokenSource = async () => 'user';

/** Answers the app's and the user's listings as scripted, and counts the calls of each. */
function powerPlatform(app: () => Promise<EnvironmentRef[]>, user: () => Promise<EnvironmentRef[]>) {
  const calls = { app: 0, user: 0 };
  const fake: PowerPlatform = {
    listEnvironments: async (token) => ((await token()) === 'app' ? (calls.app++, app()) : (calls.user++, user())),
    applyAdminRole: async () => ({ code: 'UserExists', details: [] }),
  };
  return { fake, calls };
}

const refused = (status: number) => Promise.reject(new HttpError(`HTTP ${status}`, status, 'Forbidden', undefined, {}));

describe('TenantEnvironments: where typed environment names are looked up', () => {
  it("lists every environment with Elevate's own identity and reuses the listing for a few minutes", async () => {
    let now = 0;
    const { fake, calls } = powerPlatform(
      async () => [PROD, DEV],
      async () => [DEV],
    );
    const directory = new TenantEnvironments({ powerPlatform: fake, appToken, now: () => now });

    assert.deepEqual(await directory.environmentsFor(userToken), [PROD, DEV]);
    now += 60_000;
    await directory.environmentsFor(userToken);
    now += 5 * 60_000;
    await directory.environmentsFor(userToken);

    assert.deepEqual(calls, { app: 2, user: 0 });
  });

  for (const [name, answer] of [
    ['a 403 (not a registered management application)', () => refused(403)],
    ['an empty list', async () => []],
  ] as const) {
    it(`falls back to the requester's own listing on ${name}, with the policy's environments on top`, async () => {
      const { fake } = powerPlatform(answer, async () => [DEV]);
      const directory = new TenantEnvironments({ powerPlatform: fake, appToken, configured: [PROD, { ...DEV, displayName: 'stale copy' }] });

      assert.deepEqual(await directory.environmentsFor(userToken), [DEV, PROD], 'a listed environment wins over its configured copy');
    });
  }

  it('keeps only the configured environments when the user listing is refused too', async () => {
    const { fake } = powerPlatform(
      () => refused(403),
      () => refused(403),
    );
    const directory = new TenantEnvironments({ powerPlatform: fake, appToken, configured: [PROD] });
    assert.deepEqual(await directory.environmentsFor(userToken), [PROD]);
  });

  it('lets a passing fault through instead of pretending there is no environment', async () => {
    const { fake } = powerPlatform(
      () => refused(503),
      async () => [DEV],
    );
    const directory = new TenantEnvironments({ powerPlatform: fake, appToken });
    const error = await rejection(directory.environmentsFor(userToken));
    assert.ok(error instanceof HttpError && error.status === 503);
  });
});
