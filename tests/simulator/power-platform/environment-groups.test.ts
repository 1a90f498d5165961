import assert from 'node:assert/strict';
import { USERS } from '../tenant/seed.js';
import { ELEVATE_RBAC_APP, ENVIRONMENT_GROUPS } from '../tenant/rbac-seed.js';
import { errorOf, PP_SCOPE, SimulatorFixture } from '../../integration/simulator-fixture.js';

/**
 * What these tests hold the simulator to: docs/api-contracts.md §3 "Environment groups", from the REST reference
 * learn.microsoft.com/rest/api/power-platform/environmentmanagement/environment-groups [D] (fields, api-versions,
 * ProblemDetails errors); listing the collection is [3P], and who may list and the 404 for an unknown group are [?]
 * there, chosen by the simulator and tolerated by the bot.
 */
const LIST = '/powerplatform/environmentmanagement/environmentGroups';
type Problem = { type: string; title: string; status: number; detail: string; instance: string };

describe('tenant simulator: Power Platform environment groups', function () {
  this.timeout(10_000);
  const f = new SimulatorFixture();
  f.install();

  it('lists every group (REST reference fields) to a registered management application, in both api-versions, and gets one by id', async () => {
    const token = await f.appToken('https://api.powerplatform.com');
    for (const version of ['2022-03-01-preview', '2024-10-01']) {
      const res = await f.call('GET', `${LIST}?api-version=${version}`, token);
      const groups = (res.body as { value: Record<string, unknown>[] }).value;
      assert.equal(res.status, 200, version);
      assert.deepEqual(
        groups.map((g) => g['displayName']),
        Object.values(ENVIRONMENT_GROUPS).map((g) => g.displayName),
      );
      assert.ok(groups.every((g) => typeof g['id'] === 'string' && Array.isArray(g['childrenGroupIds']) && typeof g['createdTime'] === 'string'));
      assert.ok(res.headers['x-ms-correlation-id']);
    }
    const one = await f.call('GET', `${LIST}/${ENVIRONMENT_GROUPS.finance.id}?api-version=2024-10-01`, token);
    assert.deepEqual([one.status, (one.body as { displayName: string }).displayName], [200, 'Finance']);
  });

  it('answers ProblemDetails: 404 for an unknown group, 400 for an id that is no uuid; an unsupported api-version is refused', async () => {
    const token = await f.appToken('https://api.powerplatform.com');
    const missing = await f.call('GET', `${LIST}/6e000000-0000-4000-8000-00000000dead?api-version=2024-10-01`, token);
    const bad = await f.call('GET', `${LIST}/not-a-group?api-version=2024-10-01`, token);
    const version = await f.call('GET', `${LIST}?api-version=2021-04-01`, token);
    assert.deepEqual([missing.status, (missing.body as Problem).status, (missing.body as Problem).title], [404, 404, 'Not Found']);
    assert.deepEqual([bad.status, (bad.body as Problem).title], [400, 'Bad Request']);
    assert.equal(version.status, 400);
    assert.equal(errorOf(version).code, 'UnsupportedApiVersion');
  });

  it('refuses an application that is not a management application and a user without the permission or an active admin role (403)', async () => {
    const rbacApp = (await f.app(ELEVATE_RBAC_APP.clientId, ELEVATE_RBAC_APP.secret).acquireTokenByClientCredential({ scopes: [PP_SCOPE] }))!.accessToken;
    const user = await f.obo(USERS.adele.id, [PP_SCOPE]);
    for (const token of [rbacApp, user]) {
      const res = await f.call('GET', `${LIST}?api-version=2024-10-01`, token);
      assert.deepEqual([res.status, (res.body as Problem).status], [403, 403]);
    }
  });
});
