import assert from 'node:assert/strict';
import { CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import jwt from 'jsonwebtoken';
import { followSignIn, parseSignInForm } from '../../harness/browser-sign-in.js';
import { request } from '../../harness/https.js';
import { AAD_APP_CLIENT_ID, BOT_ID, BOT_PASSWORD, ROLES, SSO_SCOPE, TENANT_ID, USERS } from '../tenant/seed.js';
import { activation, errorOf, GRAPH_SCOPES, msalError, PP_SCOPE, REQUESTS, SimulatorFixture } from '../../integration/simulator-fixture.js';

const REDIRECT = 'http://127.0.0.1:3978/auth/callback';
const ACRS_C1 = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });

type Claims = Record<string, unknown>;

interface SignInRequest {
  scopes?: string[];
  redirectUri?: string;
  claims?: string;
  loginHint?: string;
  state?: string;
  pkce?: boolean;
}

describe('tenant simulator: interactive sign-in (authorization code flow) with msal-node', function () {
  this.timeout(10_000);
  const f = new SimulatorFixture();
  f.install();
  const user = (id: string) => f.sim.state.tenant.users.find((u) => u.id === id)!;
  const policy = (roleId: string) => f.sim.state.tenant.policies.find((p) => p.roleDefinitionId === roleId)!;

  /** The authorize URL as the bot builds it: msal-node's getAuthCodeUrl (PKCE S256 unless `pkce: false`). */
  async function authorizeUrl(r: SignInRequest = {}): Promise<{ url: string; verifier?: string }> {
    const pkce = r.pkce === false ? undefined : await new CryptoProvider().generatePkceCodes();
    const url = await f.app().getAuthCodeUrl({
      scopes: r.scopes ?? GRAPH_SCOPES,
      redirectUri: r.redirectUri ?? REDIRECT,
      state: r.state ?? 'state-1',
      ...(r.loginHint !== undefined ? { loginHint: r.loginHint } : {}),
      ...(r.claims !== undefined ? { claims: r.claims } : {}),
      ...(pkce ? { codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' } : {}),
    });
    return { url, ...(pkce ? { verifier: pkce.verifier } : {}) };
  }

  /** Signs in like a browser and returns the code from the redirect. */
  async function signIn(r: SignInRequest = {}, options: { mfa?: boolean; userId?: string } = {}) {
    const { url, verifier } = await authorizeUrl({ loginHint: USERS.adele.upn, ...r });
    const { redirectedTo } = await followSignIn(url, f.sim.ca, options);
    const code = redirectedTo.searchParams.get('code');
    assert.ok(code, `no code in ${redirectedTo.toString()}`);
    return { code, verifier, redirectedTo };
  }

  async function redeem(code: string, verifier: string | undefined, r: { scopes?: string[]; redirectUri?: string } = {}): Promise<AuthenticationResult> {
    const result = await f.app().acquireTokenByCode({
      code,
      scopes: r.scopes ?? GRAPH_SCOPES,
      redirectUri: r.redirectUri ?? REDIRECT,
      ...(verifier !== undefined ? { codeVerifier: verifier } : {}),
    });
    assert.ok(result?.accessToken);
    return result;
  }

  const claimsOf = (token: string) => jwt.decode(token) as Claims;

  describe('the sign-in page', () => {
    it('answers an accessible form that carries the request, preselects the login_hint user and requires MFA for an acrs demand', async () => {
      const { url } = await authorizeUrl({ loginHint: USERS.alex.upn, claims: ACRS_C1 });

      const page = await request(url, { ca: f.sim.ca, headers: { Accept: 'text/html' } });
      const form = parseSignInForm(page.text, url);

      assert.equal(page.status, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.text, /<html lang="en">/);
      assert.match(page.text, /<button type="submit" id="sign-in">/);
      assert.match(page.text, /<label for="mfa">Complete multi-factor authentication<\/label>/);
      assert.equal(form.action, `${f.sim.baseUrl}/${TENANT_ID}/oauth2/v2.0/authorize`);
      assert.equal(form.hidden['client_id'], AAD_APP_CLIENT_ID);
      assert.equal(form.hidden['redirect_uri'], REDIRECT);
      assert.equal(form.hidden['state'], 'state-1');
      assert.equal(form.hidden['code_challenge_method'], 'S256');
      assert.match(form.hidden['claims']!, /"acrs"/);
      assert.deepEqual(
        form.users.filter((u) => u.selected).map((u) => u.id),
        [USERS.alex.id],
      );
      assert.equal(form.mfaChecked, true);
      assert.equal(form.mfaRequired, true);
    });

    it('offers every user, none preselected, and MFA optional without a login_hint or claims', async () => {
      const url = (await authorizeUrl()).url.replace(/&login_hint=[^&]*/, '');

      const form = parseSignInForm((await request(url, { ca: f.sim.ca })).text, url);

      assert.deepEqual(
        form.users.map((u) => u.id),
        f.sim.state.tenant.users.map((u) => u.id),
        'every user of the tenant, the operator Patti Fernandez included',
      );
      assert.equal(
        form.users.some((u) => u.selected),
        false,
      );
      assert.equal(form.mfaChecked, false);
      assert.equal(form.mfaRequired, false);
      await assert.rejects(followSignIn(url, f.sim.ca), /preselected no account/);
    });

    const pageErrors = [
      { name: 'an unknown client', edit: (u: URL) => u.searchParams.set('client_id', '00000000-0000-4000-8000-00000000dead'), aadsts: 'AADSTS700016' },
      {
        name: 'an unregistered redirect URI',
        edit: (u: URL) => u.searchParams.set('redirect_uri', 'https://evil.example/auth/callback'),
        aadsts: 'AADSTS50011',
      },
      { name: 'a loopback URI with another path', edit: (u: URL) => u.searchParams.set('redirect_uri', 'http://127.0.0.1:3978/other'), aadsts: 'AADSTS50011' },
      { name: 'an unknown tenant', edit: (u: URL) => (u.pathname = u.pathname.replace(TENANT_ID, 'fabrikam.example')), aadsts: 'AADSTS90002' },
    ];
    for (const e of pageErrors) {
      it(`answers ${e.name} with an error page (400, ${e.aadsts}), never a redirect`, async () => {
        const url = new URL((await authorizeUrl()).url);
        e.edit(url);

        const res = await request(url.toString(), { ca: f.sim.ca });

        assert.equal(res.status, 400);
        assert.equal(res.headers['location'], undefined);
        assert.match(res.text, new RegExp(`${e.aadsts}:`));
      });
    }

    for (const redirectUri of ['http://127.0.0.1:51234/auth/callback', 'https://127.0.0.1:8443/auth/callback', 'http://localhost:3978/auth/callback']) {
      it(`accepts the loopback redirect URI ${redirectUri} whatever the port`, async () => {
        const { code, verifier, redirectedTo } = await signIn({ redirectUri });

        assert.equal(`${redirectedTo.origin}${redirectedTo.pathname}`, redirectUri);
        assert.equal(redirectedTo.searchParams.get('state'), 'state-1');
        await redeem(code, verifier, { redirectUri });
      });
    }

    it('sends other request errors back to the app with error, error_description and state', async () => {
      const url = new URL((await authorizeUrl()).url);
      url.searchParams.set('response_type', 'token');

      const res = await request(url.toString(), { ca: f.sim.ca });
      const location = new URL(String(res.headers['location']));

      assert.equal(res.status, 302);
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
      assert.equal(location.searchParams.get('error'), 'unsupported_response_type');
      assert.match(location.searchParams.get('error_description')!, /^AADSTS700054:/);
      assert.equal(location.searchParams.get('state'), 'state-1');
    });

    it('answers prompt=none with login_required (there are no sessions)', async () => {
      const url = new URL((await authorizeUrl()).url);
      url.searchParams.set('prompt', 'none');

      const { redirectedTo } = await followSignIn(url.toString(), f.sim.ca);

      assert.equal(redirectedTo.searchParams.get('error'), 'login_required');
      assert.match(redirectedTo.searchParams.get('error_description')!, /^AADSTS50058:/);
    });

    it('keeps a user on the page while the demanded MFA is not done', async () => {
      const { url } = await authorizeUrl({ loginHint: USERS.adele.upn, claims: ACRS_C1 });

      await assert.rejects(followSignIn(url, f.sim.ca, { mfa: false }), /signing in answered 400: .*multi-factor authentication/);
    });

    it('requires MFA of a user under a Conditional Access MFA policy (requireMfa) even without claims', async () => {
      user(USERS.adele.id).requireMfa = true;
      const { url } = await authorizeUrl({ loginHint: USERS.adele.id });

      const form = parseSignInForm((await request(url, { ca: f.sim.ca })).text, url);

      assert.equal(form.mfaRequired, true);
      await assert.rejects(followSignIn(url, f.sim.ca, { mfa: false }), /signing in answered 400/);
    });

    it('redirects with access_denied when the user cancels', async () => {
      const { url } = await authorizeUrl();

      const { redirectedTo } = await followSignIn(url, f.sim.ca, { cancel: true });

      assert.equal(redirectedTo.searchParams.get('error'), 'access_denied');
      assert.equal(redirectedTo.searchParams.get('code'), null);
      assert.equal(redirectedTo.searchParams.get('state'), 'state-1');
    });
  });

  describe('redeeming the code with acquireTokenByCode', () => {
    it('issues a Graph token with amr mfa and acrs c1 when the sign-in was asked for c1, plus id_token, client_info and a refresh token', async () => {
      const { code, verifier } = await signIn({ claims: ACRS_C1 });

      const result = await redeem(code, verifier);
      const claims = claimsOf(result.accessToken);

      assert.equal(claims['aud'], 'https://graph.microsoft.com');
      assert.equal(claims['oid'], USERS.adele.id);
      assert.deepEqual(claims['amr'], ['pwd', 'mfa']);
      assert.deepEqual(claims['acrs'], ['c1']);
      assert.deepEqual(claims['xms_cc'], ['cp1']);
      assert.equal(result.account?.homeAccountId, `${USERS.adele.id}.${TENANT_ID}`);
      assert.equal((result.idTokenClaims as Claims)['oid'], USERS.adele.id);
    });

    it('issues the token with the iat of this sign-in on the simulator clock (Entra tokens always carry iat)', async () => {
      f.sim.state.settings.clockOffsetMs = -10 * 60_000;
      try {
        const { code, verifier } = await signIn({ claims: ACRS_C1 });
        const claims = claimsOf((await redeem(code, verifier)).accessToken);

        const expected = Math.floor(f.sim.state.now() / 1000);
        assert.equal(typeof claims['iat'], 'number');
        assert.ok(Math.abs((claims['iat'] as number) - expected) <= 2, 'iat is the simulator clock at the redemption');
        assert.ok((claims['iat'] as number) < Math.floor(Date.now() / 1000) - 500, 'ten minutes behind real time');
      } finally {
        f.sim.state.settings.clockOffsetMs = 0;
      }
    });

    it('issues amr pwd only, no acrs, when the user did not do MFA', async () => {
      const { code, verifier } = await signIn({}, { mfa: false });

      const claims = claimsOf((await redeem(code, verifier)).accessToken);

      assert.deepEqual(claims['amr'], ['pwd']);
      assert.equal(claims['acrs'], undefined);
    });

    it('signs in the account chosen on the page by UPN', async () => {
      const url = (await authorizeUrl()).url.replace(/&login_hint=[^&]*/, '');
      const pkce = await new CryptoProvider().generatePkceCodes();
      const withPkce = new URL(url);
      withPkce.searchParams.set('code_challenge', pkce.challenge);

      const { redirectedTo } = await followSignIn(withPkce.toString(), f.sim.ca, { userId: USERS.lee.upn });
      const result = await redeem(redirectedTo.searchParams.get('code')!, pkce.verifier);

      assert.equal(claimsOf(result.accessToken)['oid'], USERS.lee.id);
    });

    it('renews for Power Platform with the refresh token and keeps the MFA of the sign-in', async () => {
      const client = f.app();
      const { code, verifier } = await signIn({}, { mfa: true });
      const first = await client.acquireTokenByCode({ code, scopes: GRAPH_SCOPES, redirectUri: REDIRECT, codeVerifier: verifier! });

      const pp = await client.acquireTokenSilent({ account: first.account!, scopes: [PP_SCOPE] });

      assert.equal(claimsOf(pp.accessToken)['aud'], 'https://api.powerplatform.com');
      assert.deepEqual(claimsOf(pp.accessToken)['amr'], ['pwd', 'mfa']);
    });

    it('lets selfActivate pass MfaRule with the MFA token and refuses it (MfaRule) without', async () => {
      policy(ROLES.powerPlatformAdministrator).enabledRules.push('MultiFactorAuthentication');
      const body = activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H');
      const withoutMfa = await signIn({}, { mfa: false });
      const withMfa = await signIn({}, { mfa: true });

      const refused = await f.call('POST', REQUESTS, (await redeem(withoutMfa.code, withoutMfa.verifier)).accessToken, body);
      const accepted = await f.call('POST', REQUESTS, (await redeem(withMfa.code, withMfa.verifier)).accessToken, body);

      assert.equal(refused.status, 400);
      assert.equal(errorOf(refused).message, 'The following policy rules failed: ["MfaRule"]');
      assert.equal(accepted.status, 201);
      assert.equal((accepted.body as { status: string }).status, 'Provisioned');
    });

    it('satisfies an authentication-context policy with the claims from the PIM refusal', async () => {
      policy(ROLES.powerPlatformAdministrator).authenticationContext = 'c1';
      const body = activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H');
      const refused = await f.call('POST', REQUESTS, await f.obo(USERS.adele.id, GRAPH_SCOPES), body);
      const claims = decodeURIComponent(/claims=([^\s]+)/.exec(errorOf(refused).message)![1]!);

      const { code, verifier } = await signIn({ claims });
      const accepted = await f.call('POST', REQUESTS, (await redeem(code, verifier)).accessToken, body);

      assert.equal(errorOf(refused).code, 'RoleAssignmentRequestAcrsValidationFailed');
      assert.equal(accepted.status, 201);
    });

    it('satisfies the MFA claims challenge of an on-behalf-of refusal (capolids)', async () => {
      user(USERS.adele.id).requireMfa = true;
      const oboError = await msalError(() => f.obo(USERS.adele.id, GRAPH_SCOPES));

      const { url } = await authorizeUrl({ loginHint: USERS.adele.upn, claims: oboError.claims! });
      const form = parseSignInForm((await request(url, { ca: f.sim.ca })).text, url);

      assert.equal(oboError.subError, 'basic_action');
      assert.equal(form.mfaRequired, true);
    });

    it('records consent for a user with consentMissing, so that on-behalf-of works afterwards', async () => {
      user(USERS.adele.id).consentMissing = true;
      const before = await msalError(() => f.obo(USERS.adele.id, GRAPH_SCOPES));

      const { code, verifier } = await signIn();
      await redeem(code, verifier);

      assert.equal(before.subError, 'consent_required');
      assert.equal(user(USERS.adele.id).consentMissing, undefined);
      assert.ok(await f.obo(USERS.adele.id, GRAPH_SCOPES));
    });

    it("issues a token for Elevate's own API (aud = client id) whose MFA carries through on-behalf-of", async () => {
      user(USERS.adele.id).requireMfa = true;
      const { code, verifier } = await signIn({ scopes: [SSO_SCOPE] }, { mfa: true });

      const own = await redeem(code, verifier, { scopes: [SSO_SCOPE] });
      const graph = await f.app().acquireTokenOnBehalfOf({ oboAssertion: own.accessToken, scopes: GRAPH_SCOPES });

      assert.equal(claimsOf(own.accessToken)['aud'], AAD_APP_CLIENT_ID);
      assert.equal(claimsOf(own.accessToken)['scp'], 'access_as_user');
      assert.deepEqual(claimsOf(graph!.accessToken)['amr'], ['pwd', 'mfa']);
    });

    it('puts the nonce of the sign-in into the id token', async () => {
      const { url, verifier } = await authorizeUrl({ loginHint: USERS.adele.upn });
      const withNonce = new URL(url);
      withNonce.searchParams.set('nonce', 'nonce-123');
      const { redirectedTo } = await followSignIn(withNonce.toString(), f.sim.ca);

      const result = await f.app().acquireTokenByCode({
        code: redirectedTo.searchParams.get('code')!,
        scopes: GRAPH_SCOPES,
        redirectUri: REDIRECT,
        codeVerifier: verifier!,
        nonce: 'nonce-123',
      });

      assert.equal((result.idTokenClaims as Claims)['nonce'], 'nonce-123');
    });

    it('redeems a code only once (AADSTS54005)', async () => {
      const { code, verifier } = await signIn();
      await redeem(code, verifier);

      const again = await msalError(() => redeem(code, verifier));

      assert.equal(again.errorCode, 'invalid_grant');
      assert.match(again.errorMessage, /AADSTS54005/);
    });

    it('refuses a code after 60 seconds (AADSTS70008)', async () => {
      const { code, verifier } = await signIn();
      f.sim.state.settings.clockOffsetMs = 61_000;

      const expired = await msalError(() => redeem(code, verifier));

      assert.equal(expired.errorCode, 'invalid_grant');
      assert.match(expired.errorMessage, /AADSTS70008/);
    });

    it('refuses a redirect URI other than the one of the sign-in (AADSTS500112), and the code stays usable', async () => {
      const { code, verifier } = await signIn();

      const wrong = await msalError(() => redeem(code, verifier, { redirectUri: 'http://127.0.0.1:4000/auth/callback' }));

      assert.equal(wrong.errorCode, 'invalid_grant');
      assert.match(wrong.errorMessage, /AADSTS500112/);
      await redeem(code, verifier);
    });

    it('refuses a PKCE verifier that does not match, or none, when a challenge was sent (AADSTS50148)', async () => {
      const { code, verifier } = await signIn();
      const other = await new CryptoProvider().generatePkceCodes();

      const mismatch = await msalError(() => redeem(code, other.verifier));
      const missing = await msalError(() => redeem(code, undefined));

      assert.match(mismatch.errorMessage, /AADSTS50148/);
      assert.match(missing.errorMessage, /AADSTS50148/);
      assert.ok(verifier);
    });

    it('does not ask for a verifier when the sign-in sent no challenge', async () => {
      const { code } = await signIn({ pkce: false });

      const result = await redeem(code, undefined);

      assert.equal(claimsOf(result.accessToken)['oid'], USERS.adele.id);
    });

    it('refuses a code at another client (AADSTS70000) and keeps code and verifier out of the request log', async () => {
      const { code, verifier } = await signIn();

      const form = {
        grant_type: 'authorization_code',
        client_id: BOT_ID,
        client_secret: BOT_PASSWORD,
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier!,
        scope: 'User.Read',
      };
      const res = await request(`${f.sim.baseUrl}/${TENANT_ID}/oauth2/v2.0/token`, {
        method: 'POST',
        ca: f.sim.ca,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });

      assert.equal(res.status, 400);
      assert.match(String((res.body as { error_description?: string }).error_description), /^AADSTS70000:/);
      const logged = JSON.stringify(f.sim.state.requests);
      assert.ok(!logged.includes(code) && !logged.includes(verifier!));
    });
  });

  describe('step-up claims on the control API and through on-behalf-of', () => {
    it('mints an SSO token with amr and acrs given at the top level, and on-behalf-of keeps them', async () => {
      const graph = claimsOf(await f.obo(USERS.adele.id, GRAPH_SCOPES, { amr: ['pwd', 'mfa'], acrs: ['c1'] }));

      assert.deepEqual(graph['amr'], ['pwd', 'mfa']);
      assert.deepEqual(graph['acrs'], ['c1']);
    });

    it('still merges amr/acrs given under claims', async () => {
      const sso = claimsOf(await f.ssoToken(USERS.adele.id, { claims: { amr: ['pwd', 'mfa'] } }));

      assert.deepEqual(sso['amr'], ['pwd', 'mfa']);
    });

    it('refuses amr that is not a list of strings', async () => {
      const res = await f.call('POST', '/_control/sso-token', undefined, { userId: USERS.adele.id, amr: 'mfa' });

      assert.equal(res.status, 400);
    });
  });
});
