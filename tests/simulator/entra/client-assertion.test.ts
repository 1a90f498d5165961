import assert from 'node:assert/strict';
import { createPrivateKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { federatedAssertion, loadCertificate } from '../../../src/adapters/identity/app-credential.js';
import { decodeJwt, ELEVATE_IDENTITY, IDENTITY_HEADER, makeAppCertificate, request, type AppCertificate } from '../../harness/index.js';
import { msalError, SimulatorFixture } from '../../integration/simulator-fixture.js';
import { AAD_APP_CLIENT_ID, TENANT_ID } from '../tenant/seed.js';
import type { TenantModel } from '../tenant/model.js';

const GRAPH = 'https://graph.microsoft.com/.default';

describe('tenant simulator: secretless credentials (managed identity endpoint, certificate and federated client assertions)', function () {
  this.timeout(20_000);
  const f = new SimulatorFixture();
  f.install();

  const elevateApp = (tenant: TenantModel) => tenant.apps.find((a) => a.clientId === AAD_APP_CLIENT_ID)!;

  function register(certificate: AppCertificate): void {
    elevateApp(f.sim.state.tenant).keyCredentials = [certificate.keyCredential];
  }

  function msiToken(query: Record<string, string>, headers: Record<string, string> = { 'X-IDENTITY-HEADER': IDENTITY_HEADER }) {
    const url = new URL(`${f.sim.baseUrl}/msi/token`);
    for (const [k, v] of Object.entries({ 'api-version': '2019-08-01', ...query })) url.searchParams.set(k, v);
    return request(url.toString(), { ca: f.sim.ca, headers });
  }

  async function exchangeAssertion(): Promise<string> {
    const res = await msiToken({ resource: 'api://AzureADTokenExchange', client_id: ELEVATE_IDENTITY.clientId });
    assert.equal(res.status, 200, res.text);
    return (res.body as { access_token: string }).access_token;
  }

  describe('App Service managed identity endpoint (IDENTITY_ENDPOINT)', () => {
    it("answers the 2019-08-01 protocol with the user-assigned identity's app token", async () => {
      const res = await msiToken({ resource: 'https://api.botframework.com', client_id: ELEVATE_IDENTITY.clientId });

      assert.equal(res.status, 200, res.text);
      const body = res.body as Record<string, string>;
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'client_id', 'expires_on', 'resource', 'token_type']);
      assert.equal(body['token_type'], 'Bearer');
      assert.match(body['expires_on']!, /^\d+$/, 'epoch seconds as a string');
      const claims = decodeJwt(body['access_token']!).payload;
      assert.deepEqual(
        [claims['aud'], claims['appid'], claims['oid'], claims['sub'], claims['idtyp'], claims['tid']],
        ['https://api.botframework.com', ELEVATE_IDENTITY.clientId, ELEVATE_IDENTITY.principalId, ELEVATE_IDENTITY.principalId, 'app', TENANT_ID],
      );
    });

    it('refuses a request without the X-IDENTITY-HEADER secret, an unknown identity and a wrong api-version', async () => {
      const resource = 'https://api.botframework.com';
      assert.equal((await msiToken({ resource, client_id: ELEVATE_IDENTITY.clientId }, {})).status, 401);
      const unknown = await msiToken({ resource, client_id: randomUUID() });
      assert.equal(unknown.status, 400);
      assert.equal((unknown.body as { message: string }).message, 'Unable to load the proper Managed Identity.');
      assert.equal((await msiToken({ resource, client_id: ELEVATE_IDENTITY.clientId, 'api-version': '2017-09-01' })).status, 400);
    });
  });

  describe('certificate client assertions', () => {
    it("accepts msal-node's certificate assertion (x5t#S256, PS256) for a registered certificate and issues app and OBO tokens", async () => {
      const certificate = makeAppCertificate();
      register(certificate);
      const app = f.appWith({ clientCertificate: loadCertificate(certificate.pemPath) });

      const token = await app.acquireTokenByClientCredential({ scopes: [GRAPH] });
      assert.equal(decodeJwt(token!.accessToken).payload['appid'], AAD_APP_CLIENT_ID);
      const obo = await app.acquireTokenOnBehalfOf({ oboAssertion: await f.ssoToken('adele'), scopes: ['https://api.powerplatform.com/.default'] });
      assert.equal(decodeJwt(obo!.accessToken).payload['aud'], 'https://api.powerplatform.com');
    });

    it('refuses a certificate that is not registered on the app with AADSTS700027, naming its thumbprint', async () => {
      const certificate = loadCertificate(makeAppCertificate().pemPath);
      const error = await msalError(() => f.appWith({ clientCertificate: certificate }).acquireTokenByClientCredential({ scopes: [GRAPH] }));

      assert.equal(error.errorCode, 'invalid_client');
      assert.match(error.errorMessage, /AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application/);
      assert.ok(error.errorMessage.includes(certificate.thumbprintSha256.toUpperCase()), 'the thumbprint the assertion named (x5t#S256)');
    });

    it('refuses an expired registered certificate with AADSTS700027 "The key used is expired"', async () => {
      const certificate = makeAppCertificate();
      register(certificate);
      f.sim.state.settings.clockOffsetMs = 31 * 24 * 60 * 60_000;

      const error = await msalError(() =>
        f.appWith({ clientCertificate: loadCertificate(certificate.pemPath) }).acquireTokenByClientCredential({ scopes: [GRAPH] }),
      );
      assert.match(error.errorMessage, /AADSTS700027: .*The key used is expired/);
    });

    describe('hand-made assertions', () => {
      const tokenEndpoint = () => `${f.sim.baseUrl}/${TENANT_ID}/oauth2/v2.0/token`;
      let certificate: AppCertificate;
      beforeEach(() => {
        certificate = makeAppCertificate();
        register(certificate);
      });

      function sign(claims: Record<string, unknown>): string {
        const x5t = Buffer.from(certificate.thumbprint, 'hex').toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        return jwt.sign(
          { aud: tokenEndpoint(), iss: AAD_APP_CLIENT_ID, sub: AAD_APP_CLIENT_ID, jti: randomUUID(), nbf: now, exp: now + 600, ...claims },
          createPrivateKey(certificate.privateKeyPem),
          {
            algorithm: 'RS256',
            noTimestamp: true,
            header: { alg: 'RS256', typ: 'JWT', x5t },
          },
        );
      }

      const table: [string, Record<string, unknown>, RegExp][] = [
        ['accepts an RS256 assertion with the SHA-1 x5t', {}, /^ok$/],
        [
          'refuses another audience with AADSTS50012',
          { aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' },
          /AADSTS50012: Client assertion audience claim does not match Realm issuer/,
        ],
        [
          'refuses an expired assertion with AADSTS700024',
          { exp: Math.floor(Date.now() / 1000) - 600 },
          /AADSTS700024: Client assertion is not within its valid time range/,
        ],
        ["refuses another client's iss/sub with AADSTS700021", { iss: randomUUID(), sub: randomUUID() }, /AADSTS700021/],
      ];
      for (const [name, claims, expected] of table) {
        it(name, async () => {
          const app = f.appWith({ clientAssertion: sign(claims) });
          const outcome = await app.acquireTokenByClientCredential({ scopes: [GRAPH] }).then(
            () => 'ok',
            (e: { errorMessage: string }) => e.errorMessage,
          );
          assert.match(outcome, expected);
        });
      }
    });
  });

  describe('federated credentials (a managed identity token as the client assertion)', () => {
    const credential = (token: () => Promise<string>) => ({ getToken: async () => ({ token: await token(), expiresOnTimestamp: Date.now() + 3_600_000 }) });

    it("signs the app in with the managed identity's api://AzureADTokenExchange token it lists as a federated credential", async () => {
      const app = f.appWith({ clientAssertion: federatedAssertion(credential(exchangeAssertion), 'api://AzureADTokenExchange') });

      const token = await app.acquireTokenByClientCredential({ scopes: [GRAPH] });
      assert.equal(decodeJwt(token!.accessToken).payload['appid'], AAD_APP_CLIENT_ID);
    });

    it('refuses a token of another audience (AADSTS700212), an identity the app does not list (AADSTS700213) and an expired token (AADSTS700024)', async () => {
      const other = await msiToken({ resource: 'https://api.botframework.com', client_id: ELEVATE_IDENTITY.clientId });
      const wrongAudience = await msalError(() =>
        f.appWith({ clientAssertion: (other.body as { access_token: string }).access_token }).acquireTokenByClientCredential({ scopes: [GRAPH] }),
      );
      assert.match(
        wrongAudience.errorMessage,
        /AADSTS700212: No matching federated identity record found for presented assertion audience 'https:\/\/api.botframework.com'/,
      );

      const assertion = await exchangeAssertion();
      elevateApp(f.sim.state.tenant).federatedIdentityCredentials = [];
      const unlisted = await msalError(() => f.appWith({ clientAssertion: assertion }).acquireTokenByClientCredential({ scopes: [GRAPH] }));
      assert.match(unlisted.errorMessage, /AADSTS700211|AADSTS700213/);

      f.sim.state.reset();
      const stale = await exchangeAssertion();
      f.sim.state.settings.clockOffsetMs = 2 * 60 * 60_000;
      const expired = await msalError(() => f.appWith({ clientAssertion: stale }).acquireTokenByClientCredential({ scopes: [GRAPH] }));
      assert.match(expired.errorMessage, /AADSTS700024/);
    });
  });
});
