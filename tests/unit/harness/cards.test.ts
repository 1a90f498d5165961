import assert from 'node:assert/strict';
import { actionTitles, actionVerbs, cardText, choices, findAction, findInput, inputIds, locateAction, walkCard } from '../../harness/cards.js';
import { requestCard } from './fixtures.js';

describe('harness: reading Adaptive Cards', () => {
  it('walks body, columns, containers, tables, action sets, select actions and ShowCard cards', () => {
    const types = [...walkCard(requestCard())].map((v) => v.node.type);
    for (const type of ['ColumnSet', 'Column', 'Container', 'Table', 'TableRow', 'TableCell', 'ActionSet', 'Action.ShowCard', 'TextRun']) {
      assert.ok(types.includes(type), `walked no ${type}`);
    }
  });

  it('does not walk the refresh action, which is no button', () => {
    assert.equal(findAction(requestCard(), 'refreshRequest'), undefined);
  });

  it('joins TextBlock, RichTextBlock and FactSet text, including tables and ShowCard cards', () => {
    const text = cardText(requestCard());
    assert.match(text, /^Elevate in Contoso Prod$/m);
    assert.match(text, /^Requested by Adele Vance$/m);
    assert.match(text, /^Environment Contoso Prod$/m);
    assert.match(text, /^Max duration$/m);
    assert.match(text, /^Ask for approval instead$/m);
    assert.equal(cardText(undefined), '');
  });

  it('finds Action.Execute buttons anywhere: card actions, action sets, select actions, ShowCard cards', () => {
    const card = requestCard();
    assert.deepEqual(actionVerbs(card), ['containerTap', 'cancel', 'submit', 'askApproval']);
    assert.equal(findAction(card, 'askApproval')?.title, 'Ask');
    assert.equal(findAction(card, 'nope'), undefined);
    assert.equal(locateAction(card, 'askApproval')?.showCards.length, 1);
    assert.equal(locateAction(card, 'submit')?.showCards.length, 0);
  });

  it('lists the titles of all actions', () => {
    assert.deepEqual(actionTitles(requestCard()), ['Cancel', 'Elevate', 'More', 'Ask', 'Other', 'Docs']);
  });

  it('lists input ids and the choices of a choice set', () => {
    const card = requestCard();
    assert.deepEqual(inputIds(card), ['roleId', 'duration', 'justification', 'ticket', 'notifyMe', 'approverNote', 'otherNote']);
    assert.deepEqual(
      choices(card, 'duration').map((c) => c.value),
      ['PT1H', 'PT4H'],
    );
    assert.equal(findInput(card, 'ticket')?.['label'], 'Ticket');
  });

  it('says which inputs exist when asked for the choices of a missing or non-choice input', () => {
    assert.throws(() => choices(requestCard(), 'role'), /no input "role"; inputs: roleId, duration/);
    assert.throws(() => choices(requestCard(), 'ticket'), /Input.Text, not Input.ChoiceSet/);
  });
});
