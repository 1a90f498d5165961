import assert from 'node:assert/strict';
import { DataverseClient } from '../../../../src/adapters/dataverse/dataverse-client.js';
import { DataverseAccessDeniedError } from '../../../../src/adapters/dataverse/dataverse-errors.js';
import { HttpClient } from '../../../../src/adapters/http/http-client.js';
import { ElevateError, HttpError, ThrottledError } from '../../../../src/domain/errors.js';
import { FakeFetch, staticToken, type FakeReply, type RecordedCall } from '../fakes/fake-fetch.js';
import { rejection } from '../../../support/rejection.js';

const ENV = 'https://contosoprod.crm.dynamics.com';
const API = `${ENV}/api/data/v9.2`;
const OID = 'a0000000-0000-4000-8000-00000000ade1';
const USER = '5e000000-0000-4000-8000-000000000001';
const ROOT_BU = 'b0000000-0000-4000-8000-000000000001';
const SYSADMIN = '50000000-0000-4000-8000-000000000001';
const CHILD_SYSADMIN = '50000000-0000-4000-8000-000000000002';
const BASIC_USER = '50000000-0000-4000-8000-000000000003';
const TEMPLATE = '627090ff-40a3-4053-8790-584edc5be201';

const collection = (...value: unknown[]): FakeReply => ({ body: { '@odata.context': 'x', value } });
const userRow = (isdisabled = false) => collection({ systemuserid: USER, fullname: 'Adele Vance', isdisabled });
const rootUnit = collection({ businessunitid: ROOT_BU });
const sysadminRole = collection({ roleid: SYSADMIN, name: 'System Administrator' });
const role = (roleid: string, template: string | null, name = 'r') => ({ roleid, name, _roletemplateid_value: template });
const basicUser = role(BASIC_USER, 'b0000000-0000-4000-8000-0000000000ba', 'Basic User');
const dvError = (status: number, code: string, message: string): FakeReply => ({ status, body: { error: { code, message } } });

function setup(replies: FakeReply[]) {
  const fake = new FakeFetch(replies);
  const resources: string[] = [];
  const client = new DataverseClient({
    http: new HttpClient({ fetch: fake.fetch, sleep: async () => {}, maxAttempts: 2 }),
    appToken: (resource) => {
      resources.push(resource);
      return staticToken('app-token');
    },
  });
  return { fake, client, resources };
}

/** `GET path?$filter` as a readable line: the path below the API root and the decoded query. */
function described(call: RecordedCall | undefined): string {
  assert.ok(call, 'missing call');
  const url = new URL(call.url);
  const query = [...url.searchParams.entries()].map(([k, v]) => `${k}=${v}`).join('&');
  return `${call.method} ${url.pathname.replace('/api/data/v9.2/', '')}${query ? `?${query}` : ''}`;
}

describe('DataverseClient', () => {
  describe('hasApplicationUser', () => {
    it('asks WhoAmI with the application token: 200 means Elevate has an application user', async () => {
      const { fake, client } = setup([{ body: { BusinessUnitId: ROOT_BU, UserId: USER, OrganizationId: 'o' } }]);
      assert.equal(await client.hasApplicationUser(ENV), true);
      assert.deepEqual(fake.calls.map(described), ['GET WhoAmI']);
    });

    it('reads 403 0x80072560 "The user is not a member of the organization" as no application user', async () => {
      const { client } = setup([dvError(403, '0x80072560', 'The user is not a member of the organization.')]);
      assert.equal(await client.hasApplicationUser(ENV), false);
    });

    it('throws for any other refusal instead of guessing', async () => {
      const { client } = setup([dvError(401, '0x80072562', 'unauthorized')]);
      assert.ok((await rejection(client.hasApplicationUser(ENV))) instanceof HttpError);
    });

    it('asks again after a while when the user was missing (it may be added), not on every request', async () => {
      let now = 0;
      const fake = new FakeFetch([dvError(403, '0x80072560', 'not a member'), { body: { UserId: USER } }]);
      const client = new DataverseClient({
        http: new HttpClient({ fetch: fake.fetch, sleep: async () => {}, maxAttempts: 1 }),
        appToken: () => staticToken('app-token'),
        now: () => now,
      });
      assert.equal(await client.hasApplicationUser(ENV), false);
      assert.equal(await client.hasApplicationUser(ENV), false, 'answered from memory');
      now += 3 * 60_000;
      assert.equal(await client.hasApplicationUser(ENV), true);
      assert.equal(fake.calls.length, 2);
    });
  });

  describe('systemAdministratorStatus', () => {
    it('asks for the user, the root business unit, its System Administrator role and the user roles, exactly as documented', async () => {
      const { fake, client } = setup([userRow(), rootUnit, sysadminRole, collection(basicUser)]);

      await client.systemAdministratorStatus(`${ENV}/`, OID);

      assert.deepEqual(fake.calls.map(described), [
        `GET systemusers?$filter=azureactivedirectoryobjectid eq ${OID}&$select=systemuserid,fullname,isdisabled`,
        'GET businessunits?$select=businessunitid&$filter=_parentbusinessunitid_value eq null',
        `GET roles?$select=roleid,name&$filter=_roletemplateid_value eq ${TEMPLATE} and _businessunitid_value eq ${ROOT_BU}`,
        `GET systemusers(${USER})/systemuserroles_association?$select=roleid,name,_roletemplateid_value`,
      ]);
      assert.equal(fake.calls[0]?.url, `${API}/systemusers?$filter=azureactivedirectoryobjectid%20eq%20${OID}&$select=systemuserid,fullname,isdisabled`);
    });

    it("sends the OData headers and the bot's application token for the environment URL without its trailing slash", async () => {
      const { fake, client, resources } = setup([userRow(), rootUnit, sysadminRole, collection(basicUser)]);

      await client.systemAdministratorStatus(`${ENV}//`, OID);

      assert.deepEqual(resources, [ENV]);
      for (const call of fake.calls) {
        assert.equal(call.headers['accept'], 'application/json');
        assert.equal(call.headers['odata-maxversion'], '4.0');
        assert.equal(call.headers['odata-version'], '4.0');
        assert.equal(call.headers['authorization'], 'Bearer app-token');
      }
    });

    const answers: { name: string; replies: FakeReply[]; expected: object; calls: number }[] = [
      { name: 'a user with no systemuser does not hold it (and nothing more is asked)', replies: [collection()], expected: { held: false }, calls: 1 },
      {
        name: 'a user with only Basic User does not hold it',
        replies: [userRow(), rootUnit, sysadminRole, collection(basicUser)],
        expected: { systemUserId: USER, held: false },
        calls: 4,
      },
      {
        name: 'a user with the root System Administrator role holds it',
        replies: [userRow(), rootUnit, sysadminRole, collection(basicUser, role(SYSADMIN.toUpperCase(), null))],
        expected: { systemUserId: USER, roleId: SYSADMIN.toUpperCase(), held: true },
        calls: 4,
      },
      {
        name: "a user in a child business unit holds it through that unit's copy (same template)",
        replies: [userRow(), rootUnit, sysadminRole, collection(role(CHILD_SYSADMIN, TEMPLATE))],
        expected: { systemUserId: USER, roleId: CHILD_SYSADMIN, held: true },
        calls: 4,
      },
      {
        name: 'a disabled user is reported as disabled, with the role it still holds',
        replies: [userRow(true), rootUnit, sysadminRole, collection(role(SYSADMIN, TEMPLATE))],
        expected: { systemUserId: USER, roleId: SYSADMIN, held: true, userDisabled: true },
        calls: 4,
      },
    ];
    for (const { name, replies, expected, calls } of answers) {
      it(name, async () => {
        const { fake, client } = setup(replies);

        const status = await client.systemAdministratorStatus(ENV, OID);

        assert.deepEqual(status, expected);
        assert.equal(fake.calls.length, calls);
      });
    }

    it('looks up the root business unit and the role once per environment', async () => {
      const other = 'https://contosodev.crm.dynamics.com';
      const { fake, client } = setup([
        userRow(),
        rootUnit,
        sysadminRole,
        collection(),
        userRow(),
        collection(),
        userRow(),
        rootUnit,
        sysadminRole,
        collection(),
      ]);

      await client.systemAdministratorStatus(ENV, OID);
      await client.systemAdministratorStatus(`${ENV}/`, OID);
      await client.systemAdministratorStatus(other, OID);

      assert.deepEqual(
        fake.calls.map((c) => `${new URL(c.url).host} ${new URL(c.url).pathname.split('/').pop()}`),
        [
          'contosoprod.crm.dynamics.com systemusers',
          'contosoprod.crm.dynamics.com businessunits',
          'contosoprod.crm.dynamics.com roles',
          'contosoprod.crm.dynamics.com systemuserroles_association',
          'contosoprod.crm.dynamics.com systemusers',
          'contosoprod.crm.dynamics.com systemuserroles_association',
          'contosodev.crm.dynamics.com systemusers',
          'contosodev.crm.dynamics.com businessunits',
          'contosodev.crm.dynamics.com roles',
          'contosodev.crm.dynamics.com systemuserroles_association',
        ],
      );
    });

    it('retries a 503 through the HTTP helper', async () => {
      const { fake, client } = setup([dvError(503, '0x80040216', 'An unexpected error occurred.'), collection()]);

      assert.deepEqual(await client.systemAdministratorStatus(ENV, OID), { held: false });
      assert.equal(fake.calls.length, 2);
    });
  });

  describe('removeSystemAdministrator', () => {
    it('deletes the role reference of the user and answers removed', async () => {
      const { fake, client } = setup([userRow(), rootUnit, sysadminRole, collection(basicUser, role(SYSADMIN, TEMPLATE)), { status: 204 }]);

      const result = await client.removeSystemAdministrator(ENV, OID);

      assert.equal(result, 'removed');
      const remove = fake.calls[4];
      assert.equal(remove?.method, 'DELETE');
      assert.equal(remove?.url, `${API}/systemusers(${USER})/systemuserroles_association(${SYSADMIN})/$ref`);
      assert.equal(remove?.body, undefined);
      assert.equal(remove?.headers['odata-version'], '4.0');
      assert.equal(remove?.headers['authorization'], 'Bearer app-token');
    });

    const notAssigned: { name: string; replies: FakeReply[]; calls: number }[] = [
      { name: 'the user has no systemuser', replies: [collection()], calls: 1 },
      { name: 'the user does not hold the role (nothing is deleted)', replies: [userRow(), rootUnit, sysadminRole, collection(basicUser)], calls: 4 },
      {
        name: 'Dataverse answers 404 to the delete (removed meanwhile)',
        replies: [userRow(), rootUnit, sysadminRole, collection(role(SYSADMIN, TEMPLATE)), dvError(404, '0x80040217', 'Does Not Exist')],
        calls: 5,
      },
    ];
    for (const { name, replies, calls } of notAssigned) {
      it(`answers notAssigned when ${name}`, async () => {
        const { fake, client } = setup(replies);

        assert.equal(await client.removeSystemAdministrator(ENV, OID), 'notAssigned');
        assert.equal(fake.calls.length, calls);
      });
    }
  });

  describe('errors', () => {
    const denied: { name: string; reply: FakeReply; says: RegExp }[] = [
      {
        name: '403 PrivilegeDenied',
        reply: dvError(403, '0x80040220', 'Principal user is missing prvAssignRole privilege.'),
        says: /0x80040220: Principal user is missing prvAssignRole privilege\.\). Give its application user the System Administrator/,
      },
      {
        name: '403 not a member of the organization',
        reply: dvError(403, '0x80072560', 'The user is not a member of the organization.'),
        says: /Add Elevate as an enabled application user/,
      },
      {
        name: '401 without a body',
        reply: { status: 401, headers: { 'www-authenticate': 'Bearer authorization_uri=x' } },
        says: /refused its token \(HTTP 401\)/,
      },
    ];
    for (const { name, reply, says } of denied) {
      it(`explains ${name} as missing privileges of Elevate's application user`, async () => {
        const { client } = setup([reply]);

        const error = await rejection(client.systemAdministratorStatus(ENV, OID));

        assert.ok(error instanceof DataverseAccessDeniedError, String(error));
        assert.ok(error instanceof HttpError);
        assert.match(error.message, new RegExp(`^Elevate's application user lacks privileges in ${ENV}`));
        assert.match(error.message, says);
        assert.ok(error.cause instanceof HttpError);
      });
    }

    it('explains a refused delete the same way', async () => {
      const { client } = setup([userRow(), rootUnit, sysadminRole, collection(role(SYSADMIN, TEMPLATE)), dvError(403, '0x80040220', 'no prvAssignRole')]);

      const error = await rejection(client.removeSystemAdministrator(ENV, OID));

      assert.ok(error instanceof DataverseAccessDeniedError);
      assert.equal(error.serviceCode, '0x80040220');
    });

    const others: { name: string; replies: FakeReply[]; type: new (...args: never[]) => Error; code: string }[] = [
      { name: 'Dataverse answers 400', replies: [dvError(400, '0x80060888', 'bad filter')], type: HttpError, code: '0x80060888' },
      {
        name: 'Dataverse throttles beyond the retries',
        replies: [dvError(429, '0x80072322', 'limit'), dvError(429, '0x80072322', 'limit')],
        type: ThrottledError,
        code: '0x80072322',
      },
      { name: 'an answer has no "value" array', replies: [{ body: 'oops' }], type: ElevateError, code: 'DataverseUnexpectedAnswer' },
      { name: 'the environment has no root business unit', replies: [userRow(), collection()], type: ElevateError, code: 'DataverseUnexpectedAnswer' },
      {
        name: 'the root business unit has no System Administrator role',
        replies: [userRow(), rootUnit, collection()],
        type: ElevateError,
        code: 'DataverseUnexpectedAnswer',
      },
      {
        name: 'Dataverse returns a systemuserid that is not a GUID',
        replies: [collection({ systemuserid: "x') or (1 eq 1" })],
        type: ElevateError,
        code: 'DataverseInvalidId',
      },
    ];
    for (const { name, replies, type, code } of others) {
      it(`fails with ${type.name} ${code}, not an access error, when ${name}`, async () => {
        const { client } = setup(replies);

        const error = await rejection(client.systemAdministratorStatus(ENV, OID));

        assert.ok(error instanceof type, String(error));
        assert.ok(!(error instanceof DataverseAccessDeniedError));
        assert.equal((error as ElevateError).code, code);
      });
    }

    const refusedInputs: { name: string; url: string; oid: string; code: string }[] = [
      { name: 'an object id that is not a GUID', url: ENV, oid: `${OID} or isdisabled eq true`, code: 'DataverseInvalidId' },
      { name: 'a plain-http environment URL', url: 'http://contosoprod.crm.dynamics.com', oid: OID, code: 'DataverseInvalidUrl' },
      { name: 'an environment URL with a query', url: `${ENV}?x=1`, oid: OID, code: 'DataverseInvalidUrl' },
      { name: 'no URL at all', url: 'contosoprod', oid: OID, code: 'DataverseInvalidUrl' },
    ];
    for (const { name, url, oid, code } of refusedInputs) {
      it(`refuses ${name} before sending anything`, async () => {
        const { fake, client } = setup([]);

        const error = await rejection(client.removeSystemAdministrator(url, oid));

        assert.equal((error as ElevateError).code, code);
        assert.equal(fake.calls.length, 0);
      });
    }
  });
});
