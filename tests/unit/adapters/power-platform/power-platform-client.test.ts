import assert from 'node:assert/strict';
import { HttpClient } from '../../../../src/adapters/http/http-client.js';
import { parseDescription } from '../../../../src/adapters/power-platform/apply-admin-role-answer.js';
import { PowerPlatformClient } from '../../../../src/adapters/power-platform/power-platform-client.js';
import { HttpError, NotAnAdminError, ThrottledError } from '../../../../src/domain/errors.js';
import { FakeFetch, staticToken, type FakeReply } from '../fakes/fake-fetch.js';
import { rejection } from '../../../support/rejection.js';

const BASE = 'https://127.0.0.1:9443/powerplatform';
const ENV = 'e0000000-0000-4000-8000-000000000001';
const NOT_ADMIN_TEXT =
  'Unable to assign System Administrator security role as the user is not either a Global admin, Power Platform admin, or Dynamics 365 admin. Please review your role assignments in Entra ID and try again later. For help, please reach out to your administrator.';

function setup(replies: FakeReply[]) {
  const fake = new FakeFetch(replies);
  const client = new PowerPlatformClient({ baseUrl: BASE, http: new HttpClient({ fetch: fake.fetch, sleep: async () => {}, maxAttempts: 2 }) });
  return { fake, client };
}

const success = {
  errors: [],
  information: [
    {
      Subject: 'Result',
      Description:
        '["SyncMode: Default","Instance x exists","Instance Url found https://orgc1234567.crm.dynamics.com","User found in AD tenant","SystemUser with Id:1, objectId:2 exists in instance"]',
      Code: 'UserExists',
    },
  ],
};

describe('PowerPlatformClient', () => {
  describe('listEnvironments', () => {
    it('lists the environments with the 2024-10-01 API and keeps id, name, type, URL and domain', async () => {
      const { fake, client } = setup([
        {
          body: {
            value: [
              {
                id: ENV,
                displayName: 'Contoso Prod',
                tenantId: 't',
                type: 'Production',
                geo: 'unitedstates',
                url: 'https://contosoprod.crm.dynamics.com',
                domainName: 'contosoprod',
                state: 'Ready',
              },
              { id: 'e2', displayName: 'Bare' },
            ],
          },
        },
      ]);

      const result = await client.listEnvironments(staticToken());

      assert.equal(fake.calls[0]?.method, 'GET');
      assert.equal(fake.calls[0]?.url, `${BASE}/environmentmanagement/environments?api-version=2024-10-01`);
      assert.deepEqual(result, [
        { id: ENV, displayName: 'Contoso Prod', type: 'Production', url: 'https://contosoprod.crm.dynamics.com', domainName: 'contosoprod' },
        { id: 'e2', displayName: 'Bare' },
      ]);
    });
  });

  describe('applyAdminRole', () => {
    it('posts with no body to the 2022-03-01-preview API and reads UserExists as success', async () => {
      const { fake, client } = setup([{ body: success, headers: { 'x-ms-correlation-id': 'corr-1' } }]);

      const result = await client.applyAdminRole(staticToken('user-token'), ENV);

      assert.equal(fake.calls[0]?.method, 'POST');
      assert.equal(fake.calls[0]?.url, `${BASE}/usermanagement/environments/${ENV}/user/applyAdminRole?api-version=2022-03-01-preview`);
      assert.equal(fake.calls[0]?.body, undefined);
      assert.equal(fake.calls[0]?.headers.authorization, 'Bearer user-token');
      assert.equal(result.code, 'UserExists');
      assert.equal(result.correlationId, 'corr-1');
      assert.equal(result.details.length, 5);
      assert.equal(result.details[2], 'Instance Url found https://orgc1234567.crm.dynamics.com');
    });

    const notAdminCases: { reply: FakeReply; why: string }[] = [
      { reply: { status: 403, body: { error: { code: 'Forbidden', message: NOT_ADMIN_TEXT } } }, why: 'a 403 with a Graph-style envelope' },
      { reply: { status: 403, body: { code: 'UserNotAdmin', message: NOT_ADMIN_TEXT } }, why: 'a 403 with a bare envelope' },
      { reply: { status: 400, body: NOT_ADMIN_TEXT }, why: 'a 400 with plain text' },
      {
        reply: { status: 200, body: { errors: [{ Subject: 'Result', Description: NOT_ADMIN_TEXT, Code: 'UserNotAdmin' }], information: [] } },
        why: 'a 200 with errors[]',
      },
      {
        reply: { status: 200, body: { errors: [], information: [{ Description: JSON.stringify([NOT_ADMIN_TEXT]), Code: 'NotAdmin' }] } },
        why: 'a 200 with the text in information[]',
      },
    ];
    for (const { reply, why } of notAdminCases) {
      it(`turns the "not ... admin" answer in ${why} into NotAnAdminError with the correlation id`, async () => {
        const { client } = setup([{ ...reply, headers: { 'x-ms-correlation-id': 'corr-2' } }]);

        const error = await rejection(client.applyAdminRole(staticToken(), ENV));

        assert.ok(error instanceof NotAnAdminError, `got ${String(error)}`);
        assert.equal(error.correlationId, 'corr-2');
      });
    }

    it('fails on any other errors[] entry instead of reporting success', async () => {
      const { client } = setup([{ body: { errors: [{ Code: 'InstanceNotFound', Description: '["Instance not found"]' }], information: [] } }]);

      const error = await rejection(client.applyAdminRole(staticToken(), ENV));

      assert.ok(error instanceof HttpError);
      assert.equal(error.serviceCode, 'InstanceNotFound');
      assert.match(error.message, /Instance not found/);
    });

    it('keeps other refusals as HttpError', async () => {
      const { client } = setup([{ status: 404, body: { error: { code: 'EnvironmentNotFound', message: 'No such environment' } } }]);

      const error = await rejection(client.applyAdminRole(staticToken(), ENV));

      assert.ok(error instanceof HttpError && !(error instanceof NotAnAdminError));
      assert.equal(error.status, 404);
    });

    it('stays a ThrottledError when throttling outlasts the retries, whatever the body quotes', async () => {
      const throttled = { status: 429, headers: { 'retry-after': '0' }, body: { message: NOT_ADMIN_TEXT } };
      const { client } = setup([throttled, throttled]);

      const error = await rejection(client.applyAdminRole(staticToken(), ENV));

      assert.ok(error instanceof ThrottledError);
    });
  });
});

describe('parseDescription', () => {
  const cases: { description: unknown; expected: string[]; why: string }[] = [
    { description: '["a","b"]', expected: ['a', 'b'], why: 'a JSON-encoded array' },
    { description: 'User found in AD tenant', expected: ['User found in AD tenant'], why: 'a plain string' },
    { description: '"quoted"', expected: ['quoted'], why: 'a JSON-encoded string' },
    { description: ['x'], expected: ['x'], why: 'an actual array' },
    { description: undefined, expected: [], why: 'a missing description as no details' },
  ];
  for (const { description, expected, why } of cases) {
    it(`reads ${why}`, () => {
      assert.deepEqual(parseDescription(description), expected);
    });
  }
});
