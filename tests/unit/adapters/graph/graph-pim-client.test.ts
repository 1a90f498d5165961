import assert from 'node:assert/strict';
import { GraphPimClient } from '../../../../src/adapters/graph/graph-pim-client.js';
import { PimRequestError } from '../../../../src/adapters/graph/pim-errors.js';
import { HttpClient } from '../../../../src/adapters/http/http-client.js';
import { HttpError } from '../../../../src/domain/errors.js';
import { POWER_PLATFORM_ADMINISTRATOR } from '../../../../src/domain/roles.js';
import { FakeFetch, staticToken, type FakeReply } from '../fakes/fake-fetch.js';
import { rejection } from '../../../support/rejection.js';

const BASE = 'https://127.0.0.1:9443/graph';
const ME = 'a0000000-0000-4000-8000-00000000ade1';

function setup(replies: FakeReply[]) {
  const fake = new FakeFetch(replies);
  const client = new GraphPimClient({ baseUrl: `${BASE}/`, http: new HttpClient({ fetch: fake.fetch, sleep: async () => {} }) });
  return { fake, client };
}

const activation = {
  principalId: ME,
  roleDefinitionId: POWER_PLATFORM_ADMINISTRATOR,
  justification: 'Fix the prod flow',
  duration: 'PT2H',
  startDateTime: '2026-01-01T10:00:00.000Z',
};

describe('GraphPimClient', () => {
  describe('listMyEligibilities', () => {
    it('reads the current user eligibility instances, following next links on Graph only', async () => {
      const { fake, client } = setup([
        {
          body: {
            value: [{ id: 'e1', roleDefinitionId: 'r1', directoryScopeId: '/', memberType: 'Direct', startDateTime: 's', endDateTime: null }],
            '@odata.nextLink': `${BASE}/v1.0/next-page`,
          },
        },
        { body: { value: [{ id: 'e2', roleDefinitionId: 'r2', directoryScopeId: '/' }], '@odata.nextLink': 'https://evil.example/steal' } },
      ]);

      const result = await client.listMyEligibilities(staticToken());

      assert.equal(
        fake.calls[0]?.url,
        `${BASE}/v1.0/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=principal`,
      );
      assert.equal(fake.calls[1]?.url, `${BASE}/v1.0/next-page`);
      assert.equal(fake.calls.length, 2);
      assert.deepEqual(result, [
        { id: 'e1', roleDefinitionId: 'r1', directoryScopeId: '/', memberType: 'Direct', startDateTime: 's', endDateTime: null },
        { id: 'e2', roleDefinitionId: 'r2', directoryScopeId: '/' },
      ]);
    });
  });

  describe('listMyActiveAssignments', () => {
    it('reads the current user assignment instances with their assignment type', async () => {
      const { fake, client } = setup([
        { body: { value: [{ id: 'a1', roleDefinitionId: 'r1', directoryScopeId: '/', assignmentType: 'Activated', endDateTime: '2026-01-01T12:00:00Z' }] } },
      ]);

      const result = await client.listMyActiveAssignments(staticToken());

      assert.equal(
        fake.calls[0]?.url,
        `${BASE}/v1.0/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=principal`,
      );
      assert.deepEqual(result, [{ id: 'a1', roleDefinitionId: 'r1', directoryScopeId: '/', assignmentType: 'Activated', endDateTime: '2026-01-01T12:00:00Z' }]);
    });
  });

  describe('getActivationPolicy', () => {
    it('filters by scope and role and expands the rules', async () => {
      const { fake, client } = setup([{ body: { value: [{ policy: { rules: [] } }] } }]);

      await client.getActivationPolicy(staticToken(), POWER_PLATFORM_ADMINISTRATOR);

      const url = new URL(fake.calls[0]?.url ?? '');
      assert.equal(url.pathname, '/graph/v1.0/policies/roleManagementPolicyAssignments');
      assert.equal(
        url.searchParams.get('$filter'),
        `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${POWER_PLATFORM_ADMINISTRATOR}'`,
      );
      assert.equal(url.searchParams.get('$expand'), 'policy($expand=rules)');
    });

    it('says so when the role has no policy assignment', async () => {
      const { client } = setup([{ body: { value: [] } }]);

      const error = await rejection(client.getActivationPolicy(staticToken(), 'r1'));

      assert.equal((error as { code?: string }).code, 'PimPolicyNotFound');
    });
  });

  describe('selfActivate', () => {
    it('posts the selfActivate body for the user and returns the request with its status', async () => {
      const { fake, client } = setup([
        {
          status: 201,
          headers: { 'request-id': 'graph-req-1' },
          body: { id: 'req-1', status: 'Provisioned', action: 'selfActivate', approvalId: null, createdDateTime: 'c' },
        },
      ]);

      const result = await client.selfActivate(staticToken(), { ...activation, ticketNumber: 'INC-123', ticketSystem: 'ServiceNow' });

      assert.equal(fake.calls[0]?.method, 'POST');
      assert.equal(fake.calls[0]?.url, `${BASE}/v1.0/roleManagement/directory/roleAssignmentScheduleRequests`);
      assert.deepEqual(fake.calls[0]?.body, {
        action: 'selfActivate',
        principalId: ME,
        roleDefinitionId: POWER_PLATFORM_ADMINISTRATOR,
        directoryScopeId: '/',
        justification: 'Fix the prod flow',
        scheduleInfo: { startDateTime: '2026-01-01T10:00:00.000Z', expiration: { type: 'afterDuration', duration: 'PT2H' } },
        ticketInfo: { ticketNumber: 'INC-123', ticketSystem: 'ServiceNow' },
      });
      assert.deepEqual(result, {
        id: 'req-1',
        status: 'Provisioned',
        action: 'selfActivate',
        principalId: ME,
        roleDefinitionId: POWER_PLATFORM_ADMINISTRATOR,
        approvalId: null,
        createdDateTime: 'c',
        requestId: 'graph-req-1',
      });
    });

    it('leaves ticketInfo out when there is no ticket', async () => {
      const { fake, client } = setup([{ status: 201, body: { id: 'req-1', status: 'PendingApproval' } }]);

      const result = await client.selfActivate(staticToken(), activation);

      assert.equal((fake.calls[0]?.body as Record<string, unknown>).ticketInfo, undefined);
      assert.equal(result.status, 'PendingApproval');
    });

    it('does not send selfActivate twice after a 500', async () => {
      const { fake, client } = setup([{ status: 500 }, { status: 201, body: { id: 'x', status: 'Provisioned' } }]);

      await rejection(client.selfActivate(staticToken(), activation));

      assert.equal(fake.calls.length, 1);
    });

    const graphError = (code: string, message: string): FakeReply => ({
      status: 400,
      body: { error: { code, message, innerError: { 'request-id': 'req-400' } } },
    });
    const errorCases: { reply: FakeReply; code: string; rules: string[]; claims?: string }[] = [
      { reply: graphError('RoleAssignmentExists', 'The Role assignment already exists.'), code: 'RoleAssignmentExists', rules: [] },
      {
        reply: graphError('RoleAssignmentRequestPolicyValidationFailed', 'The following policy rules failed: ["ExpirationRule"]'),
        code: 'RoleAssignmentRequestPolicyValidationFailed',
        rules: ['ExpirationRule'],
      },
      {
        reply: graphError('RoleAssignmentRequestPolicyValidationFailed', 'The following policy rules failed: ["JustificationRule","TicketingRule"]'),
        code: 'RoleAssignmentRequestPolicyValidationFailed',
        rules: ['JustificationRule', 'TicketingRule'],
      },
      {
        reply: graphError('ActiveDurationTooShort', 'The Active duration is too short. Miniumum Required is 5 minutes.'),
        code: 'ActiveDurationTooShort',
        rules: [],
      },
      {
        reply: graphError(
          'RoleAssignmentRequestAcrsValidationFailed',
          'The authentication context is not satisfied. &claims=%7B%22access_token%22%3A%7B%22acrs%22%3A%7B%22essential%22%3Atrue%2C%22value%22%3A%22c1%22%7D%7D%7D',
        ),
        code: 'RoleAssignmentRequestAcrsValidationFailed',
        rules: [],
        claims: '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}',
      },
    ];
    for (const { reply, code, rules, claims } of errorCases) {
      it(`maps ${code}${rules.length ? ` (${rules.join(', ')})` : ''} into a PimRequestError`, async () => {
        const { client } = setup([reply]);

        const error = await rejection(client.selfActivate(staticToken(), activation));

        assert.ok(error instanceof PimRequestError);
        assert.ok(error instanceof HttpError, 'callers that only know HttpError still see the code');
        assert.equal(error.serviceCode, code);
        assert.equal(error.correlationId, 'req-400');
        assert.deepEqual(error.rules, rules);
        assert.equal(error.claims, claims);
      });
    }

    it('leaves other Graph errors as plain HttpErrors', async () => {
      const { client } = setup([{ status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'no' } } }]);

      const error = await rejection(client.selfActivate(staticToken(), activation));

      assert.ok(error instanceof HttpError && !(error instanceof PimRequestError));
      assert.equal(error.serviceCode, 'Authorization_RequestDenied');
    });
  });

  describe('checkMemberGroups', () => {
    it('posts the group ids and returns those the user belongs to', async () => {
      const { fake, client } = setup([{ body: { value: ['g2'] } }]);

      const result = await client.checkMemberGroups(staticToken(), ME, ['g1', 'g2']);

      assert.equal(fake.calls[0]?.url, `${BASE}/v1.0/users/${ME}/checkMemberGroups`);
      assert.deepEqual(fake.calls[0]?.body, { groupIds: ['g1', 'g2'] });
      assert.deepEqual(result, ['g2']);
    });

    it('splits more than 20 group ids into several calls', async () => {
      const ids = Array.from({ length: 25 }, (_, i) => `g${i}`);
      const { fake, client } = setup([{ body: { value: ['g0'] } }, { body: { value: ['g24'] } }]);

      const result = await client.checkMemberGroups(staticToken(), ME, ids);

      assert.deepEqual(
        fake.calls.map((c) => (c.body as { groupIds: string[] }).groupIds.length),
        [20, 5],
      );
      assert.deepEqual(result, ['g0', 'g24']);
    });
  });
});
