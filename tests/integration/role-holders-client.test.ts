import assert from 'node:assert/strict';
import { RoleHoldersClient } from '../../src/adapters/dataverse/role-holders-client.js';
import { DataverseAccessDeniedError } from '../../src/adapters/dataverse/dataverse-errors.js';
import { HttpClient } from '../../src/adapters/http/http-client.js';
import { MsalTokenBroker } from '../../src/adapters/identity/msal-token-broker.js';
import { AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET, TENANT_ID, USERS } from '../simulator/tenant/seed.js';
import { addStandingAccess, STANDING } from '../simulator/tenant/standing-access.js';
import { trustingFetch } from './support/trusting-fetch.js';
import { SimulatorFixture } from './simulator-fixture.js';

interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  token: { idtyp?: string } | null;
}

describe('RoleHoldersClient against the tenant simulator', function () {
  this.timeout(30_000);
  const f = new SimulatorFixture();
  f.install();
  let holders: RoleHoldersClient;
  const envUrl = (domain: string) => `${f.sim.baseUrl}/dataverse/${domain}`;

  beforeEach(() => {
    addStandingAccess(f.sim.state.tenant);
    const http = new HttpClient({ fetch: trustingFetch(f.sim.ca), maxAttempts: 3, baseDelayMs: 10 });
    const broker = new MsalTokenBroker({
      clientId: AAD_APP_CLIENT_ID,
      credential: { clientSecret: AAD_APP_CLIENT_SECRET },
      tenantId: TENANT_ID,
      authorityHost: f.sim.baseUrl,
      confidentialClient: f.elevateApp(),
    });
    holders = new RoleHoldersClient({ http, appToken: (resource) => broker.forApp(resource), pageSize: 2 });
  });

  async function dataverseRequests(): Promise<LoggedRequest[]> {
    return (await f.call('GET', '/_control/requests?service=dataverse')).body as LoggedRequest[];
  }

  it('lists direct holders with audit columns, application users, and team holders with their team, page by page', async () => {
    const uat = await holders.systemAdministratorHolders(envUrl('contosouat'));
    assert.deepEqual(uat.map((h) => h.fullName).sort(), ['# Contoso Integration', '# Elevate', 'Break Glass', 'Diego Siciliani']);
    const diego = uat.find((h) => h.aadObjectId === STANDING.diego.id);
    assert.equal(diego?.createdOn, '2026-03-02T09:15:00Z');
    assert.match(diego?.modifiedBy ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(uat.find((h) => h.fullName === '# Contoso Integration')?.applicationId, STANDING.integrationAppId);

    const dev = await holders.systemAdministratorHolders(envUrl('contosodev'));
    const lee = dev.find((h) => h.aadObjectId === USERS.lee.id);
    assert.deepEqual(lee?.team, { teamId: STANDING.devAdminsTeamId, name: 'Dev Admins', teamType: 2, groupId: STANDING.devAdminsGroupId });
    assert.equal(dev.find((h) => h.aadObjectId === USERS.alex.id)?.team, undefined, 'Alex holds it directly');

    const requests = await dataverseRequests();
    assert.ok(
      requests.some((r) => '$skiptoken' in r.query),
      'four holders at two a page took a next link',
    );
    assert.ok(requests.every((r) => r.token?.idtyp === 'app'));
  });

  it('waits out service protection throttling (429 with Retry-After) and still reads everything', async () => {
    await f.call('PUT', '/_control/settings', undefined, { dataverseRequestsPerWindow: 3, dataverseWindowMs: 1000 });
    const uat = await holders.systemAdministratorHolders(envUrl('contosouat'));
    assert.equal(uat.length, 4);
    assert.ok((await dataverseRequests()).some((r) => r.status === 429));
  });

  it('removes a direct assignment once; a second removal is notAssigned', async () => {
    const uat = await holders.systemAdministratorHolders(envUrl('contosouat'));
    const diego = uat.find((h) => h.aadObjectId === STANDING.diego.id)!;
    assert.equal(await holders.removeDirectAssignment(envUrl('contosouat'), diego.systemUserId, diego.roleId), 'removed');
    assert.equal(await holders.removeDirectAssignment(envUrl('contosouat'), diego.systemUserId, diego.roleId), 'notAssigned');
    const after = await holders.systemAdministratorHolders(envUrl('contosouat'));
    assert.equal(
      after.some((h) => h.aadObjectId === STANDING.diego.id),
      false,
    );
  });

  it('reports an environment without Elevate’s application user as access denied', async () => {
    const org = f.sim.state.tenant.dataverse['contosoprod']!;
    org.systemusers = org.systemusers.filter((u) => u.applicationid !== AAD_APP_CLIENT_ID);
    await assert.rejects(holders.systemAdministratorHolders(envUrl('contosoprod')), DataverseAccessDeniedError);
  });
});
