import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AAD_APP_CLIENT_SECRET, BOT_ID, BOT_PASSWORD, ENVIRONMENTS, ROLES, SYSTEM_ADMINISTRATOR_TEMPLATE_ID, TEAM, USERS } from './tenant/seed.js';
import { errorOf, GRAPH_SCOPES, ME, PP_SCOPE, SimulatorFixture } from '../integration/simulator-fixture.js';

const GROUP_ID = '9a000000-0000-4000-8000-0000000000a1';

/** An active Power Platform Administrator assignment of `principalId`, started an hour ago. */
function directAssignment(principalId: string) {
  const start = new Date(Date.now() - 3600_000).toISOString();
  return {
    id: `assignment-${principalId}`,
    principalId,
    roleDefinitionId: ROLES.powerPlatformAdministrator,
    directoryScopeId: '/',
    appScopeId: null,
    startDateTime: start,
    endDateTime: new Date(Date.now() + 3600_000).toISOString(),
    assignmentType: 'Activated' as const,
    memberType: 'Direct' as const,
    roleAssignmentOriginId: `origin-${principalId}`,
    roleAssignmentScheduleId: `schedule-${principalId}`,
  };
}

const INSTANCES = `/graph/v1.0/roleManagement/directory/roleEligibilityScheduleInstances/${ME}`;

describe('tenant simulator: environments, Dataverse, connector, faults, control API', function () {
  this.timeout(10_000);
  const f = new SimulatorFixture();
  f.install();
  const dataverse = (domain: string) => `${f.sim.baseUrl}/dataverse/${domain}`;
  const connectorToken = async () =>
    (await f.app(BOT_ID, BOT_PASSWORD, 'botframework.com').acquireTokenByClientCredential({ scopes: ['https://api.botframework.com/.default'] }))!.accessToken;

  it('lists only the environments a user may see, with their Dataverse URL, and refuses a missing api-version', async () => {
    const lee = await f.obo(USERS.lee.id, [PP_SCOPE]);
    const alex = await f.obo(USERS.alex.id, [PP_SCOPE]);

    const forLee = await f.call('GET', '/powerplatform/environmentmanagement/environments?api-version=2024-10-01', lee);
    const forAlex = await f.call('GET', '/powerplatform/environmentmanagement/environments?api-version=2024-10-01', alex);
    const noVersion = await f.call('GET', '/powerplatform/environmentmanagement/environments', lee);

    assert.deepEqual(
      (forLee.body as { value: { id: string; url: string }[] }).value.map((e) => [e.id, e.url]),
      [[ENVIRONMENTS.contosoDev.id, dataverse('contosodev')]],
    );
    assert.equal((forAlex.body as { value: unknown[] }).value.length, 3, 'Alex holds roles in three environments and no active admin role');
    assert.equal(noVersion.status, 400);
  });

  it('lists every environment to an admin whose role is active directly, and to a registered management application', async () => {
    f.sim.state.tenant.assignments.push(directAssignment(USERS.adele.id));
    const adele = await f.obo(USERS.adele.id, [PP_SCOPE]);
    const app = await f.appToken('https://api.powerplatform.com');

    const forAdele = await f.call('GET', '/powerplatform/environmentmanagement/environments?api-version=2024-10-01', adele);
    const forApp = await f.call('GET', '/powerplatform/environmentmanagement/environments?api-version=2024-10-01', app);

    assert.equal((forAdele.body as { value: unknown[] }).value.length, 4);
    assert.equal((forApp.body as { value: unknown[] }).value.length, 4);
  });

  it('does not count an admin role that comes through a group for the listing (Power Platform ignores group roles)', async () => {
    f.sim.state.tenant.groups.push({ id: GROUP_ID, displayName: 'PP Admins', members: [USERS.adele.id] });
    f.sim.state.tenant.assignments.push({ ...directAssignment(GROUP_ID), memberType: 'Group' });
    const adele = await f.obo(USERS.adele.id, [PP_SCOPE]);

    const forAdele = await f.call('GET', '/powerplatform/environmentmanagement/environments?api-version=2024-10-01', adele);

    assert.deepEqual(
      (forAdele.body as { value: { id: string }[] }).value.map((e) => e.id),
      [ENVIRONMENTS.contosoDev.id],
    );
  });

  it("refuses an application that is not a registered management application, in BAP's words", async () => {
    f.sim.state.tenant.apps[0]!.powerPlatformManagementApp = false;
    const app = await f.appToken('https://api.powerplatform.com');

    const refused = await f.call('GET', '/powerplatform/environmentmanagement/environments?api-version=2024-10-01', app);

    assert.equal(refused.status, 403);
    assert.match(JSON.stringify(refused.body), /does not have permission to access the path/);
  });

  it('refuses a user token without the listing or self-elevation scope: 403 InsufficientDelegatedPermissions', async () => {
    f.sim.state.tenant.apps[0]!.delegatedPermissions.powerplatform = ['AppManagement.ApplicationPackages.Read'];
    f.sim.state.tenant.assignments.push(directAssignment(USERS.adele.id));
    const adele = await f.obo(USERS.adele.id, [PP_SCOPE]);

    const list = await f.call('GET', '/powerplatform/environmentmanagement/environments?api-version=2024-10-01', adele);
    const apply = await f.call(
      'POST',
      `/powerplatform/usermanagement/environments/${ENVIRONMENTS.contosoProd.id}/user/applyAdminRole?api-version=2022-03-01-preview`,
      adele,
    );

    assert.deepEqual([list.status, apply.status], [403, 403]);
    assert.match(JSON.stringify(list.body), /InsufficientDelegatedPermissions.*EnvironmentManagement\.Environments\.Read/);
    assert.match(JSON.stringify(apply.body), /UserManagement\.Users\.Apply/);
  });

  it("removes System Administrator from a user in Dataverse with the app's own identity", async () => {
    const token = await f.appToken(dataverse('contosodev'));
    const api = '/dataverse/contosodev/api/data/v9.2';
    const roleFilter = (bu: string) => encodeURIComponent(`_roletemplateid_value eq ${SYSTEM_ADMINISTRATOR_TEMPLATE_ID} and _businessunitid_value eq ${bu}`);

    const users = await f.call(
      'GET',
      `${api}/systemusers?$filter=${encodeURIComponent(`azureactivedirectoryobjectid eq ${USERS.alex.id}`)}&$select=systemuserid,fullname,isdisabled`,
      token,
    );
    const userId = (users.body as { value: { systemuserid: string }[] }).value[0]!.systemuserid;
    const units = await f.call(
      'GET',
      `${api}/businessunits?$select=businessunitid&$filter=${encodeURIComponent('_parentbusinessunitid_value eq null')}`,
      token,
    );
    const bu = (units.body as { value: { businessunitid: string }[] }).value[0]!.businessunitid;
    const roles = await f.call('GET', `${api}/roles?$select=roleid,name&$filter=${roleFilter(bu)}`, token);
    const roleId = (roles.body as { value: { roleid: string }[] }).value[0]!.roleid;
    const removed = await f.call('DELETE', `${api}/systemusers(${userId})/systemuserroles_association(${roleId})/$ref`, token);
    const after = await f.call('GET', `${api}/systemusers(${userId})/systemuserroles_association?$select=roleid,name,_roletemplateid_value`, token);

    assert.equal(removed.status, 204);
    assert.deepEqual(
      (after.body as { value: { name: string }[] }).value.map((r) => r.name),
      ['Basic User'],
    );
  });

  it('refuses Dataverse calls with a token for another environment, an unknown filter, or a caller who is not a member', async () => {
    const api = '/dataverse/contosodev/api/data/v9.2';
    const otherEnv = await f.appToken(dataverse('contosoprod'));
    const own = await f.appToken(dataverse('contosodev'));
    f.sim.state.tenant.apps[0]!.delegatedPermissions.dataverse = ['user_impersonation'];
    const lee = await f.obo(USERS.lee.id, [`${dataverse('fabrikamsales')}/user_impersonation`]);

    const wrongAudience = await f.call('GET', `${api}/roles`, otherEnv);
    const badFilter = await f.call('GET', `${api}/roles?$filter=${encodeURIComponent("contains(name,'Admin')")}`, own);
    const notMember = await f.call('GET', '/dataverse/fabrikamsales/api/data/v9.2/roles', lee);

    assert.deepEqual([wrongAudience.status, badFilter.status, notMember.status], [401, 400, 403]);
    assert.match(errorOf(badFilter).code, /^0x/);
  });

  it('creates a channel thread, updates its root message in place and refuses unknown or oversized posts', async () => {
    const token = await connectorToken();

    const created = await f.call('POST', '/connector/v3/conversations', token, {
      isGroup: true,
      channelData: { channel: { id: TEAM.securityChannelId } },
      activity: { type: 'message', text: 'v1' },
    });
    const { id, activityId } = created.body as { id: string; activityId: string };
    const updated = await f.call('PUT', `/connector/v3/conversations/${encodeURIComponent(id)}/activities/${activityId}`, token, {
      type: 'message',
      text: 'v2',
    });
    const unknown = await f.call('PUT', `/connector/v3/conversations/${encodeURIComponent(id)}/activities/42`, token, { type: 'message', text: 'x' });
    const big = await f.call('POST', `/connector/v3/conversations/${encodeURIComponent(id)}/activities`, token, {
      type: 'message',
      text: 'x'.repeat(110 * 1024),
    });
    const recorded = await f.call('GET', `/_control/activities?conversationId=${encodeURIComponent(TEAM.securityChannelId)}`);

    assert.equal(id, `${TEAM.securityChannelId};messageid=${activityId}`);
    assert.deepEqual([updated.status, unknown.status, big.status], [200, 404, 413]);
    const [root] = recorded.body as { activity: { text: string }; updates: unknown[] }[];
    assert.equal(root?.activity.text, 'v2');
    assert.equal(root?.updates.length, 1);
  });

  it('injects a Graph 429 with Retry-After for the given number of calls, then answers normally', async () => {
    const token = await f.obo(USERS.adele.id, GRAPH_SCOPES);
    await f.call('POST', '/_control/faults', undefined, {
      service: 'graph',
      pathIncludes: 'roleEligibilityScheduleInstances',
      status: 429,
      times: 2,
      retryAfterSeconds: 3,
    });

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await f.call('GET', INSTANCES, token));

    assert.deepEqual(
      statuses.map((r) => r.status),
      [429, 429, 200],
    );
    assert.equal(statuses[0]!.headers['retry-after'], '3');
    assert.equal(errorOf(statuses[0]!).code, 'TooManyRequests');
  });

  it('logs decoded claims and redacted bodies, never a token or a secret', async () => {
    const token = await f.obo(USERS.adele.id, GRAPH_SCOPES);
    await f.call('GET', INSTANCES, token);

    const log = await f.call('GET', '/_control/requests');

    const text = JSON.stringify(log.body);
    assert.equal(text.includes(AAD_APP_CLIENT_SECRET), false);
    assert.equal(text.includes(token.split('.')[2]!), false);
    const graph = (log.body as { service: string; token: { oid: string } | null }[]).find((r) => r.service === 'graph');
    assert.equal(graph?.token?.oid, USERS.adele.id);
  });

  it("mints channel tokens with the msteams key of the issuer's JWKS, already expired when asked", async () => {
    const serviceUrl = `${f.sim.baseUrl}/connector/`;
    const keys = (await f.call('GET', '/botframework/v1/keys')).body as { keys: { kid: string; n: string; e: string; endorsements: string[] }[] };
    const { token } = (await f.call('POST', '/_control/channel-token', undefined, { serviceUrl })).body as { token: string };
    const expired = (await f.call('POST', '/_control/channel-token', undefined, { serviceUrl, expiresInSeconds: -3600 })).body as { token: string };

    const kid = jwt.decode(token, { complete: true })!.header.kid;
    const jwk = keys.keys.find((k) => k.kid === kid)!;
    const claims = jwt.verify(token, createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' })) as Record<string, unknown>;
    assert.deepEqual(jwk.endorsements, ['msteams']);
    assert.deepEqual([claims['iss'], claims['aud'], claims['serviceurl']], ['https://api.botframework.com', BOT_ID, serviceUrl]);
    assert.ok((jwt.decode(expired.token) as { exp: number }).exp < Date.now() / 1000);
  });
});
