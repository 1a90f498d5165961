import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPolicyFile, parsePolicy, PolicyFileError } from '../../../../src/adapters/policy/policy-file.js';
import { effectivePolicy, PERMISSIVE_POLICY } from '../../../../src/domain/elevate-policy.js';
import { GLOBAL_ADMINISTRATOR, POWER_PLATFORM_ADMINISTRATOR } from '../../../../src/domain/roles.js';

const EXAMPLE = 'env/elevate-policy.example.yaml';
const FILE = 'env/elevate-policy.yaml';
const GROUP = 'a99a0e00-0000-4000-8000-000000000002';
const MEGAN = 'a0000000-0000-4000-8000-0000000e6a00';
const PROD = { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod', type: 'Production' };
const DEV = { id: 'e0000000-0000-4000-8000-000000000002', displayName: 'Contoso Dev', type: 'Sandbox' };
const UAT = { id: 'e0000000-0000-4000-8000-000000000003', displayName: 'Contoso UAT', type: 'Sandbox' };

/** A sound policy to break one field at a time. */
function validPolicy(): { version: number; defaults: Record<string, unknown>; rules: Record<string, unknown>[] } {
  return {
    version: 1,
    defaults: { approval: { required: false }, maximumDuration: 'PT8H' },
    rules: [
      {
        name: 'prod-ppadmin',
        match: { environmentTypes: ['Production'], roleIds: [POWER_PLATFORM_ADMINISTRATOR] },
        approval: { required: true, approverGroupIds: [GROUP], approvalsRequired: 1, pendingTimeoutMinutes: 60 },
        ticketRequired: true,
      },
      { name: 'sandboxes', match: { environmentTypes: ['Sandbox'] }, maximumDuration: 'PT4H' },
    ],
  };
}

function errorOf(action: () => unknown): PolicyFileError {
  try {
    action();
  } catch (error) {
    if (error instanceof PolicyFileError) return error;
    throw error;
  }
  assert.fail('expected a PolicyFileError');
}

describe('loadPolicyFile', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-policy-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the example file', () => {
    const policy = loadPolicyFile(EXAMPLE);

    const ga = effectivePolicy(policy, PROD, GLOBAL_ADMINISTRATOR);
    assert.equal(ga.source, 'prod-global-admin');
    assert.equal(ga.approval.approvalsRequired, 2);
    assert.equal(ga.ticketRequired, true);
    assert.equal(ga.maximumDuration, 'PT1H');
    assert.deepEqual(ga.approval.freshSignIn, { authenticationContext: 'c1' }, 'Global Administrator approvals need a fresh strong sign-in');
    const ppAdmin = effectivePolicy(policy, PROD, POWER_PLATFORM_ADMINISTRATOR);
    assert.deepEqual([ppAdmin.source, ppAdmin.approval.approvalsRequired, ppAdmin.approval.approverGroupIds], ['prod-admin', 1, [GROUP]]);
    const sandbox = effectivePolicy(policy, DEV, GLOBAL_ADMINISTRATOR);
    assert.deepEqual([sandbox.source, sandbox.approval.required, sandbox.ticketRequired], ['non-production', false, false]);
    assert.equal(effectivePolicy(policy, UAT, GLOBAL_ADMINISTRATOR).source, 'contoso-uat-ticket');
    assert.deepEqual([ga.remindChannel, ppAdmin.remindChannel, sandbox.remindChannel], [true, true, false], 'Production reminders go to the security channel');
  });

  it('reads the same policy from JSON', () => {
    const path = join(dir, 'policy.json');
    writeFileSync(path, JSON.stringify(validPolicy()));

    const policy = loadPolicyFile(path);

    assert.equal(effectivePolicy(policy, PROD, POWER_PLATFORM_ADMINISTRATOR).approval.approverGroupIds[0], GROUP);
    assert.equal(effectivePolicy(policy, DEV, POWER_PLATFORM_ADMINISTRATOR).maximumDuration, 'PT4H');
  });

  it('reads .yml files and normalises ids and environment types', () => {
    const source = validPolicy();
    source.rules[0] = { ...source.rules[0], match: { environmentTypes: ['production'], roleIds: [POWER_PLATFORM_ADMINISTRATOR.toUpperCase()] } };
    const path = join(dir, 'policy.yml');
    writeFileSync(path, stringify(source));

    const policy = loadPolicyFile(path);

    assert.deepEqual(policy.rules[0]?.match, { environmentTypes: ['Production'], roleIds: [POWER_PLATFORM_ADMINISTRATOR] });
  });

  for (const path of [undefined, '', '  ']) {
    it(`is permissive when no file is configured (${JSON.stringify(path)})`, () => {
      assert.equal(loadPolicyFile(path), PERMISSIVE_POLICY);
    });
  }

  it('names the file it cannot read', () => {
    const path = join(dir, 'missing.yaml');

    const error = errorOf(() => loadPolicyFile(path));

    assert.equal(error.message, `${path}: cannot be read (ENOENT)`);
    assert.equal(error.code, 'PolicyFileInvalid');
  });
});

describe('parsePolicy', () => {
  const yaml = (value: unknown) => stringify(value);
  const mutate = (change: (p: ReturnType<typeof validPolicy>) => void) => {
    const policy = validPolicy();
    change(policy);
    return yaml(policy);
  };
  const rule0 = (p: ReturnType<typeof validPolicy>) =>
    p.rules[0] as Record<string, unknown> & { approval: Record<string, unknown>; match: Record<string, unknown> };
  const cases: [string, string, string][] = [
    [
      'N of M below 1',
      mutate((p) => (rule0(p).approval.approvalsRequired = 0)),
      `${FILE}: rule "prod-ppadmin" (rules[0]): approval.approvalsRequired must be at least 1`,
    ],
    [
      'N above the listed users with no group',
      mutate((p) => Object.assign(rule0(p).approval, { approverGroupIds: [], approverUserIds: [MEGAN], approvalsRequired: 2 })),
      `${FILE}: rule "prod-ppadmin" (rules[0]): approval.approvalsRequired is 2 but only 1 approver user(s) are listed and no approver group`,
    ],
    [
      'a fresh sign-in with an authentication context that is not c1 to c99',
      mutate((p) => (rule0(p).approval.freshSignIn = { authenticationContext: 'mfa' })),
      `${FILE}: rule "prod-ppadmin" (rules[0]): approval.freshSignIn.authenticationContext must be a Conditional Access authentication context id, c1 to c99`,
    ],
    [
      'a misspelt fresh sign-in field',
      mutate((p) => (rule0(p).approval.freshSignIn = { authContext: 'c1' })),
      `${FILE}: rule "prod-ppadmin" (rules[0]): approval.freshSignIn.authenticationContext is required\n${FILE}: rule "prod-ppadmin" (rules[0]): approval.freshSignIn.authContext is not a known field`,
    ],
    [
      'a fresh sign-in where Elevate asks no approval',
      mutate((p) => (p.defaults['approval'] = { required: false, freshSignIn: { authenticationContext: 'c1' } })),
      `${FILE}: defaults: approval.freshSignIn applies to Elevate approvals only: set required: true, or remove it`,
    ],
    [
      'N that is not a whole number',
      mutate((p) => (rule0(p).approval.approvalsRequired = 1.5)),
      `${FILE}: rule "prod-ppadmin" (rules[0]): approval.approvalsRequired must be a whole number`,
    ],
    [
      'approver that is not a GUID',
      mutate((p) => (rule0(p).approval.approverGroupIds = ['Elevate Approvers'])),
      `${FILE}: rule "prod-ppadmin" (rules[0]): approval.approverGroupIds[0] must be a GUID (an Entra object id)`,
    ],
    ['approval without required', mutate((p) => delete rule0(p).approval.required), `${FILE}: rule "prod-ppadmin" (rules[0]): approval.required is required`],
    [
      'required as a string',
      mutate((p) => (rule0(p).approval.required = 'yes')),
      `${FILE}: rule "prod-ppadmin" (rules[0]): approval.required must be a boolean (found string)`,
    ],
    [
      'misspelt field',
      mutate((p) => (rule0(p).approval.approvalRequired = 2)),
      `${FILE}: rule "prod-ppadmin" (rules[0]): approval.approvalRequired is not a known field`,
    ],
    [
      'unknown environment type',
      mutate((p) => (rule0(p).match.environmentTypes = ['Prodution'])),
      `${FILE}: rule "prod-ppadmin" (rules[0]): match.environmentTypes[0] must be one of Production, Sandbox, Developer, Trial, Default, Teams, SubscriptionBasedTrial`,
    ],
    [
      'role that Elevate does not activate',
      mutate((p) => (rule0(p).match.roleIds = ['e8611ab8-c189-46e8-94e1-60213ab1f814'])),
      `${FILE}: rule "prod-ppadmin" (rules[0]): match.roleIds[0] must be the template id`,
    ],
    ['empty match', mutate((p) => (rule0(p).match = {})), `${FILE}: rule "prod-ppadmin" (rules[0]): match must state at least one of`],
    [
      'bad environment id',
      mutate((p) => (rule0(p).match = { environmentIds: ['Contoso Prod'] })),
      `${FILE}: rule "prod-ppadmin" (rules[0]): match.environmentIds[0] must be a Power Platform environment id`,
    ],
    [
      'bad maximum duration',
      mutate((p) => ((p.rules[1] as Record<string, unknown>).maximumDuration = '4 hours')),
      `${FILE}: rule "sandboxes" (rules[1]): maximumDuration must be an ISO 8601 duration`,
    ],
    [
      'bad approvals channel',
      mutate((p) => (rule0(p).approvalsChannel = 'Approvals')),
      `${FILE}: rule "prod-ppadmin" (rules[0]): approvalsChannel must be a Teams channel id`,
    ],
    [
      'remindChannel that is not a boolean',
      mutate((p) => (rule0(p).remindChannel = 'production')),
      `${FILE}: rule "prod-ppadmin" (rules[0]): remindChannel must be a boolean (found string)`,
    ],
    ['rule without a name, by index', mutate((p) => delete (p.rules[1] as Record<string, unknown>).name), `${FILE}: rule rules[1]: name is required`],
    [
      'duplicate rule names',
      mutate((p) => ((p.rules[1] as Record<string, unknown>).name = 'prod-ppadmin')),
      `${FILE}: rule "prod-ppadmin" (rules[1]): name must be unique: rules[0] has the same name`,
    ],
    ['defaults', mutate((p) => (p.defaults.maximumDuration = 'P3D')), `${FILE}: defaults: maximumDuration must be between PT5M and PT24H`],
    ['unknown top-level field', mutate((p) => Object.assign(p, { rule: [] })), `${FILE}: rule is not a known field`],
    ['wrong version', mutate((p) => (p.version = 2)), `${FILE}: version must be 1`],
    ['rules that are not a list', yaml({ rules: { name: 'x' } }), `${FILE}: rules must be an array (found object)`],
    ['a list instead of a policy', yaml([{ name: 'x' }]), `${FILE}: must be an object (found array)`],
    ['an empty file', '', `${FILE}: is empty`],
    ['invalid YAML', 'rules: [', `${FILE}: is not valid YAML`],
    ['duplicate YAML keys', 'defaults:\n  ticketRequired: true\n  ticketRequired: false\n', `${FILE}: is not valid YAML: Map keys must be unique`],
  ];
  for (const [title, source, expected] of cases) {
    it(`names file, rule and field for ${title}`, () => {
      const error = errorOf(() => parsePolicy(FILE, source));

      assert.ok(error.message.startsWith(expected), `${error.message}\n  does not start with\n${expected}`);
      assert.equal(error.file, FILE);
    });
  }

  it('reports every problem, one line each', () => {
    const source = mutate((p) => {
      rule0(p).approval.approvalsRequired = 0;
      (p.rules[1] as Record<string, unknown>).maximumDuration = 'forever';
    });

    const error = errorOf(() => parsePolicy(FILE, source));

    assert.deepEqual(
      error.issues.map((i) => [i.rule, i.field]),
      [
        ['rule "prod-ppadmin" (rules[0])', 'approval.approvalsRequired'],
        ['rule "sandboxes" (rules[1])', 'maximumDuration'],
      ],
    );
    assert.equal(error.message.split('\n').length, 2);
  });

  it('names the JSON file on a syntax error', () => {
    const error = errorOf(() => parsePolicy('policy.json', '{"rules": ['));

    assert.match(error.message, /^policy\.json: is not valid JSON: /);
  });

  it('refuses other extensions', () => {
    assert.equal(errorOf(() => parsePolicy('policy.toml', '')).message, 'policy.toml: must end in .yaml, .yml or .json');
  });
});

describe('self-approval', () => {
  const cases: [string, (p: ReturnType<typeof validPolicy>) => void, string][] = [
    [
      'in a rule’s approval',
      (p) => Object.assign((p.rules[0] as { approval: object }).approval, { allowSelfApproval: true }),
      'rule "prod-ppadmin" (rules[0]): approval.allowSelfApproval',
    ],
    ['in a rule, in another casing', (p) => Object.assign(p.rules[1] as object, { AllowSelfApproval: true }), 'rule "sandboxes" (rules[1]): AllowSelfApproval'],
    ['in defaults, snake case', (p) => Object.assign(p.defaults, { allow_self_approval: 'yes' }), 'defaults: allow_self_approval'],
    ['at the top, even set to false', (p) => Object.assign(p, { ALLOWSELFAPPROVAL: false }), 'ALLOWSELFAPPROVAL'],
    [
      'in a match',
      (p) => Object.assign((p.rules[0] as { match: object }).match, { selfApprovalAllowed: true }),
      'rule "prod-ppadmin" (rules[0]): match.selfApprovalAllowed',
    ],
  ];
  for (const [title, change, where] of cases) {
    it(`is refused ${title}, naming the setting`, () => {
      const policy = validPolicy();
      change(policy);

      for (const [file, source] of [
        [FILE, stringify(policy)],
        ['policy.json', JSON.stringify(policy)],
      ] as const) {
        const error = errorOf(() => parsePolicy(file, source));

        assert.equal(error.issues.length, 1, error.message);
        assert.equal(error.message, `${file}: ${where} is not allowed: requesters never approve their own requests and no setting can change that; remove it`);
      }
    });
  }
});
