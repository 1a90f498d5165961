import assert from 'node:assert/strict';
import { appCredential, exposedApi, identifierUri, redirectUri, redirectUriRegistered, secretExpiry } from '../../../../src/cli/doctor/app-checks.js';
import type { Application } from '../../../../src/cli/doctor/directory-reader.js';
import { ServiceUnavailableError } from '../../../../src/domain/errors.js';
import { CLIENT_ID, entraRefusal, failingToken, fixture, graphError, GRAPH, NOW, type Route } from './doctor-fixture.js';

const DAY = 24 * 60 * 60_000;
const SCOPE_ID = '7e1f0000-0000-4000-8000-000000000001';

function application(overrides: Partial<Application> = {}): Application {
  return {
    appId: CLIENT_ID,
    displayName: 'Elevate',
    identifierUris: ['api://botid-0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7'],
    web: { redirectUris: ['https://elevate.contoso.example/auth/callback'] },
    api: {
      requestedAccessTokenVersion: 2,
      oauth2PermissionScopes: [{ id: SCOPE_ID, value: 'access_as_user', isEnabled: true }],
      preAuthorizedApplications: [
        { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', delegatedPermissionIds: [SCOPE_ID] },
        { appId: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', delegatedPermissionIds: [SCOPE_ID] },
      ],
    },
    passwordCredentials: [{ displayName: 'prod', hint: 'Xy7', endDateTime: new Date(NOW + 200 * DAY).toISOString() }],
    keyCredentials: [],
    ...overrides,
  };
}

const appRoute = (app: Application | undefined, status = 200): Route => ({
  url: `${GRAPH}/applications(appId=`,
  reply: app ? { status, body: app } : graphError(404, 'Request_ResourceNotFound', `Resource '${CLIENT_ID}' does not exist`),
});

describe('doctor: app registration checks', () => {
  describe('app.credential', () => {
    it("passes when Entra issues Elevate's app a Graph token", async () => {
      const { ctx } = fixture();
      const outcome = await appCredential(ctx);
      assert.equal(outcome.status, 'pass');
      assert.match(outcome.detail, new RegExp(`Entra issued app ${CLIENT_ID} a Microsoft Graph token`));
    });

    const refusals = [
      {
        name: 'a wrong secret',
        error: entraRefusal('invalid_client', '7000215', 'Invalid client secret provided.'),
        detail: /AAD_APP_CLIENT_SECRET is not a secret of app .*AADSTS7000215: Invalid client secret provided\./,
        fix: /Certificates & secrets → New client secret; set AAD_APP_CLIENT_SECRET to its Value \(not its Secret ID\)/,
      },
      {
        name: 'an expired secret',
        error: entraRefusal('invalid_client', '7000222', 'The provided client secret keys for app are expired.'),
        detail: /the client secret has expired/,
        fix: /New client secret/,
      },
      {
        name: 'an unknown app',
        error: entraRefusal('unauthorized_client', '700016', 'Application with identifier was not found.'),
        detail: /Entra does not know app/,
        fix: /set AAD_APP_CLIENT_ID .* AAD_APP_TENANT_ID .* → Overview/,
      },
      {
        name: 'an unreachable authority',
        error: new ServiceUnavailableError('Microsoft Entra ID could not be reached (network_error).'),
        detail: /no app token \(Microsoft Entra ID could not be reached/,
        fix: /check AAD_APP_OAUTH_AUTHORITY_HOST/,
      },
    ];
    for (const r of refusals) {
      it(`fails for ${r.name}, with the fix`, async () => {
        const { ctx } = fixture({ appToken: () => failingToken(r.error) });
        const outcome = await appCredential(ctx);
        assert.equal(outcome.status, 'fail');
        assert.match(outcome.detail, r.detail);
        assert.match(outcome.fix ?? '', r.fix);
      });
    }
  });

  describe('app.secret-expiry', () => {
    it('passes for the configured secret (told by its hint) ending later than 30 days, ignoring an older expired one', async () => {
      const secrets = [
        { displayName: 'old', hint: 'abc', endDateTime: new Date(NOW - 5 * DAY).toISOString() },
        { displayName: 'prod', hint: 'Xy7', endDateTime: new Date(NOW + 200 * DAY).toISOString() },
      ];
      const { ctx, calls } = fixture({ routes: [appRoute(application({ passwordCredentials: secrets }))] });
      const outcome = await secretExpiry(ctx);
      assert.deepEqual([outcome.status, outcome.detail], ['pass', 'client secret "prod" ends on 2026-09-17, in 200 days']);
      assert.equal(calls[0]?.authorization, 'Bearer operator-token', "read with the operator's token");
    });

    it('warns within 30 days with the rotation steps', async () => {
      const { ctx } = fixture({
        routes: [appRoute(application({ passwordCredentials: [{ displayName: 'prod', hint: 'Xy7', endDateTime: new Date(NOW + 12 * DAY).toISOString() }] }))],
      });
      const outcome = await secretExpiry(ctx);
      assert.equal(outcome.status, 'warn');
      assert.match(outcome.detail, /"prod" expires on 2026-03-13, in 12 days/);
      assert.match(outcome.fix ?? '', /before it ends, .*New client secret.*then delete the old one/);
    });

    it('fails for an expired secret and names the latest one when no hint matches', async () => {
      const expired = fixture({
        routes: [appRoute(application({ passwordCredentials: [{ displayName: 'prod', hint: 'Xy7', endDateTime: new Date(NOW - DAY).toISOString() }] }))],
      });
      const unmatched = fixture({
        routes: [appRoute(application({ passwordCredentials: [{ displayName: 'other', hint: 'zzz', endDateTime: new Date(NOW + 90 * DAY).toISOString() }] }))],
      });
      const a = await secretExpiry(expired.ctx);
      const b = await secretExpiry(unmatched.ctx);
      assert.deepEqual([a.status, a.detail], ['fail', 'client secret "prod" expired on 2026-02-28']);
      assert.match(b.detail, /"other" \(the latest; none starts like AAD_APP_CLIENT_SECRET\) ends on/);
    });

    it('warns about a certificate of the app that ends soon, and fails without an app or a readable one', async () => {
      const cert = fixture({
        routes: [appRoute(application({ keyCredentials: [{ displayName: 'cert', endDateTime: new Date(NOW + 3 * DAY).toISOString() }] }))],
      });
      const missing = fixture({ routes: [appRoute(undefined)] });
      const refused = fixture({ routes: [{ url: '/applications(', reply: graphError(403, 'Authorization_RequestDenied') }] });
      assert.equal((await secretExpiry(cert.ctx)).status, 'warn');
      assert.match((await secretExpiry(missing.ctx)).detail, /no app registration with application id/);
      const denied = await secretExpiry(refused.ctx);
      assert.equal(denied.status, 'fail');
      assert.match(denied.fix ?? '', /Application\.Read\.All/);
    });
  });

  describe('app.identifier-uri and app.exposed-api', () => {
    it('passes for the registered api://botid URI, access_as_user pre-authorised for both Teams clients and v2 tokens', async () => {
      const { ctx } = fixture({ routes: [appRoute(application())] });
      assert.equal((await identifierUri(ctx)).status, 'pass');
      assert.deepEqual(await exposedApi(ctx), {
        status: 'pass',
        detail: 'access_as_user, pre-authorised for Teams desktop and mobile and Teams web, v2 tokens',
      });
    });

    it('fails an unregistered application ID URI with where to set it', async () => {
      const { ctx } = fixture({ routes: [appRoute(application({ identifierUris: ['api://something-else'] }))] });
      const outcome = await identifierUri(ctx);
      assert.equal(outcome.status, 'fail');
      assert.match(outcome.fix ?? '', /Expose an API → Application ID URI → api:\/\/botid-0b07e1e7/);
    });

    it('names each gap of the exposed API: the web client not pre-authorised, v1 tokens', async () => {
      const api = application().api!;
      const { ctx } = fixture({
        routes: [
          appRoute(application({ api: { ...api, requestedAccessTokenVersion: null, preAuthorizedApplications: api.preAuthorizedApplications!.slice(0, 1) } })),
        ],
      });
      const outcome = await exposedApi(ctx);
      assert.equal(outcome.status, 'fail');
      assert.equal(outcome.detail, 'not pre-authorised: Teams web 5e3ce6c0-2b1f-4285-8d4b-75ee78787346; access tokens are v1, Elevate validates v2 SSO tokens');
      assert.match(
        outcome.fix ?? '',
        /Add a client application 5e3ce6c0-2b1f-4285-8d4b-75ee78787346 for access_as_user; Manifest: "requestedAccessTokenVersion": 2/,
      );
    });

    it('fails without the access_as_user scope', async () => {
      const { ctx } = fixture({
        routes: [appRoute(application({ api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [], preAuthorizedApplications: [] } }))],
      });
      const outcome = await exposedApi(ctx);
      assert.match(outcome.detail, /^no enabled scope access_as_user/);
      assert.match(outcome.fix ?? '', /Add a scope "access_as_user"/);
    });
  });

  describe('app.redirect-uri', () => {
    it('passes for <ELEVATE_PUBLIC_URL>/auth/callback and fails with the URI to add', async () => {
      const ok = fixture({ routes: [appRoute(application())] });
      const missing = fixture({ routes: [appRoute(application({ web: { redirectUris: ['https://elsewhere.example/auth/callback'] } }))] });
      assert.deepEqual(await redirectUri(ok.ctx), { status: 'pass', detail: 'https://elevate.contoso.example/auth/callback is a Web redirect URI' });
      const outcome = await redirectUri(missing.ctx);
      assert.equal(outcome.status, 'fail');
      assert.match(outcome.detail, /AADSTS50011/);
      assert.match(outcome.fix ?? '', /Authentication → Web → Add URI https:\/\/elevate\.contoso\.example\/auth\/callback$/);
    });

    it('expects the listening address on loopback without a public URL, whatever the port', async () => {
      const { ctx } = fixture({
        env: { HOST: '127.0.0.1', PORT: '3978', ELEVATE_PUBLIC_URL: undefined },
        routes: [appRoute(application({ web: { redirectUris: ['http://127.0.0.1/auth/callback'] } }))],
      });
      assert.deepEqual(await redirectUri(ctx), { status: 'pass', detail: 'http://127.0.0.1/auth/callback (loopback: any port) is a Web redirect URI' });
    });

    it('matches as Entra does: exactly, except the port of a loopback URI', () => {
      assert.equal(redirectUriRegistered(['https://a.example/auth/callback'], 'https://a.example/auth/callback'), true);
      assert.equal(redirectUriRegistered(['https://a.example/auth/callback'], 'https://a.example:8443/auth/callback'), false);
      assert.equal(redirectUriRegistered(['http://localhost/auth/callback'], 'http://localhost:3978/auth/callback'), true);
      assert.equal(redirectUriRegistered(['https://127.0.0.1/auth/callback'], 'http://127.0.0.1:3978/auth/callback'), false);
    });
  });
});
