import assert from 'node:assert/strict';
import { InteractionRequiredAuthError } from '@azure/msal-node';
import { permissionValues } from '../../src/adapters/identity/permissions.js';
import jwt from 'jsonwebtoken';
import { NOT_AN_ADMIN } from './power-platform/routes.js';
import { AAD_APP_CLIENT_ID, BOT_ID, BOT_PASSWORD, ENVIRONMENTS, ROLES, TENANT_ID, USERS } from './tenant/seed.js';
import { activation, errorOf, GRAPH_SCOPES, ME, msalError, PP_SCOPE, REQUESTS, SimulatorFixture } from '../integration/simulator-fixture.js';

describe('tenant simulator with msal-node: Entra, PIM activation, applyAdminRole, connector', function () {
  this.timeout(10_000);
  const f = new SimulatorFixture();
  f.install();

  describe('Entra on-behalf-of', () => {
    it('exchanges a Teams SSO token for a Graph token with the delegated scopes and the user', async () => {
      const result = await f.app().acquireTokenOnBehalfOf({ oboAssertion: await f.ssoToken(USERS.adele.id), scopes: GRAPH_SCOPES });

      const claims = jwt.decode(result!.accessToken) as Record<string, unknown>;
      assert.equal(claims['aud'], 'https://graph.microsoft.com');
      assert.deepEqual(String(claims['scp']).split(' ').sort(), GRAPH_SCOPES.map((s) => s.split('/').pop()).sort());
      assert.equal(claims['oid'], USERS.adele.id);
      assert.equal(claims['idtyp'], 'user');
      assert.equal(claims['azp'], AAD_APP_CLIENT_ID);
      assert.deepEqual(claims['xms_cc'], ['cp1']);
      // id_token and client_info came back: msal-node built the account from them.
      assert.equal(result!.account?.homeAccountId, `${USERS.adele.id}.${TENANT_ID}`);
      assert.equal((result!.idTokenClaims as Record<string, unknown>)['oid'], USERS.adele.id);
    });

    it("finds the account by the user's object id and renews silently with the refresh token (teams-ai's later turns)", async () => {
      const client = f.app();
      const first = await client.acquireTokenOnBehalfOf({ oboAssertion: await f.ssoToken(USERS.adele.id), scopes: GRAPH_SCOPES });

      const account = await client.getTokenCache().getAccountByLocalId(USERS.adele.id);
      const renewed = await client.acquireTokenSilent({ account: account!, scopes: GRAPH_SCOPES, forceRefresh: true });

      assert.notEqual(renewed.accessToken, first!.accessToken);
      assert.equal((jwt.decode(renewed.accessToken) as Record<string, unknown>)['oid'], USERS.adele.id);
      assert.ok(f.sim.state.requests.some((r) => (r.body as Record<string, unknown> | undefined)?.['grant_type'] === 'refresh_token'));
    });

    it('exchanges for Power Platform with .default: every consented Power Platform API scope', async () => {
      const claims = jwt.decode(await f.obo(USERS.adele.id, [PP_SCOPE])) as Record<string, unknown>;

      assert.equal(claims['aud'], 'https://api.powerplatform.com');
      assert.deepEqual(String(claims['scp']).split(' ').sort(), permissionValues('powerPlatform', 'delegated').sort());
    });

    it('refuses an assertion issued for another audience', async () => {
      const assertion = await f.ssoToken(USERS.adele.id, { audience: 'api://someone-else' });

      const error = await msalError(() => f.app().acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: GRAPH_SCOPES }));

      assert.equal(error.errorCode, 'invalid_grant');
      assert.match(error.errorMessage, /AADSTS50013: Assertion audience does not match/);
    });

    const clients = [
      { name: 'a wrong secret', clientId: AAD_APP_CLIENT_ID, secret: 'not-the-secret', code: 'invalid_client', aadsts: 'AADSTS7000215' },
      { name: 'an unknown client', clientId: '00000000-0000-4000-8000-00000000dead', secret: 'x', code: 'unauthorized_client', aadsts: 'AADSTS700016' },
    ];
    for (const c of clients) {
      it(`refuses ${c.name} with ${c.aadsts}`, async () => {
        const assertion = await f.ssoToken(USERS.adele.id);

        const error = await msalError(() => f.app(c.clientId, c.secret).acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: GRAPH_SCOPES }));

        assert.equal(error.errorCode, c.code);
        assert.match(error.errorMessage, new RegExp(c.aadsts));
      });
    }

    it('refuses scopes of two resources in one request', async () => {
      const error = await msalError(() => f.obo(USERS.adele.id, [...GRAPH_SCOPES, PP_SCOPE]));

      assert.equal(error.errorCode, 'invalid_scope');
    });

    it('answers a user who needs MFA with interaction_required and a claims challenge, and passes once the assertion has mfa', async () => {
      f.sim.state.tenant.users.find((u) => u.id === USERS.adele.id)!.requireMfa = true;

      const error = await msalError(() => f.obo(USERS.adele.id, GRAPH_SCOPES));
      const stepped = jwt.decode(await f.obo(USERS.adele.id, GRAPH_SCOPES, { claims: { amr: ['pwd', 'mfa'] } })) as Record<string, unknown>;

      assert.ok(error instanceof InteractionRequiredAuthError);
      assert.equal(error.errorCode, 'interaction_required');
      assert.match(error.errorMessage, /AADSTS50076/);
      assert.match(String(error.claims), /capolids/);
      assert.deepEqual(stepped['amr'], ['pwd', 'mfa']);
    });

    it('answers missing consent with invalid_grant / consent_required', async () => {
      f.sim.state.tenant.users.find((u) => u.id === USERS.adele.id)!.consentMissing = true;

      const error = await msalError(() => f.obo(USERS.adele.id, GRAPH_SCOPES));

      assert.ok(error instanceof InteractionRequiredAuthError);
      assert.equal(error.subError, 'consent_required');
      assert.match(error.errorMessage, /AADSTS65001/);
    });
  });

  describe('Graph PIM activation', () => {
    it('activates an eligible role with selfActivate and lists the active instance', async () => {
      const token = await f.obo(USERS.adele.id, GRAPH_SCOPES);

      const created = await f.call('POST', REQUESTS, token, activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H'));
      const active = await f.call('GET', `/graph/v1.0/roleManagement/directory/roleAssignmentScheduleInstances/${ME}`, token);

      assert.equal(created.status, 201);
      assert.equal((created.body as { status: string }).status, 'Provisioned');
      const instances = (active.body as { value: { roleDefinitionId: string; assignmentType: string; memberType: string }[] }).value;
      assert.deepEqual(
        instances.map((i) => [i.roleDefinitionId, i.assignmentType, i.memberType]),
        [[ROLES.powerPlatformAdministrator, 'Activated', 'Direct']],
      );
      assert.ok(active.headers['request-id']);
    });

    it('refuses a duration over the policy maximum with ExpirationRule', async () => {
      const token = await f.obo(USERS.adele.id, GRAPH_SCOPES);

      const res = await f.call('POST', REQUESTS, token, activation(USERS.adele.id, ROLES.dynamics365Administrator, 'PT5H'));

      assert.equal(res.status, 400);
      assert.equal(errorOf(res).code, 'RoleAssignmentRequestPolicyValidationFailed');
      assert.equal(errorOf(res).message, 'The following policy rules failed: ["ExpirationRule"]');
    });
  });

  describe('Power Platform applyAdminRole', () => {
    const applyPath = `/powerplatform/usermanagement/environments/${ENVIRONMENTS.contosoProd.id}/user/applyAdminRole?api-version=2022-03-01-preview`;

    it('refuses an application token', async () => {
      const res = await f.call('POST', applyPath, await f.appToken('https://api.powerplatform.com'));

      assert.equal(res.status, 403);
      assert.notEqual(errorOf(res).message, NOT_AN_ADMIN);
    });

    it('refuses a user without an active admin role, then answers UserExists once the role is active', async () => {
      const graph = await f.obo(USERS.adele.id, GRAPH_SCOPES);
      const pp = await f.obo(USERS.adele.id, [PP_SCOPE]);

      const before = await f.call('POST', applyPath, pp);
      await f.call('POST', REQUESTS, graph, activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H'));
      const after = await f.call('POST', applyPath, pp);

      assert.equal(before.status, 403);
      assert.equal(errorOf(before).message, NOT_AN_ADMIN);
      assert.equal(after.status, 200);
      const info = (after.body as { information: { Code: string; Description: string }[] }).information[0]!;
      assert.equal(info.Code, 'UserExists');
      assert.ok(Array.isArray(JSON.parse(info.Description)));
      assert.ok(after.headers['x-ms-correlation-id']);
    });
  });

  describe('Bot Framework connector', () => {
    const activities = `/connector/v3/conversations/${encodeURIComponent(`a:1-${USERS.adele.id}`)}/activities`;

    it('refuses a post without a token', async () => {
      const res = await f.call('POST', activities, undefined, { type: 'message', text: 'hi' });

      assert.equal(res.status, 401);
      assert.deepEqual(f.sim.state.activities, []);
    });

    it("accepts the bot's connector token from the botframework.com tenant and records the post", async () => {
      const result = await f
        .app(BOT_ID, BOT_PASSWORD, 'botframework.com')
        .acquireTokenByClientCredential({ scopes: ['https://api.botframework.com/.default'] });

      const res = await f.call('POST', activities, result!.accessToken, { type: 'message', text: 'hi' });

      assert.equal(res.status, 201);
      assert.deepEqual(
        f.sim.state.activities.map((a) => [a.conversationId, a.activity['text']]),
        [[`a:1-${USERS.adele.id}`, 'hi']],
      );
    });
  });
});
