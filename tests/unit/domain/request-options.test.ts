import assert from 'node:assert/strict';
import type { EligibleRoleOption } from '../../../src/domain/elevation.js';
import {
  buildRoleOptions,
  groupOnlyRoles,
  validateSubmission,
  type AssignmentFacts,
  type PolicyFacts,
  type RoleOptionsInput,
  type SubmissionCheck,
  type SubmissionFields,
  type SubmissionRules,
} from '../../../src/domain/request-options.js';
import { DYNAMICS_365_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, POWER_PLATFORM_ADMINISTRATOR } from '../../../src/domain/roles.js';

const EXCHANGE_ADMINISTRATOR = '29232cdf-9323-42fd-ade2-1d097af3e4de';
const ALL_ROLES = [POWER_PLATFORM_ADMINISTRATOR, DYNAMICS_365_ADMINISTRATOR, GLOBAL_ADMINISTRATOR];
const NOW = new Date('2026-03-02T15:00:00Z');
const USER = 'a0000000-0000-4000-8000-00000000ade1';
const GROUP = '9a000000-0000-4000-8000-0000000000a1';

const policy = (roleDefinitionId: string, overrides: Partial<PolicyFacts> = {}): PolicyFacts => ({
  roleDefinitionId,
  maximumDuration: 'PT8H',
  justificationRequired: true,
  ticketRequired: false,
  mfaRequired: false,
  ...overrides,
});
const eligible = (roleDefinitionId: string, directoryScopeId = '/') => ({ roleDefinitionId, directoryScopeId });
const active = (roleDefinitionId: string, endDateTime: string | null, directoryScopeId = '/'): AssignmentFacts => ({
  roleDefinitionId,
  directoryScopeId,
  endDateTime,
});
const option = (roleId: string, roleName: string, overrides: Partial<EligibleRoleOption> = {}): EligibleRoleOption => ({
  roleId,
  roleName,
  maximumDuration: 'PT8H',
  justificationRequired: true,
  ticketRequired: false,
  mfaRequired: false,
  ...overrides,
});
const PPA = option(POWER_PLATFORM_ADMINISTRATOR, 'Power Platform Administrator');
const GA = option(GLOBAL_ADMINISTRATOR, 'Global Administrator');

describe('groupOnlyRoles', () => {
  it('names the roles eligible only through groups, with each group (from $expand=principal)', () => {
    const eligibilities = [
      { ...eligible(POWER_PLATFORM_ADMINISTRATOR), memberType: 'Group', principalId: GROUP, principal: { id: GROUP, displayName: 'PP Admins', type: 'group' } },
      { ...eligible(DYNAMICS_365_ADMINISTRATOR), memberType: 'Direct', principalId: USER },
    ];
    assert.deepEqual(groupOnlyRoles({ userId: USER, roleIds: ALL_ROLES, eligibilities }), [
      { roleId: POWER_PLATFORM_ADMINISTRATOR, roleName: 'Power Platform Administrator', groups: [{ id: GROUP, name: 'PP Admins' }] },
    ]);
  });

  it('takes a principal other than the user as the group even without memberType', () => {
    const eligibilities = [{ ...eligible(GLOBAL_ADMINISTRATOR), principalId: GROUP }];
    assert.deepEqual(groupOnlyRoles({ userId: USER, roleIds: ALL_ROLES, eligibilities }), [
      { roleId: GLOBAL_ADMINISTRATOR, roleName: 'Global Administrator', groups: [{ id: GROUP }] },
    ]);
  });

  it('is empty when every group-based role is also eligible directly', () => {
    const eligibilities = [
      { ...eligible(POWER_PLATFORM_ADMINISTRATOR), memberType: 'Group', principalId: GROUP },
      { ...eligible(POWER_PLATFORM_ADMINISTRATOR), memberType: 'Direct', principalId: USER },
    ];
    assert.deepEqual(groupOnlyRoles({ userId: USER, roleIds: ALL_ROLES, eligibilities }), []);
  });
});

describe('buildRoleOptions', () => {
  const cases: [string, Partial<RoleOptionsInput>, EligibleRoleOption[]][] = [
    [
      'offers the eligible roles in the configured order, not the order Graph answers',
      {
        eligibilities: [eligible(GLOBAL_ADMINISTRATOR), eligible(POWER_PLATFORM_ADMINISTRATOR)],
        policies: [policy(GLOBAL_ADMINISTRATOR), policy(POWER_PLATFORM_ADMINISTRATOR)],
      },
      [PPA, GA],
    ],
    [
      'follows a configured order that puts Global Administrator first',
      {
        roleIds: [GLOBAL_ADMINISTRATOR, POWER_PLATFORM_ADMINISTRATOR],
        eligibilities: [eligible(POWER_PLATFORM_ADMINISTRATOR), eligible(GLOBAL_ADMINISTRATOR)],
        policies: [policy(GLOBAL_ADMINISTRATOR), policy(POWER_PLATFORM_ADMINISTRATOR)],
      },
      [GA, PPA],
    ],
    [
      'leaves out eligible roles that are not configured',
      {
        roleIds: [POWER_PLATFORM_ADMINISTRATOR],
        eligibilities: [eligible(GLOBAL_ADMINISTRATOR), eligible(POWER_PLATFORM_ADMINISTRATOR)],
        policies: [policy(GLOBAL_ADMINISTRATOR), policy(POWER_PLATFORM_ADMINISTRATOR)],
      },
      [PPA],
    ],
    [
      'leaves out roles that do not grant self-elevation even when configured',
      {
        roleIds: [EXCHANGE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR],
        eligibilities: [eligible(EXCHANGE_ADMINISTRATOR), eligible(GLOBAL_ADMINISTRATOR)],
        policies: [policy(EXCHANGE_ADMINISTRATOR), policy(GLOBAL_ADMINISTRATOR)],
      },
      [GA],
    ],
    [
      'leaves out roles the user is not eligible for',
      { eligibilities: [eligible(GLOBAL_ADMINISTRATOR)], policies: [policy(GLOBAL_ADMINISTRATOR), policy(POWER_PLATFORM_ADMINISTRATOR)] },
      [GA],
    ],
    [
      'leaves out eligibilities scoped to an administrative unit',
      {
        eligibilities: [eligible(GLOBAL_ADMINISTRATOR), eligible(POWER_PLATFORM_ADMINISTRATOR, '/administrativeUnits/1')],
        policies: [policy(GLOBAL_ADMINISTRATOR), policy(POWER_PLATFORM_ADMINISTRATOR)],
      },
      [GA],
    ],
    [
      'leaves out roles whose policy could not be read',
      { eligibilities: [eligible(GLOBAL_ADMINISTRATOR), eligible(POWER_PLATFORM_ADMINISTRATOR)], policies: [policy(GLOBAL_ADMINISTRATOR)] },
      [GA],
    ],
    ['offers nothing without eligibilities', { eligibilities: [] }, []],
    [
      "copies each role's policy",
      {
        eligibilities: [eligible(GLOBAL_ADMINISTRATOR)],
        policies: [policy(GLOBAL_ADMINISTRATOR, { maximumDuration: 'PT2H', justificationRequired: false, ticketRequired: true, mfaRequired: true })],
      },
      [
        option(GLOBAL_ADMINISTRATOR, 'Global Administrator', {
          maximumDuration: 'PT2H',
          justificationRequired: false,
          ticketRequired: true,
          mfaRequired: true,
        }),
      ],
    ],
    [
      'says until when a role is already active',
      {
        eligibilities: [eligible(GLOBAL_ADMINISTRATOR)],
        policies: [policy(GLOBAL_ADMINISTRATOR)],
        assignments: [active(GLOBAL_ADMINISTRATOR, '2026-03-02T17:00:00Z')],
      },
      [{ ...GA, activeUntil: '2026-03-02T17:00:00.000Z' }],
    ],
    [
      'takes the latest end of several active assignments',
      {
        eligibilities: [eligible(GLOBAL_ADMINISTRATOR)],
        policies: [policy(GLOBAL_ADMINISTRATOR)],
        assignments: [
          active(GLOBAL_ADMINISTRATOR, '2026-03-02T16:00:00Z'),
          active(GLOBAL_ADMINISTRATOR, '2026-03-02T18:30:00Z'),
          active(POWER_PLATFORM_ADMINISTRATOR, '2026-03-03T00:00:00Z'),
        ],
      },
      [{ ...GA, activeUntil: '2026-03-02T18:30:00.000Z' }],
    ],
    [
      'ignores assignments that already ended, scoped ones and permanent ones',
      {
        eligibilities: [eligible(GLOBAL_ADMINISTRATOR)],
        policies: [policy(GLOBAL_ADMINISTRATOR)],
        assignments: [
          active(GLOBAL_ADMINISTRATOR, '2026-03-02T14:59:00Z'),
          active(GLOBAL_ADMINISTRATOR, '2026-03-02T18:00:00Z', '/administrativeUnits/1'),
          active(GLOBAL_ADMINISTRATOR, null),
          active(GLOBAL_ADMINISTRATOR, 'not a date'),
        ],
        now: NOW,
      },
      [GA],
    ],
    [
      'offers no role whose only eligibility comes through a group (Power Platform ignores group roles)',
      {
        eligibilities: [{ ...eligible(POWER_PLATFORM_ADMINISTRATOR), memberType: 'Group', principalId: GROUP }],
        policies: [policy(POWER_PLATFORM_ADMINISTRATOR)],
      },
      [],
    ],
    [
      'uses the direct eligibility of a user who has a direct and a group one',
      {
        eligibilities: [
          { ...eligible(POWER_PLATFORM_ADMINISTRATOR), memberType: 'Group', principalId: GROUP },
          { ...eligible(POWER_PLATFORM_ADMINISTRATOR), memberType: 'Direct', principalId: USER },
        ],
        policies: [policy(POWER_PLATFORM_ADMINISTRATOR)],
      },
      [PPA],
    ],
    [
      'does not count a role active through a group as already active',
      {
        eligibilities: [eligible(GLOBAL_ADMINISTRATOR)],
        policies: [policy(GLOBAL_ADMINISTRATOR)],
        assignments: [{ ...active(GLOBAL_ADMINISTRATOR, '2026-03-02T18:00:00Z'), memberType: 'Group', principalId: GROUP }],
        now: NOW,
      },
      [GA],
    ],
  ];
  for (const [name, overrides, expected] of cases) {
    it(name, () => {
      // Arrange
      const input: RoleOptionsInput = { userId: USER, roleIds: ALL_ROLES, eligibilities: [], assignments: [], policies: [], ...overrides };
      // Act
      const options = buildRoleOptions(input);
      // Assert
      assert.deepEqual(options, expected);
    });
  }
});

const RULES: SubmissionRules = { minJustificationLength: 10 };
const NO_JUSTIFICATION = option(DYNAMICS_365_ADMINISTRATOR, 'Dynamics 365 Administrator', { justificationRequired: false, maximumDuration: 'PT2H' });
const TICKETED = option(GLOBAL_ADMINISTRATOR, 'Global Administrator', { ticketRequired: true });
const OPTIONS = [PPA, NO_JUSTIFICATION, TICKETED];
const GOOD: SubmissionFields = { roleId: POWER_PLATFORM_ADMINISTRATOR, duration: 'PT2H', justification: 'Fix the failing payroll flow' };

const ok = (value: Partial<Extract<SubmissionCheck, { ok: true }>['value']> = {}): SubmissionCheck => ({
  ok: true,
  value: { roleId: POWER_PLATFORM_ADMINISTRATOR, duration: 'PT2H', durationMinutes: 120, justification: 'Fix the failing payroll flow', ...value },
});
const refused = (message: string) => ({ ok: false, message }) as SubmissionCheck;
/** The check as the English reader sees it (the catalogue words are checked in tests/unit/teams/locale). */
const english = (check: SubmissionCheck): SubmissionCheck => (check.ok ? check : ({ ok: false, message: check.message } as SubmissionCheck));

describe('validateSubmission', () => {
  const cases: [string, SubmissionFields, SubmissionCheck, SubmissionRules?][] = [
    ['accepts a complete submission', GOOD, ok()],
    ['normalises the duration to whole minutes', { ...GOOD, duration: 'pt90m' }, ok({ duration: 'PT1H30M', durationMinutes: 90 })],
    ['accepts exactly the PIM minimum', { ...GOOD, duration: 'PT5M' }, ok({ duration: 'PT5M', durationMinutes: 5 })],
    ['accepts exactly the role maximum', { ...GOOD, duration: 'PT8H' }, ok({ duration: 'PT8H', durationMinutes: 480 })],
    ['trims the justification and drops invisible characters', { ...GOOD, justification: '  Fix the\u200B failing payroll flow \n' }, ok()],
    ['asks for a role when none was chosen', { ...GOOD, roleId: '' }, refused('Choose a role.')],
    [
      'refuses a role that was not offered',
      { ...GOOD, roleId: '29232cdf-9323-42fd-ade2-1d097af3e4de' },
      refused('You cannot activate that role here: choose one of the roles offered.'),
    ],
    ['asks for a duration when none was chosen', { ...GOOD, duration: ' ' }, refused('Choose a duration.')],
    ['refuses a duration that is not ISO 8601', { ...GOOD, duration: '2 hours' }, refused('Choose a duration from the list.')],
    ['refuses a duration under the PIM minimum', { ...GOOD, duration: 'PT4M59S' }, refused('Choose at least 5 minutes: PIM refuses shorter activations.')],
    [
      'refuses a duration over the role maximum',
      { ...GOOD, duration: 'PT8H1M' },
      refused('Choose at most 8 h: the PIM policy of Power Platform Administrator allows no more.'),
    ],
    [
      'refuses a duration over a shorter role maximum',
      { roleId: DYNAMICS_365_ADMINISTRATOR, duration: 'P1D' },
      refused('Choose at most 2 h: the PIM policy of Dynamics 365 Administrator allows no more.'),
    ],
    [
      "refuses a duration over Elevate's own cap",
      { ...GOOD, duration: 'PT4H' },
      refused('Choose at most 3 h: Elevate policy allows no more.'),
      { ...RULES, maxDurationMinutes: 180 },
    ],
    [
      "names Elevate's policy when its cap was already folded into the offered maximum",
      { ...GOOD, duration: 'PT8H1M' },
      refused('Choose at most 8 h: Elevate policy allows no more.'),
      { ...RULES, maxDurationMinutes: 480 },
    ],
    [
      'asks for a justification when the role requires one',
      { ...GOOD, justification: '   ' },
      refused('Give a justification of at least 10 characters: say what you will change and why.'),
    ],
    [
      'refuses a justification under the minimum length once trimmed',
      { ...GOOD, justification: '  too short  ' },
      refused('Give a justification of at least 10 characters: say what you will change and why.'),
    ],
    [
      'accepts no justification when no policy requires one',
      { roleId: DYNAMICS_365_ADMINISTRATOR, duration: 'PT1H' },
      { ok: true, value: { roleId: DYNAMICS_365_ADMINISTRATOR, duration: 'PT1H', durationMinutes: 60, justification: '' } },
    ],
    [
      'asks for a justification when Elevate requires one',
      { roleId: DYNAMICS_365_ADMINISTRATOR, duration: 'PT1H', justification: 'x' },
      refused('Give a justification of at least 10 characters: say what you will change and why.'),
      { ...RULES, justificationRequired: true },
    ],
    ['refuses an overlong justification', { ...GOOD, justification: 'x'.repeat(501) }, refused('Keep the justification under 500 characters.')],
    [
      "asks for a ticket when the role's policy requires Ticketing",
      { ...GOOD, roleId: GLOBAL_ADMINISTRATOR },
      refused('Give a ticket number: Global Administrator requires one.'),
    ],
    ['asks for a ticket when Elevate requires one', GOOD, refused('Give a ticket number: Elevate requires one.'), { ...RULES, ticketRequired: true }],
    [
      'accepts a ticket for a role that requires one',
      { ...GOOD, roleId: GLOBAL_ADMINISTRATOR, ticketNumber: ' INC0012345 ' },
      ok({ roleId: GLOBAL_ADMINISTRATOR, ticketNumber: 'INC0012345' }),
    ],
    ['keeps an optional ticket', { ...GOOD, ticketNumber: 'OPS-42' }, ok({ ticketNumber: 'OPS-42' })],
    ['refuses a ticket with markup in it', { ...GOOD, ticketNumber: '<script>' }, refused('A ticket number is up to 64 letters, digits and - _ . / #.')],
    ['refuses an overlong ticket', { ...GOOD, ticketNumber: 'A'.repeat(65) }, refused('A ticket number is up to 64 letters, digits and - _ . / #.')],
  ];
  for (const [name, input, expected, rules = RULES] of cases) {
    it(name, () => {
      assert.deepEqual(english(validateSubmission(OPTIONS, input, rules)), expected);
    });
  }

  it('treats card data of the wrong type as missing', () => {
    const hostile = {
      roleId: POWER_PLATFORM_ADMINISTRATOR,
      duration: 120,
      justification: { toString: () => 'Fix the failing payroll flow' },
    } as unknown as SubmissionFields;
    assert.deepEqual(english(validateSubmission(OPTIONS, hostile, RULES)), refused('Choose a duration.'));
  });

  it('refuses every role when the policy maximum cannot be read', () => {
    const broken = option(POWER_PLATFORM_ADMINISTRATOR, 'Power Platform Administrator', { maximumDuration: 'eight hours' });
    const result = validateSubmission([broken], GOOD, RULES);
    assert.equal(result.ok, false);
  });
});
