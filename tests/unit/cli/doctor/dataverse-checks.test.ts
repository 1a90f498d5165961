import assert from 'node:assert/strict';
import { applicationUser, systemAdministrator } from '../../../../src/cli/doctor/dataverse-checks.js';
import { fixture, PP, type Route } from './doctor-fixture.js';

const LIST = `${PP}/environmentmanagement/environments`;
const SYSADMIN_TEMPLATE = '627090ff-40a3-4053-8790-584edc5be201';
const PROD = { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod', url: 'https://contosoprod.crm.dynamics.com' };
const UAT = { id: 'e0000000-0000-4000-8000-000000000003', displayName: 'Contoso UAT', url: 'https://contosouat.crm.dynamics.com' };
const TEAMS = { id: 'e0000000-0000-4000-8000-000000000005', displayName: 'Team space' };
const USER_ID = '5e000000-0001-4000-8000-000000000009';

const whoAmI = (env: { url: string }): Route => ({
  url: `${env.url}/api/data/v9.2/WhoAmI`,
  reply: { body: { UserId: USER_ID, BusinessUnitId: 'b', OrganizationId: 'o' } },
});
const notMember = (env: { url: string }): Route => ({
  url: `${env.url}/api/data/v9.2/WhoAmI`,
  reply: { status: 403, body: { error: { code: '0x80072560', message: 'The user is not a member of the organization.' } } },
});
const roles = (env: { url: string }, templates: string[]): Route => ({
  url: `${env.url}/api/data/v9.2/systemusers(${USER_ID})/systemuserroles_association`,
  reply: { body: { value: templates.map((t, i) => ({ roleid: `7e00000${i}-0000-4000-8000-000000000001`, name: 'x', _roletemplateid_value: t })) } },
});
const listing = (...envs: object[]): Route => ({ url: LIST, reply: { body: { value: envs } } });

describe('doctor: Dataverse application user checks', () => {
  describe('dataverse.app-user', () => {
    it("passes when WhoAmI answers with Elevate's app token in every listed environment", async () => {
      const { ctx, calls } = fixture({ routes: [listing(PROD, UAT, TEAMS), whoAmI(PROD), whoAmI(UAT)] });
      const outcome = await applicationUser(ctx);
      assert.deepEqual(outcome, { status: 'pass', detail: 'present in 2 environments: Contoso Prod, Contoso UAT (no Dataverse in Team space)' });
      assert.equal(calls.find((c) => c.url.includes('contosoprod'))?.authorization, `Bearer app-token-for-${PROD.url}`);
    });

    it('fails listing the environments where Dataverse answers 0x80072560, with the admin center path', async () => {
      const { ctx } = fixture({ routes: [listing(PROD, UAT), whoAmI(PROD), notMember(UAT)] });
      const outcome = await applicationUser(ctx);
      assert.equal(outcome.status, 'fail');
      assert.equal(outcome.detail, 'no application user for Elevate in Contoso UAT');
      assert.match(
        outcome.fix ?? '',
        /Power Platform admin center → Manage → Environments → Contoso UAT → Settings → Users \+ permissions → Application users → New app user → app e1e7a7e0.*security role System Administrator/,
      );
    });

    it("adds the policy file's environments, and uses them alone when the tenant listing is refused", async () => {
      const policy = `environments:\n  - { id: ${UAT.id}, displayName: Contoso UAT, url: '${UAT.url}' }\n`;
      const both = fixture({ policy, routes: [listing(PROD), whoAmI(PROD), whoAmI(UAT)] });
      const refused = fixture({ policy, routes: [{ url: LIST, reply: { status: 403, body: { error: { code: 'Forbidden', message: 'no' } } } }, whoAmI(UAT)] });
      assert.match((await applicationUser(both.ctx)).detail, /present in 2 environments: Contoso Prod, Contoso UAT/);
      assert.equal((await applicationUser(refused.ctx)).detail, 'present in 1 environment: Contoso UAT (the tenant listing failed (pp.management-app))');
    });

    it('is skipped when there is no environment to check', async () => {
      const { ctx } = fixture({ routes: [listing()] });
      assert.deepEqual(await applicationUser(ctx), { status: 'skip', detail: 'no environment with Dataverse to check' });
    });
  });

  describe('dataverse.system-administrator', () => {
    it('passes when the application user holds the System Administrator template role, noting where it was not checked', async () => {
      const { ctx } = fixture({
        routes: [listing(PROD, UAT), whoAmI(PROD), notMember(UAT), roles(PROD, ['d58407f2-48d5-e711-a82c-000d3a37c848', SYSADMIN_TEMPLATE])],
      });
      assert.deepEqual(await systemAdministrator(ctx), {
        status: 'pass',
        detail: 'System Administrator in Contoso Prod (not checked where there is no application user: Contoso UAT)',
      });
    });

    it('fails where the role is missing, saying why it is needed, and warns where the roles cannot be read', async () => {
      const lacking = fixture({ routes: [listing(PROD), whoAmI(PROD), roles(PROD, ['d58407f2-48d5-e711-a82c-000d3a37c848'])] });
      const unreadable = fixture({
        routes: [
          listing(PROD),
          whoAmI(PROD),
          { url: 'systemuserroles_association', reply: { status: 403, body: { error: { code: '0x80040220', message: 'missing prvReadRole' } } } },
        ],
      });
      const failed = await systemAdministrator(lacking.ctx);
      assert.equal(failed.status, 'fail');
      assert.match(failed.detail, /lacks System Administrator in Contoso Prod: clean-up at expiry would fail/);
      assert.match(failed.fix ?? '', /Edit security roles → System Administrator, the only role Microsoft documents as able to remove System Administrator/);
      assert.equal((await systemAdministrator(unreadable.ctx)).status, 'warn');
    });

    it('is skipped without any application user', async () => {
      const { ctx } = fixture({ routes: [listing(PROD), notMember(PROD)] });
      assert.equal((await systemAdministrator(ctx)).status, 'skip');
    });
  });
});
