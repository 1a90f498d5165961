import assert from 'node:assert/strict';
import { applicationConsent, delegatedConsent } from '../../../../src/cli/doctor/consent-checks.js';
import { CLIENT_ID, fakeJwt, fixture, graphError, GRAPH, type Route } from './doctor-fixture.js';

const ELEVATE_SP = 'e1e7a7e0-5e00-4000-8000-0000000055a0';
const GRAPH_SP = { id: '5e1f0000-0000-4000-8000-000000000001', appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' };
const PP_SP = { id: '5e1f0000-0000-4000-8000-000000000002', appId: '8578e004-a5c6-46e7-913e-12f58912df43', displayName: 'Power Platform API' };
const ROLE_IDS = {
  'User.Read.All': 'r-user',
  'GroupMember.Read.All': 'r-group',
  'RoleManagementPolicy.Read.Directory': 'r-rmp',
  'RoleManagement.Read.Directory': 'r-rm',
  'Application.Read.All': 'r-app',
  'Mail.Read': 'r-mail',
};
const GRAPH_DELEGATED = 'RoleAssignmentSchedule.ReadWrite.Directory RoleEligibilitySchedule.Read.Directory openid profile offline_access';
const PP_DELEGATED = 'UserManagement.Users.Apply EnvironmentManagement.Environments.Read';

function routes(grants: { resourceId: string; scope: string; consentType?: string }[], roles: string[] = Object.keys(ROLE_IDS).slice(0, 5)): Route[] {
  return [
    { url: `/servicePrincipals(appId=`, reply: { body: { id: ELEVATE_SP, appId: CLIENT_ID, displayName: 'Elevate' } } },
    { url: `/servicePrincipals/${GRAPH_SP.id}?`, reply: { body: { ...GRAPH_SP, appRoles: Object.entries(ROLE_IDS).map(([value, id]) => ({ id, value })) } } },
    { url: `/servicePrincipals/${PP_SP.id}?`, reply: { body: { ...PP_SP, appRoles: [] } } },
    {
      url: '/oauth2PermissionGrants?',
      reply: {
        body: {
          value: grants.map((g) => ({
            clientId: ELEVATE_SP,
            consentType: g.consentType ?? 'AllPrincipals',
            principalId: null,
            resourceId: g.resourceId,
            scope: g.scope,
          })),
        },
      },
    },
    {
      url: `/servicePrincipals/${ELEVATE_SP}/appRoleAssignments`,
      reply: { body: { value: roles.map((r) => ({ appRoleId: ROLE_IDS[r as keyof typeof ROLE_IDS], resourceId: GRAPH_SP.id })) } },
    },
  ];
}

const consented = [
  { resourceId: GRAPH_SP.id, scope: GRAPH_DELEGATED },
  { resourceId: PP_SP.id, scope: PP_DELEGATED },
];

describe('doctor: admin consent checks', () => {
  describe('consent.delegated', () => {
    it("passes when tenant-wide grants cover the permission list, read with the operator's token", async () => {
      const { ctx, calls } = fixture({ routes: routes(consented) });
      const outcome = await delegatedConsent(ctx);
      assert.equal(outcome.status, 'pass');
      assert.match(
        outcome.detail,
        /^Microsoft Graph: RoleAssignmentSchedule\.ReadWrite\.Directory, .*; Power Platform API: UserManagement\.Users\.Apply, EnvironmentManagement\.Environments\.Read \(tenant-wide grants\)$/,
      );
      assert.ok(calls.some((c) => c.url === `${GRAPH}/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${ELEVATE_SP}'`)}`));
      assert.ok(calls.every((c) => c.authorization === 'Bearer operator-token'));
    });

    it('names each missing delegated permission and where to grant it; a user-only grant does not count', async () => {
      const { ctx } = fixture({
        routes: routes([
          { resourceId: GRAPH_SP.id, scope: GRAPH_DELEGATED.replace('RoleEligibilitySchedule.Read.Directory ', '') },
          { resourceId: PP_SP.id, scope: PP_DELEGATED, consentType: 'Principal' },
        ]),
      });
      const outcome = await delegatedConsent(ctx);
      assert.equal(outcome.status, 'fail');
      assert.equal(
        outcome.detail,
        'missing admin consent for Microsoft Graph RoleEligibilitySchedule.Read.Directory; Power Platform API UserManagement.Users.Apply, EnvironmentManagement.Environments.Read (delegated)',
      );
      assert.match(
        outcome.fix ?? '',
        /API permissions → Add a permission → Microsoft Graph → Delegated permissions → RoleEligibilitySchedule\.Read\.Directory; then Grant admin consent/,
      );
      assert.match(outcome.fix ?? '', /APIs my organization uses → Power Platform API \(8578e004-a5c6-46e7-913e-12f58912df43\) → Delegated permissions/);
    });

    it('fails when the app has no service principal, and when Graph refuses the operator', async () => {
      const none = fixture({ routes: [{ url: '/servicePrincipals(appId=', reply: graphError(404, 'Request_ResourceNotFound') }] });
      const refused = fixture({
        routes: [
          { url: '/servicePrincipals(appId=', reply: { body: { id: ELEVATE_SP, appId: CLIENT_ID } } },
          { url: '/oauth2PermissionGrants', reply: graphError(403, 'Authorization_RequestDenied') },
        ],
      });
      assert.match((await delegatedConsent(none.ctx)).detail, /has no service principal in the tenant: nothing was ever consented/);
      const denied = await delegatedConsent(refused.ctx);
      assert.match(denied.detail, /cannot read the consent .*HTTP 403/);
      assert.match(denied.fix ?? '', /Global Reader/);
    });
  });

  describe('consent.application', () => {
    it("maps the app's role assignments to values through the resource's appRoles", async () => {
      const ok = fixture({ routes: routes(consented) });
      const missing = fixture({ routes: routes(consented, ['User.Read.All', 'Mail.Read']) });
      assert.deepEqual(await applicationConsent(ok.ctx), {
        status: 'pass',
        detail:
          "Microsoft Graph: User.Read.All, GroupMember.Read.All, RoleManagementPolicy.Read.Directory, RoleManagement.Read.Directory, Application.Read.All (the app's role assignments)",
      });
      const outcome = await applicationConsent(missing.ctx);
      assert.equal(
        outcome.detail,
        'missing admin consent for Microsoft Graph GroupMember.Read.All, RoleManagementPolicy.Read.Directory, RoleManagement.Read.Directory, Application.Read.All (application)',
      );
      assert.match(
        outcome.fix ?? '',
        /Microsoft Graph → Application permissions → GroupMember\.Read\.All, RoleManagementPolicy\.Read\.Directory, RoleManagement\.Read\.Directory, Application\.Read\.All; then Grant admin consent/,
      );
    });

    it("without the operator, reads the roles claim of Elevate's own Graph token", async () => {
      const token = (roles: string[]) => () => async () => fakeJwt({ aud: 'https://graph.microsoft.com', roles });
      const ok = fixture({
        operator: null,
        appToken: token([
          'User.Read.All',
          'GroupMember.Read.All',
          'RoleManagementPolicy.Read.Directory',
          'RoleManagement.Read.Directory',
          'Application.Read.All',
        ]),
      });
      const short = fixture({ operator: null, appToken: token(['User.Read.All']) });
      const noToken = fixture({ operator: null, results: { 'app.credential': 'fail' } });
      assert.match((await applicationConsent(ok.ctx)).detail, /\(the roles in Elevate's Graph token\)$/);
      assert.equal((await applicationConsent(short.ctx)).status, 'fail');
      assert.equal((await applicationConsent(noToken.ctx)).status, 'skip');
    });
  });
});
