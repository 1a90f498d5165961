import assert from 'node:assert/strict';
import { DataverseClient } from '../../src/adapters/dataverse/dataverse-client.js';
import { DataverseAccessDeniedError } from '../../src/adapters/dataverse/dataverse-errors.js';
import { HttpClient } from '../../src/adapters/http/http-client.js';
import { MsalTokenBroker } from '../../src/adapters/identity/msal-token-broker.js';
import { PowerPlatformClient } from '../../src/adapters/power-platform/power-platform-client.js';
import type { TokenSource } from '../../src/ports/token-broker.js';
import { AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET, ENVIRONMENTS, ROLES, TENANT_ID, USERS } from '../simulator/tenant/seed.js';
import { trustingFetch } from './support/trusting-fetch.js';
import { activation, GRAPH_SCOPES, PP_SCOPE, REQUESTS, SimulatorFixture } from './simulator-fixture.js';
import { rejection } from '../support/rejection.js';

interface LoggedRequest {
  method: string;
  path: string;
  token: { aud?: string; idtyp?: string; appid?: string } | null;
}

describe('DataverseClient against the tenant simulator', function () {
  this.timeout(20_000);
  const f = new SimulatorFixture();
  f.install();
  let http: HttpClient;
  let broker: MsalTokenBroker;
  let dataverse: DataverseClient;
  const envUrl = (domain: string) => `${f.sim.baseUrl}/dataverse/${domain}`;

  beforeEach(() => {
    // Elevate asks for no delegated Dataverse scope; these tests hand Dataverse a user's token on purpose.
    f.sim.state.tenant.apps[0]!.delegatedPermissions.dataverse = ['user_impersonation'];
    http = new HttpClient({ fetch: trustingFetch(f.sim.ca), maxAttempts: 2, baseDelayMs: 10 });
    broker = new MsalTokenBroker({
      clientId: AAD_APP_CLIENT_ID,
      clientSecret: AAD_APP_CLIENT_SECRET,
      tenantId: TENANT_ID,
      authorityHost: f.sim.baseUrl,
      // The real msal-node client, only with a transport that trusts the simulator's CA.
      confidentialClient: f.elevateApp(),
    });
    dataverse = new DataverseClient({ http, appToken: (resource) => broker.forApp(resource) });
  });

  async function dataverseRequests(): Promise<LoggedRequest[]> {
    return (await f.call('GET', '/_control/requests?service=dataverse')).body as LoggedRequest[];
  }

  it('sees standing System Administrator (Alex in Contoso Dev) and its absence (Adele in Contoso Prod, Lee with no systemuser)', async () => {
    const alex = await dataverse.systemAdministratorStatus(envUrl('contosodev'), USERS.alex.id);
    const adele = await dataverse.systemAdministratorStatus(`${envUrl('contosoprod')}/`, USERS.adele.id);
    const lee = await dataverse.systemAdministratorStatus(envUrl('contosoprod'), USERS.lee.id);

    assert.equal(alex.held, true);
    assert.match(alex.roleId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(adele.held, false);
    assert.ok(adele.systemUserId);
    assert.deepEqual(lee, { held: false });
  });

  it("calls with the bot's application token for the environment URL", async () => {
    await dataverse.systemAdministratorStatus(envUrl('contosoprod'), USERS.adele.id);

    const logged = await dataverseRequests();
    assert.deepEqual(
      logged.map((r) => [r.method, r.path.split('/').pop(), r.token?.aud, r.token?.idtyp, r.token?.appid]),
      ['systemusers', 'businessunits', 'roles', 'systemuserroles_association'].map((last) => ['GET', last, envUrl('contosoprod'), 'app', AAD_APP_CLIENT_ID]),
    );
  });

  it('sees the role applyAdminRole gave Adele, removes it, then answers notAssigned', async () => {
    const graph = await f.obo(USERS.adele.id, GRAPH_SCOPES);
    const powerPlatformToken: TokenSource = async () => f.obo(USERS.adele.id, [PP_SCOPE]);
    const powerPlatform = new PowerPlatformClient({ baseUrl: `${f.sim.baseUrl}/powerplatform`, http });
    const activated = await f.call('POST', REQUESTS, graph, activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H'));
    assert.equal(activated.status, 201);
    const prod = (await powerPlatform.listEnvironments(powerPlatformToken)).find((e) => e.id === ENVIRONMENTS.contosoProd.id);
    assert.ok(prod?.url);
    const before = await dataverse.systemAdministratorStatus(prod.url, USERS.adele.id);
    await powerPlatform.applyAdminRole(powerPlatformToken, prod.id);

    const elevated = await dataverse.systemAdministratorStatus(prod.url, USERS.adele.id);
    const first = await dataverse.removeSystemAdministrator(prod.url, USERS.adele.id);
    const after = await dataverse.systemAdministratorStatus(prod.url, USERS.adele.id);
    const second = await dataverse.removeSystemAdministrator(prod.url, USERS.adele.id);

    assert.equal(before.held, false);
    assert.equal(elevated.held, true);
    assert.equal(first, 'removed');
    assert.equal(after.held, false);
    assert.equal(second, 'notAssigned');
    const deletes = (await dataverseRequests()).filter((r) => r.method === 'DELETE');
    assert.equal(deletes.length, 1, 'the second removal deletes nothing');
    assert.equal(deletes[0]?.token?.idtyp, 'app');
    const org = f.sim.state.tenant.dataverse['contosoprod'];
    const systemuser = org?.systemusers.find((u) => u.azureactivedirectoryobjectid === USERS.adele.id && u.applicationid === null);
    assert.deepEqual(
      systemuser?.roleIds.map((id) => org?.roles.find((r) => r.roleid === id)?.name),
      ['Basic User'],
    );
  });

  const refused: { name: string; domain: string; token: () => Promise<string>; status: number; code?: string }[] = [
    {
      name: "a user's token (Lee, a Basic User) instead of the application's",
      domain: 'contosodev',
      token: () => f.obo(USERS.lee.id, [`${envUrl('contosodev')}/user_impersonation`]),
      status: 403,
      code: '0x80040220',
    },
    {
      name: "a user's token in an environment where the user is not a member",
      domain: 'fabrikamsales',
      token: () => f.obo(USERS.lee.id, [`${envUrl('fabrikamsales')}/user_impersonation`]),
      status: 403,
      code: '0x80072560',
    },
    { name: 'an application token for another environment', domain: 'contosodev', token: () => f.appToken(envUrl('contosoprod')), status: 401 },
  ];
  for (const { name, domain, token, status, code } of refused) {
    it(`is refused with a clear privileges error for ${name}`, async () => {
      const client = new DataverseClient({ http, appToken: () => token });

      const error = await rejection(client.removeSystemAdministrator(envUrl(domain), USERS.alex.id));

      assert.ok(error instanceof DataverseAccessDeniedError, String(error));
      assert.equal(error.status, status);
      assert.equal(error.serviceCode, code);
      assert.match(error.message, new RegExp(`^Elevate's application user lacks privileges in ${envUrl(domain).replace(/[.]/g, '\\.')}`));
    });
  }

  it('leaves standing access alone when refused: Alex still holds System Administrator in Contoso Dev', async () => {
    const lee = new DataverseClient({ http, appToken: () => () => f.obo(USERS.lee.id, [`${envUrl('contosodev')}/user_impersonation`]) });

    await rejection(lee.removeSystemAdministrator(envUrl('contosodev'), USERS.alex.id));

    assert.equal((await dataverse.systemAdministratorStatus(envUrl('contosodev'), USERS.alex.id)).held, true);
  });
});
