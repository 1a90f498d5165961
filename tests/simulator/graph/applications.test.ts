import assert from 'node:assert/strict';
import { AAD_APP_CLIENT_ID, OPERATOR_CLIENT_ID, SECURITY_GROUP_ID, USERS } from '../tenant/seed.js';
import { errorOf, msalError, SimulatorFixture } from '../../integration/simulator-fixture.js';

const GRAPH = '/graph/v1.0';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const PP_APP_ID = '8578e004-a5c6-46e7-913e-12f58912df43';
const ELEVATE_SP = 'e1e7a7e0-5e00-4000-8000-0000000055a0';
const OPERATOR_SCOPES = ['Application.Read.All', 'Directory.Read.All', 'RoleManagementPolicy.Read.Directory'].map((s) => `https://graph.microsoft.com/${s}`);

type Json = Record<string, unknown>;

describe("tenant simulator: Graph's app registrations, service principals and consent", function () {
  this.timeout(20_000);
  const f = new SimulatorFixture();
  f.install();
  beforeEach(() => (f.sim.state.settings.deviceCodeIntervalSeconds = 1));

  /** A delegated Graph token through the device code flow, for Patti (Global Reader) or another user. */
  async function signedIn(userId = 'patti'): Promise<string> {
    const result = await f.publicApp(OPERATOR_CLIENT_ID).acquireTokenByDeviceCode({
      scopes: OPERATOR_SCOPES,
      deviceCodeCallback: (info) => void f.call('POST', '/_control/device-codes', undefined, { userCode: info.userCode, userId }),
    });
    assert.ok(result?.accessToken);
    return result.accessToken;
  }

  it("serves a resource's service principal by app id with its appRoles, and 404 for an app id the tenant lacks", async () => {
    const token = await signedIn();

    const graph = await f.call('GET', `${GRAPH}/servicePrincipals(appId='${GRAPH_APP_ID}')?$select=id,appId,appRoles`, token);
    f.sim.state.tenant.servicePrincipals = f.sim.state.tenant.servicePrincipals.filter((sp) => sp.appId !== PP_APP_ID);
    const gone = await f.call('GET', `${GRAPH}/servicePrincipals(appId='${PP_APP_ID}')`, token);
    const filtered = await f.call('GET', `${GRAPH}/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${AAD_APP_CLIENT_ID}'`)}`, token);

    const roles = (graph.body as { appRoles: { id: string; value: string }[] }).appRoles;
    assert.equal(roles.find((r) => r.value === 'GroupMember.Read.All')?.id, '98830695-27a2-44f7-8c18-0c3ebc9698f6');
    assert.deepEqual(Object.keys(graph.body as Json).sort(), ['@odata.context', 'appId', 'appRoles', 'id']);
    assert.deepEqual([gone.status, errorOf(gone).code], [404, 'Request_ResourceNotFound']);
    assert.deepEqual(
      ((filtered.body as { value: Json[] }).value ?? []).map((sp) => sp['id']),
      [ELEVATE_SP],
    );
  });

  it('refuses tokens for the Power Platform API once its service principal is gone (AADSTS500011)', async () => {
    f.sim.state.tenant.servicePrincipals = f.sim.state.tenant.servicePrincipals.filter((sp) => sp.appId !== PP_APP_ID);

    const error = await msalError(() => f.app().acquireTokenByClientCredential({ scopes: ['https://api.powerplatform.com/.default'] }));

    assert.match(error.errorMessage, /AADSTS500011/);
  });

  it('lists the tenant-wide grants of a client with their space-separated scope, and its app role assignments', async () => {
    const token = await signedIn();

    const grants = await f.call('GET', `${GRAPH}/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${ELEVATE_SP}'`)}`, token);
    const assignments = await f.call('GET', `${GRAPH}/servicePrincipals/${ELEVATE_SP}/appRoleAssignments`, token);

    const byResource = new Map(((grants.body as { value: Json[] }).value ?? []).map((g) => [g['resourceId'], g]));
    const graphSp = f.sim.state.tenant.servicePrincipals.find((sp) => sp.appId === GRAPH_APP_ID)!;
    assert.equal(byResource.get(graphSp.id)?.['consentType'], 'AllPrincipals');
    assert.match(String(byResource.get(graphSp.id)?.['scope']), /^RoleAssignmentSchedule\.ReadWrite\.Directory RoleEligibilitySchedule\.Read\.Directory /);
    assert.equal(byResource.get(ELEVATE_SP)?.['scope'], 'access_as_user');
    const roleIds = ((assignments.body as { value: Json[] }).value ?? []).map((a) => a['appRoleId']);
    assert.deepEqual(roleIds, [
      'df021288-bdef-4463-88db-98f22de89214',
      '98830695-27a2-44f7-8c18-0c3ebc9698f6',
      'bfa51a54-38be-4886-8c56-a521589943e0',
      '483bed4a-2ad3-4361-a73b-c83ccdbdc53c',
      // Application.Read.All (app role id from learn.microsoft.com/graph/permissions-reference [D]): service principal
      // owners for Power Platform RBAC grants (issue #14; docs/api-contracts.md §3 RBAC, serviceprincipal-list-owners [D]).
      '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
    ]);
  });

  it('wants a supporting directory role of a delegated caller of consent grants, and Application.Read.All of an app', async () => {
    const adele = await signedIn(USERS.adele.id);
    // Elevate's app holds Application.Read.All (issue #14); without it, reading the application is refused: Graph
    // answers 403 Authorization_RequestDenied to an app token without a listed permission (graph/api/application-get,
    // "Permissions" [D]; docs/api-contracts.md §3 RBAC).
    const app = f.sim.state.tenant.apps[0]!;
    app.appRoles.graph = (app.appRoles.graph ?? []).filter((role) => role !== 'Application.Read.All');
    const elevate = await f.appToken('https://graph.microsoft.com');

    const grants = await f.call('GET', `${GRAPH}/oauth2PermissionGrants`, adele);
    const assignments = await f.call('GET', `${GRAPH}/servicePrincipals/${ELEVATE_SP}/appRoleAssignments`, adele);
    const sp = await f.call('GET', `${GRAPH}/servicePrincipals(appId='${GRAPH_APP_ID}')`, adele);
    const byApp = await f.call('GET', `${GRAPH}/applications(appId='${AAD_APP_CLIENT_ID}')`, elevate);

    assert.deepEqual([grants.status, errorOf(grants).code], [403, 'Authorization_RequestDenied']);
    assert.equal(assignments.status, 403);
    assert.equal(sp.status, 200, 'reading service principals needs no role (default user permissions)');
    assert.deepEqual([byApp.status, errorOf(byApp).code], [403, 'Authorization_RequestDenied']);
  });

  it('serves the application object: secrets by hint and end date, redirect URIs, the exposed API and identifier URIs', async () => {
    const token = await signedIn();

    const res = await f.call('GET', `${GRAPH}/applications(appId='${AAD_APP_CLIENT_ID}')`, token);

    const app = res.body as {
      passwordCredentials: Json[];
      web: { redirectUris: string[] };
      identifierUris: string[];
      api: {
        requestedAccessTokenVersion: number;
        oauth2PermissionScopes: { id: string; value: string }[];
        preAuthorizedApplications: { appId: string; delegatedPermissionIds: string[] }[];
      };
    };
    assert.equal(app.passwordCredentials[0]?.['hint'], 'sim');
    assert.equal(app.passwordCredentials[0]?.['secretText'], null);
    assert.equal(app.passwordCredentials[0]?.['endDateTime'], f.sim.state.tenant.apps[0]!.secretEndDateTimes![0]);
    assert.ok(app.web.redirectUris.includes('http://127.0.0.1/auth/callback'));
    assert.deepEqual(app.identifierUris, ['api://botid-0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7']);
    const scope = app.api.oauth2PermissionScopes.find((s) => s.value === 'access_as_user')!;
    assert.equal(app.api.requestedAccessTokenVersion, 2);
    assert.deepEqual(
      app.api.preAuthorizedApplications.map((p) => [p.appId, p.delegatedPermissionIds]),
      [
        ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', [scope.id]],
        ['5e3ce6c0-2b1f-4285-8d4b-75ee78787346', [scope.id]],
      ],
    );
  });

  it("refuses an expired client secret with AADSTS7000222, and serves groups and users to Elevate's app token", async () => {
    const token = await f.appToken('https://graph.microsoft.com');
    const group = await f.call('GET', `${GRAPH}/groups/${SECURITY_GROUP_ID}?$select=id,displayName`, token);
    const unknown = await f.call('GET', `${GRAPH}/groups/0dd00000-0000-4000-8000-000000000bad`, token);
    const user = await f.call('GET', `${GRAPH}/users/${USERS.megan.id}?$select=id,displayName,accountEnabled`, token);
    f.sim.state.tenant.apps[0]!.secretEndDateTimes = [new Date(Date.now() - 60_000).toISOString()];

    const error = await msalError(() => f.app().acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'], skipCache: true }));

    assert.deepEqual([group.status, (group.body as Json)['displayName']], [200, 'Elevate Security Team']);
    assert.equal(unknown.status, 404);
    assert.deepEqual([(user.body as Json)['displayName'], (user.body as Json)['accountEnabled']], ['Megan Bowen', true]);
    assert.match(error.errorMessage, /AADSTS7000222/);
  });
});
