import assert from 'node:assert/strict';
import { AuthError, type AuthenticationResult, type DeviceCodeRequest, type SilentFlowRequest } from '@azure/msal-node';
import { DeviceCodeOperator, operatorSignIn, type DeviceCodeClient } from '../../../../src/cli/doctor/operator-session.js';
import { entraRefusal, fixture, NOW, TENANT } from './doctor-fixture.js';

const ACCOUNT = { homeAccountId: 'h', environment: 'login', tenantId: TENANT, username: 'patti@contoso.example', localAccountId: 'l' };

function result(accessToken: string, expiresInMs: number): AuthenticationResult {
  return { accessToken, expiresOn: new Date(NOW + expiresInMs), account: ACCOUNT } as unknown as AuthenticationResult;
}

class FakeDeviceCodeClient implements DeviceCodeClient {
  readonly requests: DeviceCodeRequest[] = [];
  readonly silent: SilentFlowRequest[] = [];
  constructor(private readonly answer: () => Promise<AuthenticationResult | null>) {}

  async acquireTokenByDeviceCode(request: DeviceCodeRequest): Promise<AuthenticationResult | null> {
    this.requests.push(request);
    request.deviceCodeCallback({
      userCode: 'ABC',
      deviceCode: 'd',
      verificationUri: 'https://microsoft.com/devicelogin',
      expiresIn: 900,
      interval: 5,
      message: 'enter the code ABC',
    });
    return this.answer();
  }

  async acquireTokenSilent(request: SilentFlowRequest): Promise<AuthenticationResult> {
    this.silent.push(request);
    return result('refreshed', 60 * 60_000);
  }
}

function operator(client: FakeDeviceCodeClient, prompts: string[] = []) {
  return new DeviceCodeOperator({
    clientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
    tenantId: TENANT,
    authorityHost: 'https://login.microsoftonline.com',
    graphResource: 'https://graph.microsoft.com',
    prompt: (m) => prompts.push(m),
    now: () => NOW,
    client,
  });
}

describe('doctor: the operator sign-in (device code)', () => {
  it("asks for the doctor's three Graph read scopes, prompts through the callback and hands out the token", async () => {
    const client = new FakeDeviceCodeClient(async () => result('operator-token', 60 * 60_000));
    const prompts: string[] = [];
    const session = operator(client, prompts);

    assert.deepEqual(await session.signIn(), { username: 'patti@contoso.example' });
    assert.deepEqual(client.requests[0]?.scopes, [
      'https://graph.microsoft.com/Application.Read.All',
      'https://graph.microsoft.com/Directory.Read.All',
      'https://graph.microsoft.com/RoleManagementPolicy.Read.Directory',
    ]);
    assert.deepEqual(prompts, ['enter the code ABC']);
    assert.equal(await session.token(), 'operator-token');
    assert.deepEqual(client.silent, []);
  });

  it('refreshes silently a token about to expire, and refuses to hand one out before the sign-in', async () => {
    const client = new FakeDeviceCodeClient(async () => result('old', 60_000));
    const session = operator(client);
    await assert.rejects(session.token(), /has not signed in/);
    await session.signIn();

    assert.equal(await session.token(), 'refreshed');
    assert.equal(client.silent[0]?.account.username, 'patti@contoso.example');
  });

  describe('the operator.sign-in check', () => {
    it('passes naming who signed in, and is skipped with --no-operator (saying what the exit status covers)', async () => {
      const signedIn = fixture();
      const none = fixture({ operator: null });
      assert.deepEqual(await operatorSignIn(signedIn.ctx), {
        status: 'pass',
        detail: 'signed in as patti@contoso.example through client 14d82eec-204b-4c2f-b7e8-296a70dab67e',
      });
      assert.match((await operatorSignIn(none.ctx)).detail, /--no-operator: .*the exit status covers only the checks that ran/);
    });

    const failures = [
      {
        name: 'a declined sign-in',
        error: new AuthError('post_request_failed', 'correlation', 'authorization_declined'),
        detail: /the sign-in was declined/,
        fix: /sign in within 15 minutes as Global Reader/,
      },
      {
        name: 'an expired code',
        error: new AuthError('post_request_failed', 'correlation', 'expired_token'),
        detail: /nobody signed in before the code expired/,
        fix: /--no-operator/,
      },
      {
        name: 'a client without consent',
        error: entraRefusal('invalid_grant', '65001', 'The user or administrator has not consented to use the application.'),
        detail: /AADSTS65001/,
        fix: /admin consent for Application\.Read\.All, Directory\.Read\.All, RoleManagementPolicy\.Read\.Directory/,
      },
      {
        name: 'a confidential client',
        error: entraRefusal('invalid_client', '7000218', "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
        detail: /AADSTS7000218/,
        fix: /Allow public client flows: Yes/,
      },
    ];
    for (const f of failures) {
      it(`fails for ${f.name}, with the fix`, async () => {
        const { ctx } = fixture({ operator: { signIn: () => Promise.reject(f.error), token: async () => '' } });
        const outcome = await operatorSignIn(ctx);
        assert.equal(outcome.status, 'fail');
        assert.match(outcome.detail, f.detail);
        assert.match(outcome.fix ?? '', f.fix);
      });
    }
  });
});
