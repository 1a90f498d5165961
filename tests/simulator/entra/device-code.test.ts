import assert from 'node:assert/strict';
import type { DeviceCodeRequest } from '@azure/msal-node';

type DeviceCodeResponse = Parameters<DeviceCodeRequest['deviceCodeCallback']>[0];
import { decodeJwt, request } from '../../harness/index.js';
import { OPERATOR, OPERATOR_CLIENT_ID, USERS } from '../tenant/seed.js';
import { msalError, SimulatorFixture } from '../../integration/simulator-fixture.js';

const SCOPES = ['https://graph.microsoft.com/Application.Read.All', 'https://graph.microsoft.com/Directory.Read.All'];
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('tenant simulator: the device code flow (an operator signs in on another device)', function () {
  this.timeout(20_000);
  const f = new SimulatorFixture();
  f.install();
  beforeEach(() => (f.sim.state.settings.deviceCodeIntervalSeconds = 1));

  /** Starts msal-node's device code flow; `onCode` plays the person at the browser. */
  function signIn(onCode: (info: DeviceCodeResponse) => Promise<void>, clientId = OPERATOR_CLIENT_ID) {
    let prompt: Promise<void> = Promise.resolve();
    const result = f.publicApp(clientId).acquireTokenByDeviceCode({
      scopes: SCOPES,
      deviceCodeCallback: (info) => {
        prompt = onCode(info);
      },
    });
    return result.finally(() => prompt);
  }

  const decide = (userCode: string, body: Record<string, unknown>) => f.call('POST', '/_control/device-codes', undefined, { userCode, ...body });

  it('issues a delegated Graph token for the operator once she enters the code, after authorization_pending polls', async () => {
    let prompted: DeviceCodeResponse | undefined;
    const result = await signIn(async (info) => {
      prompted = info;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await decide(info.userCode, { userId: 'patti' })).status, 200);
    });

    assert.match(prompted!.message, new RegExp(`open the page ${f.sim.baseUrl}/devicelogin and enter the code ${prompted!.userCode} to authenticate`));
    assert.equal(prompted!.expiresIn, 900);
    const claims = decodeJwt(result!.accessToken).payload;
    assert.deepEqual(
      [claims['oid'], claims['aud'], claims['appid'], claims['idtyp']],
      [OPERATOR.id, 'https://graph.microsoft.com', OPERATOR_CLIENT_ID, 'user'],
    );
    assert.deepEqual(String(claims['scp']).split(' '), ['Application.Read.All', 'Directory.Read.All']);
    assert.equal(result!.account?.username, OPERATOR.upn);
    const polls = f.sim.state.requests.filter(
      (r) => r.service === 'entra' && ['device_code', DEVICE_CODE_GRANT].includes((r.body as Record<string, string> | undefined)?.['grant_type'] ?? ''),
    );
    assert.ok(polls.length >= 2, 'msal-node polled while authorization was pending');
    assert.equal(polls[0]!.status, 400);
  });

  it('answers authorization_declined when the user declines, and msal-node stops', async () => {
    const error = await msalError(() => signIn(async (info) => void (await decide(info.userCode, { userId: 'patti', decline: true }))));

    assert.match(`${error.errorCode} ${error.errorMessage}`, /authorization_declined/);
  });

  it('answers expired_token once the 15 minutes are over', async () => {
    const error = await msalError(() =>
      signIn(async () => {
        f.sim.state.settings.clockOffsetMs = 16 * 60_000;
      }),
    );

    assert.match(`${error.errorCode} ${error.errorMessage}`, /expired_token/);
  });

  it('answers bad_verification_code for a device code it never issued, and a confidential client still needs its secret', async () => {
    const post = (body: Record<string, string>) =>
      request(`${f.sim.baseUrl}/${f.sim.state.tenant.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams(body).toString(),
        ca: f.sim.ca,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });

    const unknown = await post({ grant_type: DEVICE_CODE_GRANT, client_id: OPERATOR_CLIENT_ID, device_code: 'nope' });
    const confidential = await post({ grant_type: DEVICE_CODE_GRANT, client_id: f.sim.state.tenant.apps[0]!.clientId, device_code: 'nope' });

    assert.deepEqual([unknown.status, (unknown.body as { error: string }).error], [400, 'bad_verification_code']);
    assert.deepEqual([confidential.status, (confidential.body as { error_codes: number[] }).error_codes], [401, [7000218]]);
  });

  it('refuses a disabled user and an unknown code through the control API, and lists the pending sign-in without its device code', async () => {
    f.sim.state.tenant.users.find((u) => u.id === USERS.lee.id)!.disabled = true;
    const seen: unknown[] = [];
    await msalError(() =>
      signIn(async (info) => {
        seen.push((await decide(info.userCode, { userId: 'lee' })).status);
        seen.push((await decide('ZZZZZZZZZ', { userId: 'patti' })).status);
        seen.push((await f.call('GET', '/_control/device-codes')).body);
        await decide(info.userCode, { userId: 'patti', decline: true });
      }),
    );

    assert.deepEqual(seen.slice(0, 2), [400, 404]);
    const listed = seen[2] as Record<string, unknown>[];
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!['clientId'], OPERATOR_CLIENT_ID);
    assert.equal('deviceCode' in listed[0]!, false);
  });

  it('serves a sign-in page where the code and the account are entered', async () => {
    const result = await signIn(async (info) => {
      const page = await f.call('GET', '/devicelogin');
      assert.match(page.text, /<input id="code" name="code"/);
      const form = new URLSearchParams({ code: info.userCode, user: OPERATOR.id }).toString();
      const done = await request(`${f.sim.baseUrl}/devicelogin`, {
        method: 'POST',
        body: form,
        ca: f.sim.ca,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      assert.match(done.text, /Patti Fernandez, you have signed in to the Microsoft Graph Command Line Tools application/);
    });

    assert.equal(decodeJwt(result!.accessToken).payload['oid'], OPERATOR.id);
  });
});
