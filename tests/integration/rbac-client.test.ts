import assert from 'node:assert/strict';
import { GraphServicePrincipals } from '../../src/adapters/graph/service-principals.js';
import { HttpClient } from '../../src/adapters/http/http-client.js';
import { PowerPlatformClient } from '../../src/adapters/power-platform/power-platform-client.js';
import { PowerPlatformRbacClient } from '../../src/adapters/power-platform/rbac-client.js';
import { TenantEnvironmentGroups } from '../../src/adapters/power-platform/tenant-environment-groups.js';
import { HttpError, ServiceUnavailableError, ThrottledError } from '../../src/domain/errors.js';
import { RBAC_CONTRIBUTOR, RBAC_OWNER } from '../../src/domain/rbac.js';
import { ENVIRONMENTS, TENANT_ID, USERS } from '../simulator/tenant/seed.js';
import { ELEVATE_RBAC_APP, ENVIRONMENT_GROUPS, PIPELINE_APP } from '../simulator/tenant/rbac-seed.js';
import { rejection } from '../support/rejection.js';
import { trustingFetch } from './support/trusting-fetch.js';
import { PP_SCOPE, SimulatorFixture } from './simulator-fixture.js';

describe('PowerPlatformRbacClient and GraphServicePrincipals against the tenant simulator', function () {
  this.timeout(20_000);
  const f = new SimulatorFixture();
  f.install();
  let rbac: PowerPlatformRbacClient;
  let http: HttpClient;

  beforeEach(() => {
    http = new HttpClient({ fetch: trustingFetch(f.sim.ca), maxAttempts: 3, baseDelayMs: 5, perAttemptTimeoutMs: 1_000 });
    const token = async () =>
      (await f.app(ELEVATE_RBAC_APP.clientId, ELEVATE_RBAC_APP.secret).acquireTokenByClientCredential({ scopes: [PP_SCOPE] }))!.accessToken;
    rbac = new PowerPlatformRbacClient({ baseUrl: `${f.sim.baseUrl}/powerplatform`, http, token, tenantId: TENANT_ID });
  });

  const fault = (body: Record<string, unknown>) =>
    f.call('POST', '/_control/faults', undefined, { service: 'powerplatform', pathIncludes: '/authorization/', ...body });
  const env = { kind: 'environment' as const, id: ENVIRONMENTS.contosoDev.id };

  it("lists the environment groups with Elevate's management-application token, and none with the RBAC identity's (403: only the policy's)", async () => {
    const client = new PowerPlatformClient({ baseUrl: `${f.sim.baseUrl}/powerplatform`, http });
    const elevate = new TenantEnvironmentGroups({ powerPlatform: client, appToken: () => f.appToken('https://api.powerplatform.com') });
    const rbacApp = new TenantEnvironmentGroups({
      powerPlatform: client,
      appToken: async () =>
        (await f.app(ELEVATE_RBAC_APP.clientId, ELEVATE_RBAC_APP.secret).acquireTokenByClientCredential({ scopes: [PP_SCOPE] }))!.accessToken,
      configured: [{ id: 'g-configured', displayName: 'Configured' }],
    });
    assert.deepEqual(
      await elevate.environmentGroups(),
      Object.values(ENVIRONMENT_GROUPS).map((g) => ({ id: g.id, displayName: g.displayName })),
    );
    assert.deepEqual(await rbacApp.environmentGroups(), [{ id: 'g-configured', displayName: 'Configured' }]);
  });

  it('reads role definitions and creates, lists and deletes an assignment at each scope', async () => {
    const definitions = await rbac.listRoleDefinitions();
    for (const scope of [{ kind: 'tenant' as const }, { kind: 'environmentGroup' as const, id: ENVIRONMENT_GROUPS.finance.id }, env]) {
      const created = await rbac.createAssignment({ roleDefinitionId: RBAC_CONTRIBUTOR, principal: { type: 'User', id: USERS.adele.id }, scope });
      const listed = await rbac.listAssignments(scope);
      const removed = await rbac.deleteAssignment(scope, created.id);
      const again = await rbac.deleteAssignment(scope, created.id);
      assert.ok(listed.some((a) => a.id === created.id && a.principalId === USERS.adele.id));
      assert.deepEqual([removed, again], ['deleted', 'alreadyGone']);
    }
    assert.ok(definitions.some((d) => d.id === RBAC_OWNER && d.name === 'Power Platform owner'));
  });

  it('surfaces 400 PrincipalNotFound, 409 and 403 as typed errors with the service code', async () => {
    const missing = await rejection(
      rbac.createAssignment({ roleDefinitionId: RBAC_CONTRIBUTOR, principal: { type: 'User', id: PIPELINE_APP.servicePrincipalId }, scope: env }),
    );
    await rbac.createAssignment({
      roleDefinitionId: RBAC_CONTRIBUTOR,
      principal: { type: 'ApplicationUser', id: PIPELINE_APP.servicePrincipalId },
      scope: env,
    });
    const duplicate = await rejection(
      rbac.createAssignment({ roleDefinitionId: RBAC_CONTRIBUTOR, principal: { type: 'ApplicationUser', id: PIPELINE_APP.servicePrincipalId }, scope: env }),
    );
    f.sim.state.tenant.rbacAssignments = [];
    const forbidden = await rejection(rbac.listAssignments(env));

    assert.ok(missing instanceof HttpError && missing.status === 400 && missing.serviceCode === 'PrincipalNotFound');
    assert.ok(duplicate instanceof HttpError && duplicate.status === 409);
    assert.ok(forbidden instanceof HttpError && forbidden.status === 403);
  });

  it('waits out a 429 with Retry-After, and does not repeat a create that timed out (the caller reads back)', async () => {
    await fault({ status: 429, retryAfterSeconds: 0, times: 2 });
    const listed = await rbac.listAssignments({ kind: 'tenant' });
    await fault({ method: 'POST', delayMs: 1_500 });
    const timedOut = await rejection(rbac.createAssignment({ roleDefinitionId: RBAC_CONTRIBUTOR, principal: { type: 'User', id: USERS.lee.id }, scope: env }));
    await new Promise((resolve) => setTimeout(resolve, 700));
    const after = await rbac.listAssignments(env);

    assert.equal(listed.length, 1, "the RBAC identity's own assignment");
    assert.ok(timedOut instanceof ServiceUnavailableError, String(timedOut));
    assert.equal(after.filter((a) => a.principalId === USERS.lee.id).length, 1, 'the slow create still happened once');
    assert.ok(!(timedOut instanceof ThrottledError));
  });

  it("finds a service principal by name or app id and reads its owners with Elevate's app token", async () => {
    const graph = new GraphServicePrincipals({ baseUrl: `${f.sim.baseUrl}/graph`, http, appToken: () => f.appToken('https://graph.microsoft.com') });
    const byName = await graph.find(PIPELINE_APP.displayName);
    const byAppId = await graph.find(PIPELINE_APP.clientId.toUpperCase());
    const owners = await graph.ownerIds(PIPELINE_APP.servicePrincipalId);

    assert.deepEqual(
      byName.map((s) => s.id),
      [PIPELINE_APP.servicePrincipalId],
    );
    assert.deepEqual(
      byAppId.map((s) => s.appId),
      [PIPELINE_APP.clientId],
    );
    assert.deepEqual(owners, [USERS.adele.id]);
  });
});
