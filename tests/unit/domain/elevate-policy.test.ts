import assert from 'node:assert/strict';
import type { EnvironmentRef } from '../../../src/domain/environment.js';
import {
  effectivePolicy,
  flags,
  globMatches,
  maximumMinutes,
  PERMISSIVE_POLICY,
  policyProblems,
  type ElevatePolicy,
  type PolicyRule,
} from '../../../src/domain/elevate-policy.js';
import { NO_APPROVAL, type ApprovalPolicy } from '../../../src/domain/approval.js';
import { DYNAMICS_365_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, POWER_PLATFORM_ADMINISTRATOR } from '../../../src/domain/roles.js';

const PROD: EnvironmentRef = { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod', type: 'Production' };
const DEV: EnvironmentRef = { id: 'e0000000-0000-4000-8000-000000000002', displayName: 'Contoso Dev', type: 'Sandbox' };
const UAT: EnvironmentRef = { id: 'e0000000-0000-4000-8000-000000000003', displayName: 'Contoso UAT', type: 'Sandbox' };
const FABRIKAM: EnvironmentRef = { id: 'e0000000-0000-4000-8000-000000000004', displayName: 'Fabrikam Sales', type: 'production' };
const UNTYPED: EnvironmentRef = { id: 'e0000000-0000-4000-8000-000000000005', displayName: 'Legacy' };

const GROUP = 'a99a0e00-0000-4000-8000-000000000002';
const MEGAN = 'a0000000-0000-4000-8000-0000000e6a00';
const NESTOR = 'a0000000-0000-4000-8000-00000000e570';

const approval = (overrides: Partial<ApprovalPolicy> = {}): ApprovalPolicy => ({
  required: true,
  approverGroupIds: [GROUP],
  approverUserIds: [],
  approvalsRequired: 1,
  pendingTimeoutMinutes: 60,
  ...overrides,
});

const POLICY: ElevatePolicy = {
  defaults: { maximumDuration: 'PT8H', ticketRequired: false, approvalsChannel: '19:default@thread.tacv2' },
  rules: [
    { name: 'fabrikam-by-id', match: { environmentIds: [FABRIKAM.id.toUpperCase()] }, ticketRequired: true },
    {
      name: 'prod-global-admin',
      match: { environmentTypes: ['Production'], roleIds: [GLOBAL_ADMINISTRATOR] },
      approval: approval({ approverUserIds: [MEGAN, NESTOR], approvalsRequired: 2 }),
      maximumDuration: 'PT1H',
      ticketRequired: true,
    },
    { name: 'prod-admin', match: { environmentTypes: ['Production'] }, approval: approval(), maximumDuration: 'PT4H', ticketRequired: true },
    { name: 'contoso-uat', match: { environmentNamePattern: 'contoso uat*' }, ticketRequired: true },
    { name: 'sandbox', match: { environmentTypes: ['Sandbox'] }, approval: NO_APPROVAL },
  ],
};

describe('effectivePolicy', () => {
  const cases: { title: string; environment: EnvironmentRef; role: string; source: string; approvals: number; maximum?: string; ticket: boolean }[] = [
    {
      title: 'asks 2 approvers for Global Administrator in production',
      environment: PROD,
      role: GLOBAL_ADMINISTRATOR,
      source: 'prod-global-admin',
      approvals: 2,
      maximum: 'PT1H',
      ticket: true,
    },
    {
      title: 'asks 1 approver for Power Platform Administrator in production',
      environment: PROD,
      role: POWER_PLATFORM_ADMINISTRATOR,
      source: 'prod-admin',
      approvals: 1,
      maximum: 'PT4H',
      ticket: true,
    },
    {
      title: 'matches role ids whatever their casing',
      environment: PROD,
      role: GLOBAL_ADMINISTRATOR.toUpperCase(),
      source: 'prod-global-admin',
      approvals: 2,
      maximum: 'PT1H',
      ticket: true,
    },
    {
      title: 'lets an earlier rule by environment id win over the production rules',
      environment: FABRIKAM,
      role: GLOBAL_ADMINISTRATOR,
      source: 'fabrikam-by-id',
      approvals: 0,
      maximum: 'PT8H',
      ticket: true,
    },
    {
      title: 'matches a name pattern ignoring case, before the sandbox rule',
      environment: UAT,
      role: DYNAMICS_365_ADMINISTRATOR,
      source: 'contoso-uat',
      approvals: 0,
      maximum: 'PT8H',
      ticket: true,
    },
    { title: 'needs no approval in a sandbox', environment: DEV, role: GLOBAL_ADMINISTRATOR, source: 'sandbox', approvals: 0, maximum: 'PT8H', ticket: false },
    {
      title: 'falls back to defaults when no rule matches',
      environment: UNTYPED,
      role: POWER_PLATFORM_ADMINISTRATOR,
      source: 'defaults',
      approvals: 0,
      maximum: 'PT8H',
      ticket: false,
    },
  ];
  for (const c of cases) {
    it(c.title, () => {
      const effective = effectivePolicy(POLICY, c.environment, c.role);

      assert.equal(effective.source, c.source);
      assert.equal(effective.approval.required, c.approvals > 0);
      assert.equal(effective.approval.approvalsRequired, c.approvals);
      assert.equal(effective.maximumDuration, c.maximum);
      assert.equal(effective.ticketRequired, c.ticket);
    });
  }

  it('takes a rule’s approval block whole and fills unstated settings from defaults', () => {
    const effective = effectivePolicy(POLICY, PROD, GLOBAL_ADMINISTRATOR);

    assert.deepEqual(effective.approval.approverUserIds, [MEGAN, NESTOR]);
    assert.equal(effective.approvalsChannel, '19:default@thread.tacv2');
  });

  it('lets a rule turn off approval that defaults require', () => {
    const policy: ElevatePolicy = {
      defaults: { approval: approval() },
      rules: [{ name: 'dev', match: { environmentTypes: ['Sandbox'] }, approval: { ...approval(), required: false } }],
    };

    assert.equal(effectivePolicy(policy, DEV, GLOBAL_ADMINISTRATOR).approval, NO_APPROVAL);
    assert.equal(effectivePolicy(policy, PROD, GLOBAL_ADMINISTRATOR).approval.required, true);
  });

  it('is permissive without a policy file: no approval, no ticket, PIM limits only', () => {
    const effective = effectivePolicy(PERMISSIVE_POLICY, PROD, GLOBAL_ADMINISTRATOR);

    assert.deepEqual(effective, {
      source: 'defaults',
      approval: NO_APPROVAL,
      namedApproverUserIds: [],
      ticketRequired: false,
      missingApplicationUser: 'refuse',
      remindChannel: false,
      extensions: { maximumCount: 2, maximumTotalMinutes: 120, approvalRequired: false },
      flags: { production: true, globalAdministrator: true },
    });
  });

  it('sends reminders to the security channel only where a rule (or the defaults) says remindChannel', () => {
    const policy: ElevatePolicy = {
      defaults: {},
      rules: [{ name: 'prod-reminders', match: { environmentTypes: ['Production'] }, remindChannel: true }],
    };
    assert.equal(effectivePolicy(policy, PROD, GLOBAL_ADMINISTRATOR).remindChannel, true);
    assert.equal(effectivePolicy(policy, DEV, GLOBAL_ADMINISTRATOR).remindChannel, false);
    const everywhereButDev: ElevatePolicy = {
      defaults: { remindChannel: true },
      rules: [{ name: 'dev', match: { environmentTypes: ['Sandbox'] }, remindChannel: false }],
    };
    assert.equal(effectivePolicy(everywhereButDev, PROD, GLOBAL_ADMINISTRATOR).remindChannel, true);
    assert.equal(effectivePolicy(everywhereButDev, DEV, GLOBAL_ADMINISTRATOR).remindChannel, false);
  });

  it('refuses by default in Production, and warns elsewhere, where Elevate has no application user to undo an elevation', () => {
    assert.equal(effectivePolicy(PERMISSIVE_POLICY, PROD, GLOBAL_ADMINISTRATOR).missingApplicationUser, 'refuse');
    assert.equal(effectivePolicy(PERMISSIVE_POLICY, DEV, GLOBAL_ADMINISTRATOR).missingApplicationUser, 'warn');
  });

  it("takes a rule's missingApplicationUser over the environment type's default", () => {
    const policy: ElevatePolicy = {
      defaults: { missingApplicationUser: 'refuse' },
      rules: [{ name: 'prod-warn', match: { environmentTypes: ['Production'] }, missingApplicationUser: 'warn' }],
    };
    assert.equal(effectivePolicy(policy, PROD, GLOBAL_ADMINISTRATOR).missingApplicationUser, 'warn');
    assert.equal(effectivePolicy(policy, DEV, GLOBAL_ADMINISTRATOR).missingApplicationUser, 'refuse');
  });

  it("names a rule's approver users for PIM approval cards even when Elevate itself requires no approval", () => {
    const megan = 'a0000000-0000-4000-8000-0000000e6a00';
    const policy: ElevatePolicy = {
      defaults: {},
      rules: [{ name: 'pim-approvers', match: { environmentTypes: ['Production'] }, approval: { ...NO_APPROVAL, approverUserIds: [megan] } }],
    };
    const effective = effectivePolicy(policy, PROD, GLOBAL_ADMINISTRATOR);
    assert.equal(effective.approval.required, false);
    assert.deepEqual(effective.namedApproverUserIds, [megan]);
  });

  it('requires every stated criterion of a match', () => {
    const rule: PolicyRule = { name: 'ga-in-contoso', match: { environmentNamePattern: 'Contoso*', roleIds: [GLOBAL_ADMINISTRATOR] }, ticketRequired: true };
    const policy: ElevatePolicy = { defaults: {}, rules: [rule] };

    assert.equal(effectivePolicy(policy, DEV, GLOBAL_ADMINISTRATOR).source, 'ga-in-contoso');
    assert.equal(effectivePolicy(policy, DEV, POWER_PLATFORM_ADMINISTRATOR).source, 'defaults');
    assert.equal(effectivePolicy(policy, FABRIKAM, GLOBAL_ADMINISTRATOR).source, 'defaults');
  });
});

describe('flags', () => {
  const cases: [string, EnvironmentRef, string, { production: boolean; globalAdministrator: boolean }][] = [
    ['flags Global Administrator in production', PROD, GLOBAL_ADMINISTRATOR, { production: true, globalAdministrator: true }],
    ['flags a production type in any casing', FABRIKAM, POWER_PLATFORM_ADMINISTRATOR, { production: true, globalAdministrator: false }],
    ['flags Global Administrator in a sandbox', DEV, GLOBAL_ADMINISTRATOR.toUpperCase(), { production: false, globalAdministrator: true }],
    ['flags nothing for a sandbox Dynamics 365 administrator', DEV, DYNAMICS_365_ADMINISTRATOR, { production: false, globalAdministrator: false }],
    ['does not guess production for an untyped environment', UNTYPED, POWER_PLATFORM_ADMINISTRATOR, { production: false, globalAdministrator: false }],
  ];
  for (const [title, environment, role, expected] of cases) {
    it(title, () => {
      assert.deepEqual(flags(environment, role), expected);
      assert.deepEqual(effectivePolicy(POLICY, environment, role).flags, expected);
    });
  }
});

describe('globMatches', () => {
  const cases: [string, string, boolean][] = [
    ['Contoso *', 'Contoso Prod', true],
    ['contoso *', 'CONTOSO PROD', true],
    ['Contoso *', 'Contoso', false],
    ['Contoso*', 'Contoso', true],
    ['*Prod', 'Contoso Prod', true],
    ['*Prod', 'Contoso Prod EU', false],
    ['*prod*', 'Contoso Prod EU', true],
    ['Contoso ???', 'Contoso Dev', true],
    ['Contoso ???', 'Contoso Prod', false],
    ['Contoso Prod', 'Contoso Prod', true],
    ['Contoso Prod', 'Contoso Production', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['*', '', true],
    ['[Prod]', '[Prod]', true],
    ['Prod.*', 'ProdX', false],
    ['*'.repeat(50) + 'x', 'a'.repeat(5_000), false],
  ];
  for (const [pattern, text, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'} ${JSON.stringify(text.slice(0, 20))} with ${JSON.stringify(pattern.slice(0, 20))}`, () => {
      assert.equal(globMatches(pattern, text), expected);
    });
  }
});

describe('policyProblems', () => {
  const rule = (overrides: Partial<PolicyRule>): PolicyRule => ({ name: 'r', match: { environmentTypes: ['Production'] }, ...overrides });
  const cases: [string, ElevatePolicy, { where: 'defaults' | number; field: string; problem: RegExp }[]][] = [
    ['accepts a sound policy', POLICY, []],
    [
      'refuses 0 approvals',
      { defaults: {}, rules: [rule({ approval: approval({ approvalsRequired: 0 }) })] },
      [{ where: 0, field: 'approval.approvalsRequired', problem: /at least 1/ }],
    ],
    [
      'refuses more approvals than listed users when no group is listed',
      {
        defaults: {},
        rules: [rule({ approval: approval({ approverGroupIds: [], approverUserIds: [MEGAN, NESTOR, MEGAN.toUpperCase()], approvalsRequired: 3 }) })],
      },
      [{ where: 0, field: 'approval.approvalsRequired', problem: /is 3 but only 2 approver user/ }],
    ],
    [
      'allows more approvals than listed users when a group is listed',
      { defaults: {}, rules: [rule({ approval: approval({ approverUserIds: [MEGAN], approvalsRequired: 3 }) })] },
      [],
    ],
    [
      'refuses required approval without approvers',
      { defaults: { approval: approval({ approverGroupIds: [] }) }, rules: [] },
      [{ where: 'defaults', field: 'approval', problem: /approverGroupIds or approverUserIds/ }],
    ],
    [
      'refuses a pending timeout of 0',
      { defaults: {}, rules: [rule({ approval: approval({ pendingTimeoutMinutes: 0 }) })] },
      [{ where: 0, field: 'approval.pendingTimeoutMinutes', problem: /from 1 to/ }],
    ],
    ['ignores approver settings when approval is not required', { defaults: { approval: { ...NO_APPROVAL } }, rules: [] }, []],
    [
      'refuses a maximum duration that is not ISO 8601',
      { defaults: { maximumDuration: '8 hours' }, rules: [] },
      [{ where: 'defaults', field: 'maximumDuration', problem: /ISO 8601/ }],
    ],
    [
      'refuses a maximum duration beyond 24 hours',
      { defaults: {}, rules: [rule({ maximumDuration: 'P2D' })] },
      [{ where: 0, field: 'maximumDuration', problem: /PT24H/ }],
    ],
    ['refuses a rule that matches everything', { defaults: {}, rules: [rule({ match: {} })] }, [{ where: 0, field: 'match', problem: /at least one/ }]],
    [
      'refuses a role Elevate does not activate',
      { defaults: {}, rules: [rule({ match: { roleIds: ['e8611ab8-c189-46e8-94e1-60213ab1f814'] } })] },
      [{ where: 0, field: 'match.roleIds[0]', problem: /Global Administrator/ }],
    ],
    [
      'refuses duplicate rule names',
      { defaults: {}, rules: [rule({ name: 'prod' }), rule({ name: 'PROD ' })] },
      [{ where: 1, field: 'name', problem: /rules\[0\]/ }],
    ],
    ['refuses an empty rule name', { defaults: {}, rules: [rule({ name: ' ' })] }, [{ where: 0, field: 'name', problem: /empty/ }]],
  ];
  for (const [title, policy, expected] of cases) {
    it(title, () => {
      const problems = policyProblems(policy);

      assert.equal(problems.length, expected.length, JSON.stringify(problems));
      expected.forEach((e, i) => {
        assert.equal(problems[i]?.where, e.where);
        assert.equal(problems[i]?.field, e.field);
        assert.match(problems[i]?.problem ?? '', e.problem);
      });
    });
  }
});

describe('maximumMinutes', () => {
  const cases: [string | undefined, string, number | undefined][] = [
    ['PT1H', 'PT8H', 60],
    ['PT8H', 'PT2H', 120],
    [undefined, 'PT8H', 480],
    [undefined, 'garbage', undefined],
  ];
  for (const [elevate, pim, expected] of cases) {
    it(`allows ${expected ?? 'no known'} minutes for Elevate ${elevate ?? 'unset'} and PIM ${pim}`, () => {
      const policy = { ...effectivePolicy(PERMISSIVE_POLICY, DEV, GLOBAL_ADMINISTRATOR), ...(elevate ? { maximumDuration: elevate } : {}) };

      assert.equal(maximumMinutes(policy, pim), expected);
    });
  }
});
