import assert from 'node:assert/strict';
import { APPROVERS_GROUP_ID, ENVIRONMENTS, ROLES, SECURITY_GROUP_ID, USERS } from '../tenant/seed.js';
import { activation, errorOf, GRAPH_SCOPES, ME, msalError, REQUESTS, SimulatorFixture } from '../../integration/simulator-fixture.js';

const INSTANCES = `/graph/v1.0/roleManagement/directory/roleAssignmentScheduleInstances/${ME}`;
const POLICIES = '/graph/v1.0/policies/roleManagementPolicyAssignments';
const MINUTE = 60_000;

describe('tenant simulator: Graph PIM rules, timing, approvals and groups', function () {
  this.timeout(10_000);
  const f = new SimulatorFixture();
  f.install();
  const policy = (roleId: string) => f.sim.state.tenant.policies.find((p) => p.roleDefinitionId === roleId)!;

  it("serves a role's policy only with the mandatory scope filter, with the end-user rules by id", async () => {
    const token = await f.appToken('https://graph.microsoft.com');
    const filter = encodeURIComponent(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${ROLES.dynamics365Administrator}'`);

    const unfiltered = await f.call('GET', POLICIES, token);
    const res = await f.call('GET', `${POLICIES}?$filter=${filter}&$expand=${encodeURIComponent('policy($expand=rules)')}`, token);

    assert.equal(unfiltered.status, 400);
    const rules = (res.body as { value: { policy: { rules: Record<string, unknown>[] } }[] }).value[0]!.policy.rules;
    assert.equal(rules.find((r) => r['id'] === 'Expiration_EndUser_Assignment')?.['maximumDuration'], 'PT4H');
    assert.deepEqual(rules.find((r) => r['id'] === 'Enablement_EndUser_Assignment')?.['enabledRules'], ['Justification']);
  });

  it('refuses a delegated policy read of a user without a supporting directory role (rbac-pim-entra-roles-apis), and serves a Global Reader', async () => {
    f.sim.state.tenant.apps[0]!.delegatedPermissions.graph!.push('RoleManagementPolicy.Read.Directory');
    const filter = encodeURIComponent(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${ROLES.dynamics365Administrator}'`);
    const scopes = [...GRAPH_SCOPES, 'https://graph.microsoft.com/RoleManagementPolicy.Read.Directory'];

    const adele = await f.call('GET', `${POLICIES}?$filter=${filter}`, await f.obo(USERS.adele.id, scopes));
    f.sim.state.tenant.users.find((u) => u.id === USERS.adele.id)!.directoryRoleIds = ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'];
    const asReader = await f.call('GET', `${POLICIES}?$filter=${filter}`, await f.obo(USERS.adele.id, scopes));

    assert.deepEqual([adele.status, asReader.status], [403, 200]);
  });

  const refusals: { name: string; user: keyof typeof USERS; setup?: () => void; body: Record<string, unknown>; code: string; message?: string }[] = [
    {
      name: 'several failed rules in one message',
      user: 'adele',
      setup: () => policy(ROLES.powerPlatformAdministrator).enabledRules.push('Ticketing'),
      body: activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H', { justification: '' }),
      code: 'RoleAssignmentRequestPolicyValidationFailed',
      message: 'The following policy rules failed: ["JustificationRule","TicketingRule"]',
    },
    {
      name: 'MfaRule without mfa in the token',
      user: 'adele',
      setup: () => policy(ROLES.powerPlatformAdministrator).enabledRules.push('MultiFactorAuthentication'),
      body: activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H'),
      code: 'RoleAssignmentRequestPolicyValidationFailed',
      message: 'The following policy rules failed: ["MfaRule"]',
    },
    {
      name: 'EligibilityRule for a user who is not eligible',
      user: 'lee',
      body: activation(USERS.lee.id, ROLES.powerPlatformAdministrator, 'PT1H'),
      code: 'RoleAssignmentRequestPolicyValidationFailed',
      message: 'The following policy rules failed: ["EligibilityRule"]',
    },
    {
      name: 'ActiveDurationTooShort under 5 minutes',
      user: 'adele',
      body: activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT4M'),
      code: 'ActiveDurationTooShort',
    },
    {
      name: 'a principal other than the caller',
      user: 'adele',
      body: activation(USERS.alex.id, ROLES.powerPlatformAdministrator, 'PT1H'),
      code: 'Authorization_RequestDenied',
    },
  ];
  for (const r of refusals) {
    it(`refuses selfActivate: ${r.name}`, async () => {
      r.setup?.();
      const token = await f.obo(USERS[r.user].id, GRAPH_SCOPES);

      const res = await f.call('POST', REQUESTS, token, r.body);

      assert.equal(errorOf(res).code, r.code);
      if (r.message) assert.equal(errorOf(res).message, r.message);
      assert.deepEqual(f.sim.state.tenant.assignments, []);
    });
  }

  it('demands the authentication context with a claims challenge that an on-behalf-of exchange can satisfy after step-up', async () => {
    policy(ROLES.powerPlatformAdministrator).authenticationContext = 'c1';
    const body = activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H');

    const refused = await f.call('POST', REQUESTS, await f.obo(USERS.adele.id, GRAPH_SCOPES), body);
    const claims = decodeURIComponent(/claims=([^\s]+)/.exec(errorOf(refused).message)![1]!);
    const oboError = await msalError(async () =>
      f.app().acquireTokenOnBehalfOf({ oboAssertion: await f.ssoToken(USERS.adele.id), scopes: GRAPH_SCOPES, claims }),
    );
    const stepped = await f
      .app()
      .acquireTokenOnBehalfOf({ oboAssertion: await f.ssoToken(USERS.adele.id, { claims: { acrs: ['c1'] } }), scopes: GRAPH_SCOPES, claims });
    const accepted = await f.call('POST', REQUESTS, stepped!.accessToken, body);

    assert.equal(errorOf(refused).code, 'RoleAssignmentRequestAcrsValidationFailed');
    assert.deepEqual(JSON.parse(claims), { access_token: { acrs: { essential: true, value: 'c1' } } });
    assert.equal(oboError.errorCode, 'interaction_required');
    assert.match(String(oboError.claims), /"c1"/);
    assert.equal(accepted.status, 201);
  });

  it('refuses a second activation with RoleAssignmentExists', async () => {
    const token = await f.obo(USERS.adele.id, GRAPH_SCOPES);
    const body = activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H');

    await f.call('POST', REQUESTS, token, body);
    const second = await f.call('POST', REQUESTS, token, body);

    assert.equal(errorOf(second).code, 'RoleAssignmentExists');
  });

  it('shows the instance only after activationDelayMs and deactivates only after 5 minutes', async () => {
    f.sim.state.settings.activationDelayMs = 30_000;
    const token = await f.obo(USERS.adele.id, GRAPH_SCOPES);
    const deactivation = { ...activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H'), action: 'selfDeactivate' };

    await f.call('POST', REQUESTS, token, activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H'));
    const early = await f.call('GET', INSTANCES, token);
    const tooSoon = await f.call('POST', REQUESTS, token, deactivation);
    f.sim.state.settings.clockOffsetMs = 6 * MINUTE;
    const later = await f.call('GET', INSTANCES, token);
    const revoked = await f.call('POST', REQUESTS, token, deactivation);

    assert.deepEqual((early.body as { value: unknown[] }).value, []);
    assert.equal(errorOf(tooSoon).code, 'ActiveDurationTooShort');
    assert.equal((later.body as { value: unknown[] }).value.length, 1);
    assert.equal((revoked.body as { status: string }).status, 'Revoked');
    assert.deepEqual(f.sim.state.tenant.assignments, []);
  });

  it('honours an activation in Power Platform only after propagationDelayMs, and never a group-based role', async () => {
    f.sim.state.settings.propagationDelayMs = 10 * MINUTE;
    const apply = `/powerplatform/usermanagement/environments/${ENVIRONMENTS.contosoDev.id}/user/applyAdminRole?api-version=2024-10-01`;
    const pp = await f.obo(USERS.adele.id, ['https://api.powerplatform.com/.default']);
    await f.call('POST', REQUESTS, await f.obo(USERS.adele.id, GRAPH_SCOPES), activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H'));

    const early = await f.call('POST', apply, pp);
    f.sim.state.tenant.assignments[0]!.memberType = 'Group';
    f.sim.state.settings.clockOffsetMs = 11 * MINUTE;
    const viaGroup = await f.call('POST', apply, pp);
    f.sim.state.tenant.assignments[0]!.memberType = 'Direct';
    const direct = await f.call('POST', apply, pp);

    assert.deepEqual([early.status, viaGroup.status, direct.status], [403, 403, 200]);
  });

  // Source: learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-cancel (v1.0) [D]: a Granted request is
  // cancelable (204, status Canceled), a Provisioned one is not (400); docs/api-contracts.md §2 "Activate, deactivate,
  // cancel" and §2.1. Another user's request answering 404 is the simulator's choice [?] (§2.1: who may cancel is not documented).
  it('cancels an activation granted to start later, so that it never starts, and refuses a Provisioned one (unifiedroleassignmentschedulerequest-cancel)', async () => {
    f.sim.state.settings.activationAfterCurrentEnd = 'accept';
    const token = await f.obo(USERS.adele.id, GRAPH_SCOPES);
    const now = await f.call('POST', REQUESTS, token, activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H'));
    const end = Date.parse((now.body as { scheduleInfo: { startDateTime: string } }).scheduleInfo.startDateTime) + 60 * MINUTE;
    const followOn = await f.call('POST', REQUESTS, token, {
      ...activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT30M'),
      scheduleInfo: { startDateTime: new Date(end).toISOString(), expiration: { type: 'AfterDuration', duration: 'PT30M' } },
    });
    const followOnId = (followOn.body as { id: string; status: string }).id;
    const byMegan = await f.call('POST', `${REQUESTS}/${followOnId}/cancel`, await f.obo(USERS.megan.id, GRAPH_SCOPES));
    const cancelled = await f.call('POST', `${REQUESTS}/${followOnId}/cancel`, token);
    const twice = await f.call('POST', `${REQUESTS}/${followOnId}/cancel`, token);
    const started = await f.call('POST', `${REQUESTS}/${(now.body as { id: string }).id}/cancel`, token);

    assert.equal((followOn.body as { status: string }).status, 'Granted');
    assert.deepEqual([byMegan.status, cancelled.status, twice.status, started.status], [404, 204, 400, 400]);
    assert.equal(f.sim.state.tenant.requests.find((r) => r.id === followOnId)?.status, 'Canceled');
    assert.deepEqual(
      f.sim.state.tenant.assignments.map((a) => a.endDateTime),
      [new Date(end).toISOString()],
      'only the running activation is left: nothing starts at its end',
    );
  });

  it('holds an approval-gated activation as PendingApproval until an approver approves it', async () => {
    policy(ROLES.powerPlatformAdministrator).approvalRequired = true;
    const adele = await f.obo(USERS.adele.id, GRAPH_SCOPES);
    const megan = await f.obo(USERS.megan.id, GRAPH_SCOPES);

    const created = await f.call('POST', REQUESTS, adele, activation(USERS.adele.id, ROLES.powerPlatformAdministrator, 'PT1H'));
    const { approvalId } = created.body as { approvalId: string };
    const approval = await f.call('GET', `/graph/beta/roleManagement/directory/roleAssignmentApprovals/${approvalId}`, megan);
    const step = (approval.body as { steps: { id: string; assignedToMe: boolean }[] }).steps[0]!;
    const stepPath = `/graph/beta/roleManagement/directory/roleAssignmentApprovals/${approvalId}/steps/${step.id}`;
    const bySelf = await f.call('PATCH', stepPath, adele, { reviewResult: 'Approve', justification: 'mine' });
    const approved = await f.call('PATCH', stepPath, megan, { reviewResult: 'Approve', justification: 'ok' });
    const again = await f.call('PATCH', stepPath, megan, { reviewResult: 'Deny', justification: 'late' });
    const active = await f.call('GET', INSTANCES, adele);

    assert.equal((created.body as { status: string }).status, 'PendingApproval');
    assert.equal(step.assignedToMe, true);
    assert.deepEqual([bySelf.status, approved.status, again.status], [403, 204, 409]);
    assert.equal((active.body as { value: unknown[] }).value.length, 1);
  });

  it('answers checkMemberGroups with the transitive groups, for an app with the documented permissions only', async () => {
    f.sim.state.tenant.groups.push({ id: 'ae000000-0000-4000-8000-0000000000aa', displayName: 'Outer', members: [SECURITY_GROUP_ID] });
    const path = `/graph/v1.0/users/${USERS.nestor.id}/checkMemberGroups`;
    const groupIds = [SECURITY_GROUP_ID, APPROVERS_GROUP_ID, 'ae000000-0000-4000-8000-0000000000aa'];

    const allowed = await f.call('POST', path, await f.appToken('https://graph.microsoft.com'), { groupIds });
    f.sim.state.tenant.apps[0]!.appRoles.graph = ['GroupMember.Read.All'];
    const denied = await f.call('POST', path, await f.appToken('https://graph.microsoft.com'), { groupIds });

    assert.deepEqual((allowed.body as { value: string[] }).value, [SECURITY_GROUP_ID, 'ae000000-0000-4000-8000-0000000000aa']);
    assert.equal(denied.status, 403);
  });

  it("lists a group's transitive members (users and nested groups), in pages, for an app with GroupMember.Read.All", async () => {
    const nested = 'ae000000-0000-4000-8000-0000000000bb';
    f.sim.state.tenant.groups.push({ id: nested, displayName: 'Nested', members: [USERS.lee.id, USERS.megan.id] });
    f.sim.state.tenant.groups.find((g) => g.id === APPROVERS_GROUP_ID)!.members.push(nested);
    const token = await f.appToken('https://graph.microsoft.com');
    const first = await f.call('GET', `/graph/v1.0/groups/${APPROVERS_GROUP_ID}/transitiveMembers?$select=id&$top=2`, token);
    const page = first.body as { value: { '@odata.type': string; id: string }[]; '@odata.nextLink'?: string };
    assert.equal(page.value.length, 2);
    assert.ok(page['@odata.nextLink'], 'a next page');
    const rest = await f.call('GET', page['@odata.nextLink']!.slice(f.sim.baseUrl.length), token);
    const all = [...page.value, ...(rest.body as { value: { '@odata.type': string; id: string }[] }).value];
    assert.deepEqual(
      all.map((m) => `${m['@odata.type']} ${m.id}`).sort(),
      [`#microsoft.graph.group ${nested}`, `#microsoft.graph.user ${USERS.lee.id}`, `#microsoft.graph.user ${USERS.megan.id}`].sort(),
      'Megan once, though a direct and a nested member',
    );
    assert.equal((await f.call('GET', '/graph/v1.0/groups/ae000000-0000-4000-8000-0000000000cc/transitiveMembers', token)).status, 404);
    f.sim.state.tenant.apps[0]!.appRoles.graph = ['User.Read.All'];
    const denied = await f.call('GET', `/graph/v1.0/groups/${APPROVERS_GROUP_ID}/transitiveMembers`, await f.appToken('https://graph.microsoft.com'));
    assert.equal(denied.status, 403);
  });
});
