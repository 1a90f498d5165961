import assert from 'node:assert/strict';
import { parsePolicy, PolicyFileError } from '../../../../src/adapters/policy/policy-file.js';

const OWNER = '0cb07c69-1631-4725-ab35-e59e001c51ea';
const MEGAN = 'a0000000-0000-4000-8000-0000000e6a00';

describe('Elevate policy file: the rbac section', () => {
  it('reads environment groups and rules, Owner with approvers, tenant Owner forbidden by default', () => {
    const policy = parsePolicy(
      'policy.yaml',
      `
rbac:
  environmentGroups:
    - { id: 6e000000-0000-4000-8000-0000000f1a00, displayName: Finance }
  rules:
    - name: owners
      match: { roleIds: [${OWNER}] }
      maximumDuration: PT1H
      approval: { required: true, approverUserIds: [${MEGAN}] }
    - name: readers
      match: { scopeKinds: [environment], principalTypes: [User] }
      maximumDuration: PT4H
`,
    );
    assert.equal(policy.rbac?.forbidTenantOwner, true);
    assert.deepEqual(
      policy.rbac?.rules.map((r) => [r.name, r.maximumDuration, r.approval?.approvalsRequired ?? null]),
      [
        ['owners', 'PT1H', 1],
        ['readers', 'PT4H', null],
      ],
    );
    assert.equal(policy.rbac?.environmentGroups?.[0]?.displayName, 'Finance');
  });

  it('refuses an Owner rule without approvers, unknown fields and Group principals, naming the rule and field', () => {
    const problem = (yaml: string) => {
      try {
        parsePolicy('policy.yaml', yaml);
      } catch (error) {
        assert.ok(error instanceof PolicyFileError);
        return error.message;
      }
      return assert.fail('expected a refusal');
    };
    assert.match(
      problem(`rbac:\n  rules:\n    - { name: o, match: { roleIds: [${OWNER}] }, maximumDuration: PT1H }\n`),
      /rbac rule "o".*approval must list approvers/,
    );
    assert.match(problem('rbac:\n  rulez: []\n'), /rulez is not a known field/);
    assert.match(problem('rbac:\n  rules:\n    - { name: g, match: { principalTypes: [Group] }, maximumDuration: PT1H }\n'), /must be User or ApplicationUser/);
  });
});
