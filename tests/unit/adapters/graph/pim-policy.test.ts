import assert from 'node:assert/strict';
import { parseClaims, parseFailedRules } from '../../../../src/adapters/graph/pim-errors.js';
import { parseActivationPolicy } from '../../../../src/adapters/graph/pim-policy.js';

const rule = (type: string, id: string, extra: Record<string, unknown>) => ({
  '@odata.type': `#microsoft.graph.unifiedRoleManagementPolicy${type}Rule`,
  id,
  ...extra,
});

function assignment(rules: Record<string, unknown>[]) {
  return { roleDefinitionId: 'r1', policy: { rules } };
}

describe('parseActivationPolicy', () => {
  it('reads duration, enablement, approval and authentication context from the end-user rules', () => {
    const policy = parseActivationPolicy(
      'r1',
      assignment([
        rule('Expiration', 'Expiration_Admin_Assignment', { maximumDuration: 'P365D' }),
        rule('Expiration', 'Expiration_EndUser_Assignment', { isExpirationRequired: true, maximumDuration: 'PT4H' }),
        rule('Enablement', 'Enablement_Admin_Assignment', { enabledRules: ['Justification', 'Ticketing', 'MultiFactorAuthentication'] }),
        rule('Enablement', 'Enablement_EndUser_Assignment', { enabledRules: ['Justification', 'Ticketing'] }),
        rule('Approval', 'Approval_EndUser_Assignment', { setting: { isApprovalRequired: true, approvalMode: 'SingleStage' } }),
        rule('AuthenticationContext', 'AuthenticationContext_EndUser_Assignment', { isEnabled: true, claimValue: 'c1' }),
      ]),
    );

    assert.deepEqual(policy, {
      roleDefinitionId: 'r1',
      maximumDuration: 'PT4H',
      justificationRequired: true,
      ticketRequired: true,
      mfaRequired: false,
      approvalRequired: true,
      authenticationContext: 'c1',
    });
  });

  const flagCases: { enabledRules: string[]; expected: [boolean, boolean, boolean] }[] = [
    { enabledRules: [], expected: [false, false, false] },
    { enabledRules: ['Justification'], expected: [true, false, false] },
    { enabledRules: ['Ticketing'], expected: [false, true, false] },
    { enabledRules: ['MultiFactorAuthentication'], expected: [false, false, true] },
  ];
  for (const { enabledRules, expected } of flagCases) {
    it(`reads enabledRules [${enabledRules.join(', ')}] as justification/ticket/MFA ${expected.join('/')}`, () => {
      const policy = parseActivationPolicy('r1', assignment([rule('Enablement', 'Enablement_EndUser_Assignment', { enabledRules })]));

      assert.deepEqual([policy.justificationRequired, policy.ticketRequired, policy.mfaRequired], expected);
    });
  }

  it('falls back to PT8H, no approval and no authentication context when the rules are absent or off', () => {
    const policy = parseActivationPolicy(
      'r1',
      assignment([rule('AuthenticationContext', 'AuthenticationContext_EndUser_Assignment', { isEnabled: false, claimValue: 'c1' })]),
    );

    assert.equal(policy.maximumDuration, 'PT8H');
    assert.equal(policy.approvalRequired, false);
    assert.equal(policy.authenticationContext, undefined);
  });
});

describe('parseFailedRules', () => {
  const cases: { message: string; expected: string[] }[] = [
    { message: 'The following policy rules failed: ["ExpirationRule"]', expected: ['ExpirationRule'] },
    {
      message: 'The following policy rules failed: ["JustificationRule","TicketingRule","MfaRule"]',
      expected: ['JustificationRule', 'TicketingRule', 'MfaRule'],
    },
    { message: 'The following policy rules failed: [EligibilityRule, ExpirationRule]', expected: ['EligibilityRule', 'ExpirationRule'] },
    { message: 'Policy validation failed.', expected: [] },
  ];
  for (const { message, expected } of cases) {
    it(`reads ${JSON.stringify(expected)} from "${message}"`, () => {
      assert.deepEqual(parseFailedRules(message), expected);
    });
  }
});

describe('parseClaims', () => {
  const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
  const cases: { message: string; expected: string | undefined; why: string }[] = [
    { message: `Failed. &claims=${encodeURIComponent(claims)}`, expected: claims, why: 'URL-encoded after &claims=' },
    { message: `Failed. claims=${encodeURIComponent(claims)} Please retry.`, expected: claims, why: 'URL-encoded followed by more text' },
    { message: `Failed claims=${claims} trailing`, expected: claims, why: 'raw JSON' },
    { message: 'Failed without a challenge', expected: undefined, why: 'a message without a challenge' },
  ];
  for (const { message, expected, why } of cases) {
    it(`${expected ? 'reads the claims challenge when' : 'returns nothing for'} ${why}`, () => {
      assert.equal(parseClaims(message), expected);
    });
  }
});
