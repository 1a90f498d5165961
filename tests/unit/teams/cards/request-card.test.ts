import assert from 'node:assert/strict';
import { renderRequestCard, type RequestCardData } from '../../../../src/teams/cards/request-card.js';
import { VERBS } from '../../../../src/teams/cards/verbs.js';
import { cardText, choices, findAction, findInput, inputIds } from '../../../harness/cards.js';
import { CONTOSO_DEV, CONTOSO_PROD, DYNAMICS, GLOBAL, HOSTILE_TEXT, POWER_PLATFORM, assertWellFormed, byId, factRows } from './fixtures.js';

function data(overrides: Partial<RequestCardData> = {}): RequestCardData {
  return {
    requestId: 'req-1',
    environment: CONTOSO_PROD,
    requesterName: 'Adele Vance',
    roles: [POWER_PLATFORM, DYNAMICS],
    defaultDuration: 'PT1H',
    justificationRequired: true,
    ticketRequired: false,
    ...overrides,
  };
}

describe('request card', () => {
  it('is a well-formed 1.5 card headed "Elevate in <environment>" with the requester', () => {
    const card = renderRequestCard(data());

    assertWellFormed(card);
    assert.match(cardText(card), /^Elevate in Contoso Prod$/m);
    assert.equal(factRows(card).get('Requested by')?.text, 'Adele Vance');
    assert.equal(factRows(card).get('Environment')?.text, 'Contoso Prod');
  });

  it('flags a Production environment visibly and does not flag a Sandbox', () => {
    const prod = renderRequestCard(data());
    const dev = renderRequestCard(data({ environment: CONTOSO_DEV }));

    assert.match(cardText(prod), /Production environment/);
    assert.equal(factRows(prod).get('Type')?.node['color'], 'Attention');
    assert.doesNotMatch(cardText(dev), /Production environment/);
    assert.equal(factRows(dev).get('Type')?.text, 'Sandbox');
  });

  it('offers each eligible role with its maximum, flagging Global Administrator as high-risk', () => {
    const card = renderRequestCard(data({ roles: [POWER_PLATFORM, DYNAMICS, GLOBAL] }));

    assert.deepEqual(choices(card, 'roleId'), [
      { title: 'Power Platform Administrator — up to 8 h', value: POWER_PLATFORM.roleId },
      { title: 'Dynamics 365 Administrator — up to 4 h', value: DYNAMICS.roleId },
      { title: 'Global Administrator — up to 2 h (high risk)', value: GLOBAL.roleId },
    ]);
    assert.match(cardText(card), /Global Administrator is high-risk/);
    assert.doesNotMatch(cardText(renderRequestCard(data())), /high-risk/);
  });

  const selectionCases: { name: string; overrides: Partial<RequestCardData>; expected: string }[] = [
    { name: 'the typed role', overrides: { roles: [POWER_PLATFORM, GLOBAL], roleId: GLOBAL.roleId }, expected: GLOBAL.roleId },
    { name: 'the first role that is not Global Administrator', overrides: { roles: [GLOBAL, DYNAMICS] }, expected: DYNAMICS.roleId },
    { name: 'Global Administrator when it is the only role', overrides: { roles: [GLOBAL] }, expected: GLOBAL.roleId },
    { name: 'the default when the typed role is not offered', overrides: { roleId: GLOBAL.roleId }, expected: POWER_PLATFORM.roleId },
  ];
  for (const { name, overrides, expected } of selectionCases) {
    it(`preselects ${name}`, () => {
      const card = renderRequestCard(data(overrides));

      assert.equal(findInput(card, 'roleId')?.['value'], expected);
    });
  }

  it('offers ISO 8601 durations from 30 minutes up to the largest maximum among the roles', () => {
    const card = renderRequestCard(data());

    const values = choices(card, 'duration').map((c) => c.value);
    assert.equal(values[0], 'PT30M');
    assert.equal(values[values.length - 1], 'PT8H');
    assert.ok(
      values.every((v) => /^PT(\d+H)?(\d+M)?$/.test(v)),
      values.join(),
    );
    assert.equal(choices(card, 'duration')[1]?.title, '1 h');
  });

  const durationCases: { name: string; overrides: Partial<RequestCardData>; selected: string; last: string }[] = [
    { name: 'selects the default duration', overrides: {}, selected: 'PT1H', last: 'PT8H' },
    { name: 'selects a typed duration', overrides: { duration: 'PT4H' }, selected: 'PT4H', last: 'PT8H' },
    { name: 'adds a typed duration that is not a usual step', overrides: { duration: 'PT1H15M' }, selected: 'PT1H15M', last: 'PT8H' },
    { name: 'caps a typed duration at the largest maximum', overrides: { duration: 'PT12H' }, selected: 'PT8H', last: 'PT8H' },
    { name: "stops at Global Administrator's 2 h when it is the only role", overrides: { roles: [GLOBAL] }, selected: 'PT1H', last: 'PT2H' },
    { name: "stops at Elevate's own cap", overrides: { maximumDuration: 'PT3H' }, selected: 'PT1H', last: 'PT3H' },
  ];
  for (const { name, overrides, selected, last } of durationCases) {
    it(`${name}`, () => {
      const card = renderRequestCard(data(overrides));

      const values = choices(card, 'duration').map((c) => c.value);
      assert.equal(findInput(card, 'duration')?.['value'], selected);
      assert.equal(values[values.length - 1], last);
      assert.ok(values.includes(selected));
    });
  }

  it('explains that each role has its own maximum only when the maxima differ', () => {
    assert.match(cardText(renderRequestCard(data())), /Each role has its own maximum/);
    assert.doesNotMatch(cardText(renderRequestCard(data({ roles: [POWER_PLATFORM] }))), /Each role has its own maximum/);
  });

  it('asks for a multiline justification of at most 500 characters, required when the data says so', () => {
    const required = findInput(renderRequestCard(data()), 'justification');
    const optional = findInput(renderRequestCard(data({ justificationRequired: false })), 'justification');

    assert.equal(required?.['type'], 'Input.Text');
    assert.equal(required?.['label'], 'Justification');
    assert.equal(required?.['isMultiline'], true);
    assert.equal(required?.['maxLength'], 500);
    assert.equal(required?.['isRequired'], true);
    assert.equal(optional?.['isRequired'], false);
  });

  it('asks for a ticket number only when a ticket is required', () => {
    assert.deepEqual(inputIds(renderRequestCard(data())), ['roleId', 'duration', 'justification']);
    const card = renderRequestCard(data({ ticketRequired: true, ticketNumber: 'INC0012345' }));

    assert.deepEqual(inputIds(card), ['roleId', 'duration', 'justification', 'ticketNumber']);
    assert.equal(findInput(card, 'ticketNumber')?.['isRequired'], true);
    assert.equal(findInput(card, 'ticketNumber')?.['value'], 'INC0012345');
  });

  it('keeps the typed justification and the requester name literally, template syntax included', () => {
    const card = renderRequestCard(data({ justification: HOSTILE_TEXT, requesterName: '${requester.name}' }));

    assertWellFormed(card, { allowDollarBrace: true });
    assert.equal(findInput(card, 'justification')?.['value'], HOSTILE_TEXT);
    assert.equal(factRows(card).get('Requested by')?.text, '${requester.name}');
  });

  it('has Elevate (submitting the inputs) and Cancel (without inputs) buttons carrying the request and environment ids', () => {
    const card = renderRequestCard(data());
    const ids = { requestId: 'req-1', environmentId: data().environment.id };

    const elevate = findAction(card, VERBS.submit);
    const cancel = findAction(card, VERBS.cancel);
    assert.equal(elevate?.title, 'Elevate');
    assert.deepEqual(elevate?.data, ids);
    assert.equal(elevate?.associatedInputs, 'auto');
    assert.equal(cancel?.title, 'Cancel');
    assert.deepEqual(cancel?.data, ids);
    assert.equal(cancel?.associatedInputs, 'none');
  });

  it('shows the error in red, with an icon so that colour is not the only signal, only when there is one', () => {
    const card = renderRequestCard(data({ error: 'Justification is required' }));

    const error = byId(card, 'error') as { inlines: { text: string; color: string }[] };
    assert.deepEqual(
      error.inlines.map((i) => [i.text, i.color]),
      [['⛔ Justification is required', 'Attention']],
    );
    assert.doesNotMatch(JSON.stringify(renderRequestCard(data())), /"id":"error"/);
  });

  it('stays under the size limit with every role, a ticket and a 500-character justification', () => {
    const card = renderRequestCard(
      data({ roles: [POWER_PLATFORM, DYNAMICS, GLOBAL], ticketRequired: true, justification: 'x'.repeat(500), error: 'e'.repeat(500) }),
    );

    assertWellFormed(card);
  });
});
