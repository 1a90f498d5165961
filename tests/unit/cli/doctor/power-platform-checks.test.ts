import assert from 'node:assert/strict';
import { managementApplication, powerPlatformServicePrincipal } from '../../../../src/cli/doctor/power-platform-checks.js';
import { CLIENT_ID, entraRefusal, failingToken, fixture, graphError, PP } from './doctor-fixture.js';

const PP_APP_ID = '8578e004-a5c6-46e7-913e-12f58912df43';
const LIST = `${PP}/environmentmanagement/environments?api-version=2024-10-01`;
const environments = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, displayName: `Env ${i}`, url: `https://env${i}.crm.dynamics.com` }));

describe('doctor: Power Platform checks', () => {
  describe('pp.service-principal', () => {
    it('passes when the operator finds the Power Platform API service principal, and fails with `az ad sp create` when not', async () => {
      const found = fixture({
        routes: [{ url: `servicePrincipals(appId=${encodeURIComponent(`'${PP_APP_ID}'`)})`, reply: { body: { id: 'sp-pp', appId: PP_APP_ID } } }],
      });
      const missing = fixture({ routes: [{ url: 'servicePrincipals(appId=', reply: graphError(404, 'Request_ResourceNotFound') }] });
      assert.deepEqual(await powerPlatformServicePrincipal(found.ctx), {
        status: 'pass',
        detail: `Power Platform API (${PP_APP_ID}) is in the tenant, object id sp-pp`,
      });
      const outcome = await powerPlatformServicePrincipal(missing.ctx);
      assert.equal(outcome.status, 'fail');
      assert.match(outcome.fix ?? '', new RegExp(`az ad sp create --id ${PP_APP_ID}`));
    });

    it("without the operator, asks Entra for Elevate's Power Platform token: AADSTS500011 means the service principal is missing", async () => {
      const issued = fixture({ operator: null });
      const refused = fixture({
        operator: null,
        appToken: () =>
          failingToken(entraRefusal('invalid_resource', '500011', 'The resource principal named https://api.powerplatform.com was not found in the tenant.')),
      });
      const noApp = fixture({ operator: null, results: { 'app.credential': 'fail' } });
      assert.equal((await powerPlatformServicePrincipal(issued.ctx)).status, 'pass');
      const outcome = await powerPlatformServicePrincipal(refused.ctx);
      assert.match(outcome.detail, /no service principal for the Power Platform API .*AADSTS500011/);
      assert.match(outcome.fix ?? '', /az ad sp create/);
      assert.equal((await powerPlatformServicePrincipal(noApp.ctx)).status, 'skip');
    });
  });

  describe('pp.management-app', () => {
    it("passes when Elevate's app token lists the tenant's environments", async () => {
      const { ctx, calls } = fixture({ routes: [{ url: LIST, reply: { body: { value: environments(7) } } }] });
      const outcome = await managementApplication(ctx);
      assert.deepEqual(outcome, { status: 'pass', detail: "Elevate's app token lists 7 environments: Env 0, Env 1, Env 2, Env 3, Env 4 and 2 more" });
      assert.equal(calls[0]?.authorization, 'Bearer app-token-for-https://api.powerplatform.com');
    });

    it('fails for a 403 or an empty list with the registration command, saying it is privileged', async () => {
      const forbidden = fixture({
        routes: [
          {
            url: LIST,
            reply: {
              status: 403,
              body: { error: { code: 'Forbidden', message: `The service principal with id 'x' for application ${CLIENT_ID} does not have permission` } },
            },
          },
        ],
      });
      const empty = fixture({ routes: [{ url: LIST, reply: { body: { value: [] } } }] });
      for (const { ctx } of [forbidden, empty]) {
        const outcome = await managementApplication(ctx);
        assert.equal(outcome.status, 'fail');
        assert.match(outcome.fix ?? '', new RegExp(`pac admin application register --application-id ${CLIENT_ID}`));
        assert.match(outcome.fix ?? '', /privileged: a registered management application is treated as a Power Platform administrator/);
      }
      assert.match((await managementApplication(forbidden.ctx)).detail, /refused Elevate's app token .*HTTP 403 \(Forbidden/);
    });

    it('is skipped when the Power Platform API is not in the tenant', async () => {
      const { ctx, calls } = fixture({ results: { 'pp.service-principal': 'fail' } });
      assert.equal((await managementApplication(ctx)).status, 'skip');
      assert.deepEqual(calls, []);
    });
  });
});
