import assert from 'node:assert/strict';
import { buildExecuteValue, buildRefreshValue } from '../../harness/card-actions.js';
import { requestCard } from './fixtures.js';

describe('harness: tapping Action.Execute as Teams does', () => {
  it('sends adaptiveCard/action value { action: { type, verb, data, id }, trigger: "manual" }', () => {
    const value = buildExecuteValue(requestCard(), 'submit', { justification: 'Fix the flow INC-1' });
    assert.equal(value.trigger, 'manual');
    assert.equal(value.action.type, 'Action.Execute');
    assert.equal(value.action.verb, 'submit');
    assert.equal(value.action.id, 'submitButton');
  });

  it("merges the card's input values into a copy of action.data, inputs winning", () => {
    const card = requestCard();
    const { action } = buildExecuteValue(card, 'submit', { justification: 'typed', duration: 'PT4H' });
    assert.deepEqual(action.data, {
      requestId: 'r-1',
      justification: 'typed',
      roleId: '11648597-926c-4cf3-9c36-bcebb0ba8dcc',
      duration: 'PT4H',
      notifyMe: 'no',
    });
    assert.equal(card.actions?.[0]?.['data'] && (card.actions[0]['data'] as Record<string, unknown>)['justification'], 'from data');
  });

  it('leaves out empty inputs and sends every value as a string', () => {
    const { action } = buildExecuteValue(requestCard(), 'submit', { justification: 'x', ticket: '', notifyMe: true, duration: ['PT1H', 'PT4H'] });
    assert.equal('ticket' in action.data, false);
    assert.equal(action.data['notifyMe'], 'yes');
    assert.equal(action.data['duration'], 'PT1H,PT4H');
  });

  it('refuses an empty required input, unless validation is off', () => {
    assert.throws(() => buildExecuteValue(requestCard(), 'submit'), /required input "justification" is empty/);
    const { action } = buildExecuteValue(requestCard(), 'submit', {}, { validate: false });
    assert.equal(action.data['justification'], 'from data');
  });

  it('refuses inputs the card does not have, unless validation is off', () => {
    assert.throws(() => buildExecuteValue(requestCard(), 'submit', { justification: 'x', reason: 'y' }), /no input "reason"/);
    const { action } = buildExecuteValue(requestCard(), 'submit', { justification: 'x', reason: 'y' }, { validate: false });
    assert.equal(action.data['reason'], 'y');
  });

  it('sends no inputs for associatedInputs "none"', () => {
    const { action } = buildExecuteValue(requestCard(), 'cancel');
    assert.deepEqual(action.data, { requestId: 'r-1' });
  });

  it("includes the inputs of the action's own ShowCard, not those of a sibling ShowCard", () => {
    const { action } = buildExecuteValue(requestCard(), 'askApproval', { justification: 'j', approverNote: 'please' });
    assert.equal(action.data['approverNote'], 'please');
    assert.equal('otherNote' in action.data, false);
    assert.throws(() => buildExecuteValue(requestCard(), 'submit', { justification: 'j', approverNote: 'x' }), /no input "approverNote"/);
  });

  it('throws, naming the verbs on the card, when the verb is not there', () => {
    assert.throws(() => buildExecuteValue(requestCard(), 'approve'), /no Action.Execute with verb "approve"; verbs: containerTap, cancel, submit, askApproval/);
  });

  it('builds the automatic refresh invoke from refresh.action', () => {
    assert.deepEqual(buildRefreshValue(requestCard()), {
      action: { type: 'Action.Execute', verb: 'refreshRequest', data: { requestId: 'r-1' } },
      trigger: 'automatic',
    });
    assert.throws(() => buildRefreshValue({ type: 'AdaptiveCard' }), /no refresh.action/);
  });
});
