import assert from 'node:assert/strict';
import { ENVIRONMENTS, TENANT_ID, USERS } from '../tenant/seed.js';
import { ELEVATE_RBAC_APP, ENVIRONMENT_GROUPS, PIPELINE_APP, RBAC_ROLES } from '../tenant/rbac-seed.js';
import { errorOf, PP_SCOPE, SimulatorFixture } from '../../integration/simulator-fixture.js';

const V = 'api-version=2024-10-01';
const TENANT_SCOPE = `/tenants/${TENANT_ID}`;
const envScope = (id: string) => `${TENANT_SCOPE}/environments/${id}`;
const groupScope = (id: string) => `${TENANT_SCOPE}/environmentGroups/${id}`;

describe('tenant simulator: Power Platform Authorization API (RBAC)', function () {
  this.timeout(10_000);
  const f = new SimulatorFixture();
  f.install();
  const rbacToken = async () =>
    (await f.app(ELEVATE_RBAC_APP.clientId, ELEVATE_RBAC_APP.secret).acquireTokenByClientCredential({ scopes: [PP_SCOPE] }))!.accessToken;
  const assign = (principalObjectId: string, scope: string, principalType = 'User', roleDefinitionId: string = RBAC_ROLES.contributor) => ({
    roleDefinitionId,
    principalObjectId,
    principalType,
    scope,
  });

  it('lists the four built-in role definitions by id and name', async () => {
    const res = await f.call('GET', `/powerplatform/authorization/roleDefinitions?${V}`, await rbacToken());
    const names = (res.body as { value: { roleDefinitionId: string; roleDefinitionName: string }[] }).value.map((r) => r.roleDefinitionId);
    assert.equal(res.status, 200);
    assert.deepEqual(names.sort(), Object.values(RBAC_ROLES).sort());
  });

  it('creates, lists and deletes assignments at tenant, environment group and environment scope', async () => {
    const token = await rbacToken();
    const cases = [
      { path: '/powerplatform/authorization/roleAssignments', scope: TENANT_SCOPE },
      {
        path: `/powerplatform/authorization/environmentGroups/${ENVIRONMENT_GROUPS.finance.id}/roleAssignments`,
        scope: groupScope(ENVIRONMENT_GROUPS.finance.id),
      },
      { path: `/powerplatform/authorization/environments/${ENVIRONMENTS.contosoProd.id}/roleAssignments`, scope: envScope(ENVIRONMENTS.contosoProd.id) },
    ];
    for (const c of cases) {
      const created = await f.call('POST', `${c.path}?${V}`, token, assign(USERS.adele.id, c.scope));
      const id = (created.body as { roleAssignmentId: string }).roleAssignmentId;
      const listed = await f.call('GET', `${c.path}?${V}`, token);
      const deleted = await f.call('DELETE', `${c.path}/${id}?${V}`, token);
      const again = await f.call('DELETE', `${c.path}/${id}?${V}`, token);

      assert.equal(created.status, 201, c.scope);
      assert.equal((created.body as { scope: string }).scope, c.scope);
      assert.ok((listed.body as { value: { roleAssignmentId: string }[] }).value.some((a) => a.roleAssignmentId === id));
      assert.equal(deleted.status, 204);
      assert.equal(again.status, 404);
      assert.equal(errorOf(again).message, 'The role assignment does not exist.');
    }
  });

  it('assigns a service principal as ApplicationUser and refuses unknown principals, wrong scopes and duplicates', async () => {
    const token = await rbacToken();
    const path = `/powerplatform/authorization/environments/${ENVIRONMENTS.contosoDev.id}/roleAssignments?${V}`;
    const scope = envScope(ENVIRONMENTS.contosoDev.id);

    const sp = await f.call('POST', path, token, assign(PIPELINE_APP.servicePrincipalId, scope, 'ApplicationUser'));
    const userAsApp = await f.call('POST', path, token, assign(USERS.adele.id, scope, 'ApplicationUser'));
    const unknown = await f.call('POST', path, token, assign('00000000-0000-4000-8000-000000000000', scope));
    const wrongScope = await f.call('POST', path, token, assign(USERS.adele.id, envScope(ENVIRONMENTS.contosoProd.id)));
    const noSuchEnv = await f.call(
      'POST',
      `/powerplatform/authorization/environments/nope/roleAssignments?${V}`,
      token,
      assign(USERS.adele.id, envScope('nope')),
    );
    const duplicate = await f.call('POST', path, token, assign(PIPELINE_APP.servicePrincipalId, scope, 'ApplicationUser'));

    assert.equal(sp.status, 201);
    assert.deepEqual([userAsApp.status, errorOf(userAsApp).code], [400, 'PrincipalNotFound']);
    assert.deepEqual([unknown.status, errorOf(unknown).code], [400, 'PrincipalNotFound']);
    assert.deepEqual([wrongScope.status, errorOf(wrongScope).code], [400, 'InvalidScope']);
    assert.deepEqual([noSuchEnv.status, errorOf(noSuchEnv).code], [400, 'InvalidScope']);
    assert.deepEqual([duplicate.status, errorOf(duplicate).code], [409, 'RoleAssignmentAlreadyExists']);
  });

  it('refuses a caller without the RBAC Administrator role (403) and accepts one whose role covers the scope', async () => {
    f.sim.state.tenant.rbacAssignments = [];
    const path = `/powerplatform/authorization/environments/${ENVIRONMENTS.fabrikamSales.id}/roleAssignments?${V}`;
    const body = assign(USERS.lee.id, envScope(ENVIRONMENTS.fabrikamSales.id));
    const refused = await f.call('POST', path, await rbacToken(), body);
    f.sim.state.tenant.rbacAssignments.push({
      roleAssignmentId: 'group-admin',
      principalObjectId: ELEVATE_RBAC_APP.servicePrincipalId,
      principalType: 'ApplicationUser',
      roleDefinitionId: RBAC_ROLES.rbacAdministrator,
      scope: groupScope(ENVIRONMENT_GROUPS.finance.id),
      createdOn: new Date().toISOString(),
    });
    const inherited = await f.call('POST', path, await rbacToken(), body);
    const outside = await f.call('POST', '/powerplatform/authorization/roleAssignments?' + V, await rbacToken(), assign(USERS.lee.id, TENANT_SCOPE));

    assert.deepEqual([refused.status, errorOf(refused).code], [403, 'Forbidden']);
    assert.equal(inherited.status, 201, 'the Finance group holds Fabrikam Sales');
    assert.equal(outside.status, 403);
  });

  it('pages lists with @odata.nextLink and answers injected 429s with Retry-After', async () => {
    const token = await rbacToken();
    for (let i = 0; i < 60; i++) {
      f.sim.state.tenant.rbacAssignments.push({
        roleAssignmentId: `bulk-${i}`,
        principalObjectId: USERS.megan.id,
        principalType: 'User',
        roleDefinitionId: RBAC_ROLES.reader,
        scope: TENANT_SCOPE,
        createdOn: new Date().toISOString(),
      });
    }
    const first = await f.call('GET', `/powerplatform/authorization/roleAssignments?${V}`, token);
    const page = first.body as { value: unknown[]; '@odata.nextLink': string };
    const next = await f.call('GET', page['@odata.nextLink'].replace(f.sim.baseUrl, ''), token);
    await f.call('POST', '/_control/faults', undefined, { service: 'powerplatform', pathIncludes: '/authorization/', status: 429, retryAfterSeconds: 7 });
    const throttled = await f.call('GET', `/powerplatform/authorization/roleAssignments?${V}`, token);

    assert.equal(page.value.length, 50);
    assert.equal((next.body as { value: unknown[] }).value.length, 11, '60 bulk + the RBAC identity');
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '7');
  });

  it('lists the owners of a service principal with Application.Read.All', async () => {
    f.sim.state.tenant.apps[0]!.appRoles.graph = [...(f.sim.state.tenant.apps[0]!.appRoles.graph ?? []), 'Application.Read.All'];
    const token = await f.appToken('https://graph.microsoft.com');
    const owners = await f.call('GET', `/graph/v1.0/servicePrincipals/${PIPELINE_APP.servicePrincipalId}/owners`, token);

    assert.equal(owners.status, 200);
    assert.deepEqual(
      (owners.body as { value: { id: string }[] }).value.map((o) => o.id),
      [USERS.adele.id],
    );
  });
});
