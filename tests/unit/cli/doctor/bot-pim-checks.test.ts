import assert from 'node:assert/strict';
import { botCredentials, pimPolicies } from '../../../../src/cli/doctor/bot-pim-checks.js';
import { BOT_ID, entraRefusal, fixture, graphError, type Route } from './doctor-fixture.js';

const ROLES = {
  ppa: '11648597-926c-4cf3-9c36-bcebb0ba8dcc',
  d365: '44367163-eba1-44c3-98af-f5787879f96a',
  ga: '62e90394-69f5-4237-9190-012177145e10',
};

function policyReply(roleId: string, maximumDuration: string, enabledRules: string[]): Route {
  return {
    url: `roleDefinitionId%20eq%20'${roleId}'`,
    reply: {
      body: {
        value: [
          {
            id: `a-${roleId}`,
            roleDefinitionId: roleId,
            policy: {
              id: 'p',
              rules: [
                { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id: 'Expiration_EndUser_Assignment', maximumDuration },
                { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule', id: 'Enablement_EndUser_Assignment', enabledRules },
              ],
            },
          },
        ],
      },
    },
  };
}

describe('doctor: Bot Framework and PIM checks', () => {
  describe('bot.credentials', () => {
    it('passes with a connector token, and fails a wrong BOT_PASSWORD with the Azure Bot path', async () => {
      const ok = fixture();
      const wrong = fixture({ botToken: () => Promise.reject(entraRefusal('invalid_client', '7000215', 'Invalid client secret provided.').cause as Error) });
      assert.deepEqual(await botCredentials(ok.ctx), {
        status: 'pass',
        detail: `a connector token for ${BOT_ID} from https://login.microsoftonline.com/botframework.com`,
      });
      const outcome = await botCredentials(wrong.ctx);
      assert.match(outcome.detail, /BOT_PASSWORD is not a secret of bot app .*AADSTS7000215/);
      assert.match(outcome.fix ?? '', /Azure Bot → Configuration → Manage Password .* set BOT_PASSWORD to its Value/);
    });

    it('explains an unknown bot app at the multi-tenant login URL, and is skipped without BOT_ID', async () => {
      const unknown = fixture({
        botToken: () => Promise.reject(entraRefusal('unauthorized_client', '700016', 'Application was not found in the directory botframework.com.')),
      });
      const dev = fixture({
        env: {
          BOT_ID: '',
          BOT_PASSWORD: '',
          ELEVATE_DEV_SIGNIN: 'true',
          HOST: '127.0.0.1',
          AAD_APP_OAUTH_AUTHORITY_HOST: 'https://127.0.0.1:9443',
          ELEVATE_PUBLIC_URL: undefined,
        },
      });
      assert.match((await botCredentials(unknown.ctx)).fix ?? '', /BOT_TYPE=SingleTenant and BOT_TENANT_ID/);
      assert.equal((await botCredentials(dev.ctx)).status, 'skip');
    });
  });

  describe('pim.policies', () => {
    it("reads every offered role's policy as the bot does, with the operator's token", async () => {
      const { ctx, calls } = fixture({
        routes: [
          policyReply(ROLES.ppa, 'PT8H', ['Justification']),
          policyReply(ROLES.d365, 'PT4H', []),
          policyReply(ROLES.ga, 'PT2H', ['Justification', 'Ticketing', 'MultiFactorAuthentication']),
        ],
      });
      assert.deepEqual(await pimPolicies(ctx), {
        status: 'pass',
        detail:
          'Power Platform Administrator up to PT8H (justification); Dynamics 365 Administrator up to PT4H; Global Administrator up to PT2H (justification, ticket, MFA)',
      });
      assert.ok(
        calls.every((c) => c.authorization === 'Bearer operator-token' && c.url.includes("scopeId%20eq%20'%2F'%20and%20scopeType%20eq%20'DirectoryRole'")),
      );
    });

    it('fails naming the role without a policy (PIM settings fix) or refused (operator role fix)', async () => {
      const empty = fixture({ env: { ELEVATE_ROLES: ROLES.d365 }, routes: [{ url: 'roleManagementPolicyAssignments', reply: { body: { value: [] } } }] });
      const refused = fixture({
        env: { ELEVATE_ROLES: ROLES.d365 },
        routes: [{ url: 'roleManagementPolicyAssignments', reply: graphError(403, 'Authorization_RequestDenied') }],
      });
      const a = await pimPolicies(empty.ctx);
      assert.match(a.detail, /cannot read the PIM policy of Dynamics 365 Administrator \(PIM has no activation policy/);
      assert.match(
        a.fix ?? '',
        /Privileged Identity Management → Microsoft Entra roles → Settings → the role: it needs PIM settings; or leave the role out of ELEVATE_ROLES/,
      );
      assert.match((await pimPolicies(refused.ctx)).fix ?? '', /sign in as Global Reader/);
    });

    it('is skipped without the operator', async () => {
      const { ctx } = fixture({ operator: null });
      assert.equal((await pimPolicies(ctx)).status, 'skip');
    });
  });
});
