import assert from 'node:assert/strict';
import { describePimError, describePimStatus, failure, lapsedFailure } from '../../../src/domain/failures.js';
import { inEnglish, RECORD_TEXTS_EN, said } from '../../../src/domain/record-text.js';

describe('record texts: words stored on a record as catalogue keys', () => {
  it('stores the keys with their values and the English rendering next to them', () => {
    const stored = failure('ApprovalLapsed', [said('approvalLapsed', { minutes: 60 })], [said('approvalLapsedHint')]);

    assert.deepEqual(stored, {
      code: 'ApprovalLapsed',
      message: 'The request was approved, but not activated within 60 minutes of the approval.',
      hint: 'Start a new request when you need the role; it needs a new approval.',
      words: { message: [{ key: 'approvalLapsed', params: { minutes: 60 } }], hint: [{ key: 'approvalLapsedHint' }] },
    });
    assert.deepEqual(lapsedFailure(60), stored);
  });

  it('joins several sentences, one per failed PIM rule, and names a rule it does not know', () => {
    const stored = describePimError('RoleAssignmentRequestPolicyValidationFailed', ['JustificationRule', 'SomeNewRule'], 'corr-1');

    assert.equal(stored.message, 'PIM refused the activation: JustificationRule, SomeNewRule failed.');
    assert.equal(stored.hint, "Give a justification: this role requires one. Check the role's PIM settings (SomeNewRule).");
    assert.equal(stored.correlationId, 'corr-1');
    assert.deepEqual(
      stored.words?.hint?.map((w) => w.key),
      ['ruleJustification', 'ruleOther'],
    );
  });

  it('keeps PIM values (codes, request ids) as values, never inside a key', () => {
    const stored = describePimStatus('Denied', 'req-9');

    assert.deepEqual(stored.words?.message, [{ key: 'pimAnswered', params: { status: 'Denied', requestId: 'req-9' } }]);
    assert.equal(stored.message, 'PIM answered "Denied" for request req-9: the role was not activated.');
  });

  it('has English for every key, each placeholder filled by the use cases that store it', () => {
    for (const [key, text] of Object.entries(RECORD_TEXTS_EN)) assert.ok(text.trim().length > 0, key);
    assert.equal(
      inEnglish([said('endedRoleInactive'), said('endedRemoved', { environment: 'Contoso Prod' })]),
      'Your PIM role is no longer active. System Administrator was removed from you in Contoso Prod.',
    );
  });
});
