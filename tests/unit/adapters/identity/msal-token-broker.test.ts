import assert from 'node:assert/strict';
import { InteractionRequiredAuthError, ServerError, type AuthenticationResult, type ClientCredentialRequest, type OnBehalfOfRequest } from '@azure/msal-node';
import { stepUpReason, type MsalErrorFacts } from '../../../../src/adapters/identity/msal-errors.js';
import { GRAPH_SCOPES, MsalTokenBroker, type ConfidentialClient } from '../../../../src/adapters/identity/msal-token-broker.js';
import { ElevateError, SignInRequiredError, StepUpRequiredError } from '../../../../src/domain/errors.js';
import { ADELE, APP_ID_URI, AUTHORITY, CLIENT_ID, FakeEntra, NOW, signingKey, ssoToken, TENANT, validClaims } from './fake-tenant.js';
import { rejection } from '../../../support/rejection.js';

const KEY = signingKey('key-1');

/** Hand-written stand-in for msal-node's ConfidentialClientApplication. */
class FakeConfidentialClient implements ConfidentialClient {
  constructor(private readonly now: () => number = () => NOW) {}
  readonly obo: OnBehalfOfRequest[] = [];
  readonly app: ClientCredentialRequest[] = [];
  failure: unknown;
  /** Application tokens say when they end (as Entra's do) when set. */
  appTokenLifetimeMs = 0;
  /** And when to refresh them (msal-node's refreshOn, from Entra's refresh_in) when set. */
  appRefreshInMs = 0;

  async acquireTokenOnBehalfOf(request: OnBehalfOfRequest): Promise<AuthenticationResult | null> {
    this.obo.push(request);
    if (this.failure) throw this.failure;
    const n = this.obo.length;
    return { accessToken: `obo-for-${request.scopes.join(' ')}#${n}`, expiresOn: new Date(this.now() + 3600_000) } as AuthenticationResult;
  }

  async acquireTokenByClientCredential(request: ClientCredentialRequest): Promise<AuthenticationResult | null> {
    this.app.push(request);
    if (this.failure) throw this.failure;
    const n = this.app.length;
    return {
      accessToken: n > 1 ? `app-token#${n}` : 'app-token',
      ...(this.appTokenLifetimeMs ? { expiresOn: new Date(this.now() + this.appTokenLifetimeMs) } : {}),
      ...(this.appRefreshInMs ? { refreshOn: new Date(this.now() + this.appRefreshInMs) } : {}),
    } as AuthenticationResult;
  }

  readonly authUrls: Parameters<ConfidentialClient['getAuthCodeUrl']>[0][] = [];

  async getAuthCodeUrl(request: Parameters<ConfidentialClient['getAuthCodeUrl']>[0]): Promise<string> {
    this.authUrls.push(request);
    return `${AUTHORITY}/${TENANT}/oauth2/v2.0/authorize?state=${request.state}`;
  }

  async acquireTokenByCode(): Promise<AuthenticationResult> {
    throw this.failure ?? new Error('no code redemption scripted');
  }

  cleared = 0;

  clearCache(): void {
    this.cleared++;
  }
}

describe('MsalTokenBroker interactive sign-in', () => {
  it("asks for Elevate's own API scope with PKCE and the claims a step-up needs", async () => {
    const { broker, msal } = setup();
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
    await broker.signInUrl({ redirectUri: 'https://bot/auth/callback', state: 's1', codeChallenge: 'cc', claims, loginHint: 'adele@contoso.example' });
    const request = msal.authUrls[0]!;
    assert.deepEqual(request.scopes, [`${APP_ID_URI}/access_as_user`]);
    assert.equal(request.codeChallengeMethod, 'S256');
    assert.equal(request.claims, claims);
    assert.equal(request.loginHint, 'adele@contoso.example');
  });
});

function setup(extra: { maxCachedUsers?: number } = {}) {
  const clock = { time: NOW };
  const msal = new FakeConfidentialClient(() => clock.time);
  const broker = new MsalTokenBroker({
    ...extra,
    clientId: CLIENT_ID,
    credential: { clientSecret: 'client-secret' },
    tenantId: TENANT,
    authorityHost: AUTHORITY,
    ssoAudience: APP_ID_URI,
    http: new FakeEntra(KEY).http(),
    now: () => clock.time,
    confidentialClient: msal,
  });
  return { broker, msal, clock };
}

const consent = () =>
  new InteractionRequiredAuthError(
    'invalid_grant',
    'corr',
    'AADSTS65001: The user or administrator has not consented to use the application.',
    'consent_required',
    '',
    '',
    '',
    '65001',
  );
const mfaClaims = '{"access_token":{"capolids":{"essential":true,"values":["p1"]}}}';
const mfa = () =>
  new InteractionRequiredAuthError('interaction_required', 'corr', 'AADSTS50076: Due to a configuration change...', 'basic_action', '', '', mfaClaims, '50076');

describe('MsalTokenBroker: on-behalf-of tokens kept per user and resource', () => {
  it('exchanges once for many calls of one user and resource, and asks msal-node to skip its own cache', async () => {
    const { broker, msal } = setup();
    await broker.acceptSsoToken(ssoToken(KEY));
    const graph = broker.forUser(ADELE, 'graph');

    const tokens = await Promise.all(Array.from({ length: 10 }, () => graph()));
    await broker.forUser(ADELE, 'graph')();

    assert.equal(msal.obo.length, 1, 'concurrent callers share one exchange');
    assert.equal(new Set(tokens).size, 1);
    assert.equal(msal.obo[0]?.skipCache, true);
  });

  it('keeps the resources apart', async () => {
    const { broker, msal } = setup();
    await broker.acceptSsoToken(ssoToken(KEY));
    await broker.forUser(ADELE, 'graph')();
    await broker.forUser(ADELE, 'powerPlatform')();
    assert.equal(msal.obo.length, 2);
  });

  it('exchanges again within five minutes of the end, and after a new SSO token', async () => {
    const { broker, msal, clock } = setup();
    await broker.acceptSsoToken(ssoToken(KEY));
    await broker.forUser(ADELE, 'graph')();
    clock.time += 3600_000 - 4 * 60_000;
    await broker.forUser(ADELE, 'graph')();
    assert.equal(msal.obo.length, 2, 'near the end: a fresh token');

    await broker.acceptSsoToken(
      ssoToken(KEY, { ...validClaims(), iat: Math.floor(clock.time / 1000), nbf: Math.floor(clock.time / 1000), exp: Math.floor(clock.time / 1000) + 3600 }),
    );
    await broker.forUser(ADELE, 'graph')();
    assert.equal(msal.obo.length, 3, 'a new assertion: a new exchange');
  });

  it('forgets the tokens with the session, and keeps at most the configured number of users', async () => {
    const { broker, msal } = setup({ maxCachedUsers: 1 });
    await broker.acceptSsoToken(ssoToken(KEY));
    await broker.forUser(ADELE, 'graph')();
    broker.forget(ADELE);
    await rejection(broker.forUser(ADELE, 'graph')());
    await broker.acceptSsoToken(ssoToken(KEY));
    await broker.forUser(ADELE, 'graph')();
    assert.equal(msal.obo.length, 2, 'forgotten, exchanged again');
  });

  it("clears msal-node's own cache after each exchange, so it never grows with the users", async () => {
    const { broker, msal } = setup();
    await broker.acceptSsoToken(ssoToken(KEY));
    await broker.forUser(ADELE, 'graph')();
    await broker.forUser(ADELE, 'powerPlatform')();
    assert.equal(msal.cleared, 2);
  });
});

describe('MsalTokenBroker: application tokens kept per resource', () => {
  it('asks Entra once for many calls, concurrent or not, until five minutes before the end', async () => {
    const { broker, msal, clock } = setup();
    msal.appTokenLifetimeMs = 3600_000;
    const graph = broker.forApp('https://graph.microsoft.com');

    await Promise.all(Array.from({ length: 10 }, () => graph()));
    await graph();
    assert.equal(msal.app.length, 1, 'one request for eleven calls');
    assert.equal(msal.app[0]?.skipCache, true);
    assert.equal(msal.cleared, 1, "msal-node's cache cleared after the request");

    await broker.forApp('https://contosoprod.crm.dynamics.com')();
    assert.equal(msal.app.length, 2, 'another resource, another token');

    clock.time += 3600_000 - 4 * 60_000;
    await graph();
    assert.equal(msal.app.length, 3, 'near the end: a fresh token');
  });

  it("asks again at msal-node's refreshOn when it comes before the end, and after a service refused the token", async () => {
    const { broker, msal, clock } = setup();
    msal.appTokenLifetimeMs = 24 * 3600_000;
    msal.appRefreshInMs = 12 * 3600_000;
    const graph = broker.forApp('https://graph.microsoft.com');
    await graph();
    clock.time += 12 * 3600_000 - 1;
    await graph();
    assert.equal(msal.app.length, 1, 'kept until refreshOn');
    clock.time += 2;
    const fresh = await graph();
    assert.equal(msal.app.length, 2, 'asked again at refreshOn');

    graph.rejected?.(fresh);
    await graph();
    assert.equal(msal.app.length, 3, 'a token answered 401 is not handed out again');
    graph.rejected?.('some older token');
    await graph();
    assert.equal(msal.app.length, 3, 'another token refused changes nothing');
  });

  it('drops a user token that a service refused', async () => {
    const { broker, msal } = setup();
    await broker.acceptSsoToken(ssoToken(KEY));
    const graph = broker.forUser(ADELE, 'graph');
    graph.rejected?.(await graph());
    await graph();
    assert.equal(msal.obo.length, 2);
  });

  it('asks again each time when Entra does not say when the token ends, and after a failure', async () => {
    const { broker, msal } = setup();
    const graph = broker.forApp('https://graph.microsoft.com');
    await graph();
    await graph();
    assert.equal(msal.app.length, 2);

    msal.appTokenLifetimeMs = 3600_000;
    msal.failure = new ServerError('temporarily_unavailable', 'busy');
    await rejection(graph());
    msal.failure = undefined;
    await graph();
    await graph();
    assert.equal(msal.app.length, 4, 'the failure was not kept; the next token was');
  });
});

describe('MsalTokenBroker', () => {
  it('keeps a validated SSO token as the user session', async () => {
    const { broker } = setup();

    const user = await broker.acceptSsoToken(ssoToken(KEY));

    assert.deepEqual(user, {
      aadObjectId: ADELE,
      tenantId: TENANT,
      name: 'Adele Vance',
      acrs: [],
      issuedAt: new Date((Math.floor(NOW / 1000) - 60) * 1000).toISOString(),
    });
    assert.equal(broker.hasSession(ADELE), true);
  });

  it('has no session once the SSO token is about to expire', async () => {
    const { broker, clock } = setup();
    await broker.acceptSsoToken(ssoToken(KEY));

    clock.time += 3600_000 - 30_000;

    assert.equal(broker.hasSession(ADELE), false);
  });

  it('asks for sign-in when there is no session, without calling Entra', async () => {
    const { broker, msal } = setup();

    const error = await rejection(broker.forUser(ADELE, 'graph')());

    assert.ok(error instanceof SignInRequiredError);
    assert.equal(msal.obo.length, 0);
  });

  it('exchanges the SSO token on behalf of the user for exactly the listed Graph PIM permissions (no Read beside ReadWrite)', async () => {
    const { broker, msal } = setup();
    const sso = ssoToken(KEY);
    await broker.acceptSsoToken(sso);

    const token = await broker.forUser(ADELE, 'graph')();

    assert.equal(msal.obo[0]?.oboAssertion, sso);
    assert.deepEqual(msal.obo[0]?.scopes, [
      'https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory',
      'https://graph.microsoft.com/RoleEligibilitySchedule.Read.Directory',
    ]);
    assert.equal(token, `obo-for-${GRAPH_SCOPES.join(' ')}#1`);
  });

  it('exchanges for the Power Platform API with its .default scope', async () => {
    const { broker, msal } = setup();
    await broker.acceptSsoToken(ssoToken(KEY));

    await broker.forUser(ADELE, 'powerPlatform')();

    assert.deepEqual(msal.obo[0]?.scopes, ['https://api.powerplatform.com/.default']);
  });

  const stepUps: { why: string; error: () => unknown; reason: string; claims: string | undefined }[] = [
    { why: 'consent is missing', error: consent, reason: 'consent', claims: undefined },
    { why: 'MFA is required', error: mfa, reason: 'mfa', claims: mfaClaims },
  ];
  for (const { why, error, reason, claims } of stepUps) {
    it(`turns "${why}" into StepUpRequiredError(${reason}) keeping the claims and the session`, async () => {
      const { broker, msal } = setup();
      await broker.acceptSsoToken(ssoToken(KEY));
      msal.failure = error();

      const thrown = await rejection(broker.forUser(ADELE, 'graph')());

      assert.ok(thrown instanceof StepUpRequiredError, `got ${String(thrown)}`);
      assert.equal(thrown.reason, reason);
      assert.equal(thrown.claims, claims);
      assert.equal(broker.hasSession(ADELE), true);
    });
  }

  it('forgets the session and asks for sign-in when Entra no longer accepts the assertion', async () => {
    const { broker, msal } = setup();
    await broker.acceptSsoToken(ssoToken(KEY));
    msal.failure = new ServerError('invalid_grant', 'corr', 'AADSTS500133: Assertion is not within its valid time range.', undefined, '500133', 400);

    const error = await rejection(broker.forUser(ADELE, 'graph')());

    assert.ok(error instanceof SignInRequiredError);
    assert.equal(broker.hasSession(ADELE), false);
    assert.ok(error.cause instanceof ServerError);
  });

  it('reports other Entra refusals as TokenExchangeFailed and keeps the session', async () => {
    const { broker, msal } = setup();
    await broker.acceptSsoToken(ssoToken(KEY));
    msal.failure = new ServerError('invalid_client', 'corr', 'AADSTS7000215: Invalid client secret provided.');

    const error = await rejection(broker.forUser(ADELE, 'graph')());

    assert.ok(error instanceof ElevateError);
    assert.equal(error.code, 'TokenExchangeFailed');
    assert.equal(broker.hasSession(ADELE), true);
  });

  it('gets application tokens with the resource .default scope', async () => {
    const { broker, msal } = setup();

    const token = await broker.forApp('https://contosoprod.crm.dynamics.com/')();

    assert.equal(token, 'app-token');
    assert.deepEqual(msal.app[0]?.scopes, ['https://contosoprod.crm.dynamics.com/.default']);
  });
});

describe('stepUpReason', () => {
  const cases: { facts: MsalErrorFacts; expected: string }[] = [
    { facts: { errorCode: 'invalid_grant', subError: 'consent_required' }, expected: 'consent' },
    { facts: { errorCode: 'consent_required' }, expected: 'consent' },
    { facts: { errorCode: 'invalid_grant', errorNo: 65001 }, expected: 'consent' },
    { facts: { errorCode: 'interaction_required', errorNo: '50076' }, expected: 'mfa' },
    { facts: { errorCode: 'interaction_required', errorMessage: 'AADSTS50079: Due to a configuration change made by your administrator...' }, expected: 'mfa' },
    { facts: { errorCode: 'interaction_required', claims: '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}' }, expected: 'authenticationContext' },
    { facts: { errorCode: 'interaction_required', errorNo: '50158' }, expected: 'interaction' },
    { facts: { errorCode: 'login_required' }, expected: 'interaction' },
  ];
  for (const { facts, expected } of cases) {
    it(`reads ${JSON.stringify(facts)} as ${expected}`, () => {
      assert.equal(stepUpReason(facts), expected);
    });
  }
});
