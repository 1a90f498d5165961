import assert from 'node:assert/strict';
import { PolicyFileError } from '../../../../src/adapters/policy/policy-file.js';
import { policyApprovers, policyFile, securityGroup } from '../../../../src/cli/doctor/directory-checks.js';
import { fixture, graphError, GRAPH } from './doctor-fixture.js';

const GROUP = '5ec0a11d-0000-4000-8000-000000000001';
const APPROVERS = 'a99a0e00-0000-4000-8000-000000000002';
const MEGAN = 'a0000000-0000-4000-8000-0000000e6a00';
const POLICY = [
  'rules:',
  '  - name: Production',
  '    match: { environmentTypes: [Production] }',
  `    approval: { required: true, approverGroupIds: ['${APPROVERS}'], approverUserIds: ['${MEGAN}'] }`,
  'defaults:',
  `  approval: { required: false, approverGroupIds: ['${APPROVERS}'] }`,
  '',
].join('\n');

describe('doctor: security group and policy checks', () => {
  describe('group.security', () => {
    it("finds SECURITY_GROUP_ID with Elevate's app token", async () => {
      const { ctx, calls } = fixture({ routes: [{ url: `${GRAPH}/groups/${GROUP}`, reply: { body: { id: GROUP, displayName: 'Elevate Security Team' } } }] });
      assert.deepEqual(await securityGroup(ctx), { status: 'pass', detail: `"Elevate Security Team" (${GROUP})` });
      assert.equal(calls[0]?.authorization, 'Bearer app-token-for-https://graph.microsoft.com');
    });

    it('fails for an unknown group with where to find the object id, and for a refused token with the missing permission', async () => {
      const unknown = fixture({ routes: [{ url: '/groups/', reply: graphError(404, 'Request_ResourceNotFound') }] });
      const refused = fixture({ routes: [{ url: '/groups/', reply: graphError(403, 'Authorization_RequestDenied') }] });
      const a = await securityGroup(unknown.ctx);
      assert.equal(a.detail, `SECURITY_GROUP_ID ${GROUP} is not a group of the tenant`);
      assert.match(a.fix ?? '', /set SECURITY_GROUP_ID to the security team's group: Entra admin center → Identity → Groups/);
      const b = await securityGroup(refused.ctx);
      assert.match(b.detail, /it needs GroupMember\.Read\.All/);
      assert.match(b.fix ?? '', /consent\.application/);
    });
  });

  describe('policy.file', () => {
    it('passes without a policy file, and for a file the bot loads', async () => {
      const none = fixture({ env: { ELEVATE_POLICY_FILE: undefined } });
      const loaded = fixture({ env: { ELEVATE_POLICY_FILE: 'policy.yaml' }, policy: POLICY });
      assert.match((await policyFile(none.ctx)).detail, /ELEVATE_POLICY_FILE is not set/);
      assert.deepEqual(await policyFile(loaded.ctx), { status: 'pass', detail: 'policy.yaml: 1 rule (Production), 0 listed environments' });
    });

    it("fails with the loader's own lines for a file the bot would refuse", async () => {
      const error = new PolicyFileError('policy.yaml', [
        { rule: 'rule "Oops" (rules[0])', field: 'aproval', problem: 'is not a known field' },
        { rule: 'defaults', field: 'maximumDuration', problem: 'must be an ISO 8601 duration' },
      ]);
      const { ctx } = fixture({ env: { ELEVATE_POLICY_FILE: 'policy.yaml' }, policy: error });
      const outcome = await policyFile(ctx);
      assert.equal(outcome.status, 'fail');
      assert.equal(
        outcome.detail,
        'policy.yaml: rule "Oops" (rules[0]): aproval is not a known field; policy.yaml: defaults: maximumDuration must be an ISO 8601 duration',
      );
      assert.match(outcome.fix ?? '', /README "Elevate policy"/);
    });
  });

  describe('policy.approvers', () => {
    const group = { url: `/groups/${APPROVERS}`, reply: { body: { id: APPROVERS, displayName: 'Elevate Approvers' } } };

    it('checks every approver group and user once, wherever the policy names them', async () => {
      const { ctx, calls } = fixture({
        env: { ELEVATE_POLICY_FILE: 'policy.yaml' },
        policy: POLICY,
        routes: [group, { url: `/users/${MEGAN}`, reply: { body: { id: MEGAN, displayName: 'Megan Bowen', accountEnabled: true } } }],
      });
      assert.deepEqual(await policyApprovers(ctx), { status: 'pass', detail: '2 approvers exist: Elevate Approvers, Megan Bowen' });
      assert.equal(calls.length, 2);
    });

    it('fails for an unknown approver naming the rules, and warns for a disabled one', async () => {
      const unknown = fixture({
        env: { ELEVATE_POLICY_FILE: 'policy.yaml' },
        policy: POLICY,
        routes: [
          { url: '/groups/', reply: graphError(404, 'Request_ResourceNotFound') },
          { url: '/users/', reply: { body: { id: MEGAN } } },
        ],
      });
      const disabled = fixture({
        env: { ELEVATE_POLICY_FILE: 'policy.yaml' },
        policy: POLICY,
        routes: [group, { url: '/users/', reply: { body: { id: MEGAN, accountEnabled: false } } }],
      });
      const a = await policyApprovers(unknown.ctx);
      assert.equal(a.detail, `unknown approver group ${APPROVERS} (defaults, rule "Production")`);
      assert.match(a.fix ?? '', /in policy\.yaml, use the object id of an existing Entra group or user/);
      assert.deepEqual([(await policyApprovers(disabled.ctx)).status], ['warn']);
    });

    it('is skipped when the file does not load, and passes when it names nobody', async () => {
      const broken = fixture({ env: { ELEVATE_POLICY_FILE: 'policy.yaml' }, policy: new Error('bad') });
      const nobody = fixture();
      assert.equal((await policyApprovers(broken.ctx)).status, 'skip');
      assert.deepEqual(await policyApprovers(nobody.ctx), { status: 'pass', detail: 'the policy names no approver' });
    });
  });
});
