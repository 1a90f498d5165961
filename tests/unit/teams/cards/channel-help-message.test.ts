import assert from 'node:assert/strict';
import { renderChannelResultCard, type ChannelOutcome, type ChannelResultCardData } from '../../../../src/teams/cards/channel-result-card.js';
import { COMMAND_TABLE } from '../../../../src/domain/command-table.js';
import { HELP_COMMANDS, renderHelpCard } from '../../../../src/teams/cards/help-card.js';
import { MAX_BUTTONS, renderMessageCard } from '../../../../src/teams/cards/message-card.js';
import { VERBS } from '../../../../src/teams/cards/verbs.js';
import { actionTitles, actionVerbs, cardText, findAction, walkCard } from '../../../harness/cards.js';
import { CONTOSO_DEV, CONTOSO_PROD, HOSTILE_TEXT, assertWellFormed, byId, factRows, textRuns } from './fixtures.js';

describe('channel result card', () => {
  const data = (overrides: Partial<ChannelResultCardData> = {}): ChannelResultCardData => ({
    outcome: 'elevated',
    requester: { name: 'Adele Vance', upn: 'adele@contoso.example', aadObjectId: 'a0000000-0000-4000-8000-00000000ade1' },
    roleName: 'Power Platform Administrator',
    environment: CONTOSO_PROD,
    activeUntil: '2026-03-02T17:00:00Z',
    justification: 'Fix a broken flow',
    ticketNumber: 'INC0012345',
    pimRequestId: 'pim-req-42',
    ppCorrelationId: 'pp-corr-7',
    requestId: 'req-1',
    at: '2026-03-02T15:00:00.000Z',
    ...overrides,
  });

  it('records who, role, where, until, why, ticket, every id and the time', () => {
    const card = renderChannelResultCard(data());

    assertWellFormed(card);
    const rows = factRows(card);
    assert.equal(rows.get('Outcome')?.text, '✅ Elevated');
    assert.equal(rows.get('Who')?.text, 'Adele Vance (adele@contoso.example, a0000000-0000-4000-8000-00000000ade1)');
    assert.equal(rows.get('Role')?.text, 'Power Platform Administrator');
    assert.equal(rows.get('Environment')?.text, 'Contoso Prod');
    assert.equal(rows.get('Type')?.text, 'Production ⚠');
    assert.equal(rows.get('Until')?.text, '{{DATE(2026-03-02T17:00:00Z, SHORT)}} {{TIME(2026-03-02T17:00:00Z)}}');
    assert.equal(rows.get('Justification')?.text, 'Fix a broken flow');
    assert.equal(rows.get('Ticket')?.text, 'INC0012345');
    assert.equal(rows.get('PIM request id')?.text, 'pim-req-42');
    assert.equal(rows.get('Power Platform correlation id')?.text, 'pp-corr-7');
    assert.equal(rows.get('Elevate request id')?.text, 'req-1');
    assert.equal(rows.get('Time')?.text, '{{DATE(2026-03-02T15:00:00Z, SHORT)}} {{TIME(2026-03-02T15:00:00Z)}}');
    assert.deepEqual(actionVerbs(card), []);
  });

  const outcomes: { outcome: ChannelOutcome; headline: RegExp; color: string }[] = [
    { outcome: 'elevated', headline: /^✅ Elevated: Adele Vance in Contoso Prod$/m, color: 'Default' },
    { outcome: 'failed', headline: /^❌ Failed: Adele Vance in Contoso Prod$/m, color: 'Attention' },
    { outcome: 'expired', headline: /^⌛ Expired: Adele Vance in Contoso Prod$/m, color: 'Default' },
  ];
  for (const { outcome, headline, color } of outcomes) {
    it(`heads a ${outcome} event with its outcome in ${color}`, () => {
      const card = renderChannelResultCard(data({ outcome }));

      assert.match(cardText(card), headline);
      assert.equal(factRows(card).get('Outcome')?.node['color'], color);
    });
  }

  it('flags Production and not a Sandbox', () => {
    assert.match(cardText(renderChannelResultCard(data())), /Production environment/);
    assert.doesNotMatch(cardText(renderChannelResultCard(data({ environment: CONTOSO_DEV }))), /Production environment/);
  });

  it('shows a hostile justification as plain text, not Markdown or a template', () => {
    const card = renderChannelResultCard(data({ justification: HOSTILE_TEXT, detail: HOSTILE_TEXT }));

    assertWellFormed(card, { allowDollarBrace: true });
    assert.equal(factRows(card).get('Justification')?.node['type'], 'TextRun');
    assert.equal(factRows(card).get('Justification')?.text, HOSTILE_TEXT);
    assert.deepEqual((byId(card, 'detail')['inlines'] as { text: string }[])[0]?.text, HOSTILE_TEXT);
  });

  it('leaves out what is unknown and says when there was no justification', () => {
    const card = renderChannelResultCard(
      data({ outcome: 'failed', activeUntil: undefined, ticketNumber: undefined, ppCorrelationId: undefined, justification: ' ' }),
    );

    const rows = factRows(card);
    assert.equal(rows.has('Until'), false);
    assert.equal(rows.has('Ticket'), false);
    assert.equal(rows.has('Power Platform correlation id'), false);
    assert.equal(rows.get('Justification')?.text, '(none)');
  });
});

describe('channel result card flags', () => {
  it('flags Global Administrator on the security channel card', () => {
    const card = renderChannelResultCard({
      outcome: 'elevated',
      requester: { name: 'Alex Wilber', aadObjectId: 'a0000000-0000-4000-8000-00000000a1e5' },
      roleName: 'Global Administrator',
      environment: CONTOSO_PROD,
      requestId: 'req-9',
      at: '2026-03-02T15:00:00.000Z',
    });
    assert.equal(factRows(card).get('Role')?.text, 'Global Administrator ⚠');
  });
});

describe('help card', () => {
  it('lists every command with an example', () => {
    const card = renderHelpCard();

    assertWellFormed(card);
    const runs = textRuns(card);
    for (const command of HELP_COMMANDS) {
      assert.ok(runs.includes(command.syntax), command.syntax);
      assert.ok(runs.includes(command.example), command.example);
    }
    assert.ok(runs.includes('elevate me in <environment> [as <role>] [for <duration>] [because <text>]'));
    assert.ok(runs.includes('@Elevate notify here'));
  });

  it('lists every entry of the command table the parser reads, security team commands under their own heading', () => {
    const card = renderHelpCard();
    const runs = textRuns(card);
    for (const entry of COMMAND_TABLE) assert.ok(runs.includes(entry.syntax), entry.syntax);
    for (const syntax of ['deactivate', 'retry', 'audit [24h|7d] [<user object id>]', 'audit anchor']) assert.ok(runs.includes(syntax), syntax);
    const texts = [...walkCard(card)].map((v) => String(v.node['text'] ?? ''));
    const security = texts.indexOf('For the security team');
    assert.ok(security > 0, 'a heading for the security team');
    assert.ok(texts.indexOf('audit anchor') > security && texts.indexOf('deactivate') < security);
  });

  it("says Elevate uses the user's own identity, never an app token, to elevate", () => {
    const text = String(byId(renderHelpCard(), 'identity')['text']);

    assert.match(text, /your own PIM role/);
    assert.match(text, /never grants access with an app token/);
  });

  it('uses the bot name people @mention', () => {
    assert.ok(textRuns(renderHelpCard({ botName: 'Elevate (local)' })).includes('@Elevate (local) notify here'));
  });
});

describe('message card', () => {
  it('shows a title, text and bullet items, with no buttons by default', () => {
    const card = renderMessageCard({ title: 'No eligible administrator role', text: 'Ask your PIM administrator.', items: ['Contoso Dev', 'Contoso UAT'] });

    assertWellFormed(card);
    assert.equal(cardText(card), 'No eligible administrator role\nAsk your PIM administrator.\n• Contoso Dev\n• Contoso UAT');
    assert.equal(card.actions, undefined);
  });

  it('turns each suggestion into an Action.Execute button carrying its data', () => {
    const card = renderMessageCard({
      title: 'I could not find "contoso prd"',
      text: 'Did you mean one of these environments?',
      buttons: [
        { title: 'Contoso Prod', verb: VERBS.start, data: { environmentId: CONTOSO_PROD.id, durationMinutes: 120 } },
        { title: 'Contoso Dev', verb: VERBS.start, data: { environmentId: CONTOSO_DEV.id } },
      ],
    });

    assertWellFormed(card);
    assert.deepEqual(actionTitles(card), ['Contoso Prod', 'Contoso Dev']);
    assert.deepEqual(findAction(card, VERBS.start)?.data, { environmentId: CONTOSO_PROD.id, durationMinutes: 120 });
    assert.equal(findAction(card, VERBS.start)?.associatedInputs, 'none');
  });

  it(`shows at most ${MAX_BUTTONS} buttons`, () => {
    const buttons = Array.from({ length: 9 }, (_, i) => ({ title: `Env ${i}`, verb: VERBS.start, data: { environmentId: `e${i}` } }));

    assert.equal(actionVerbs(renderMessageCard({ title: 'Which one?', buttons })).length, MAX_BUTTONS);
  });

  it('keeps user text in title, items and button data literal', () => {
    const card = renderMessageCard({
      title: HOSTILE_TEXT,
      items: [HOSTILE_TEXT],
      buttons: [{ title: 'Go', verb: VERBS.start, data: { justification: HOSTILE_TEXT } }],
    });

    assertWellFormed(card, { allowDollarBrace: true });
    assert.equal(textRuns(card)[0], HOSTILE_TEXT);
    assert.equal(textRuns(card)[1], `• ${HOSTILE_TEXT}`);
    assert.deepEqual(findAction(card, VERBS.start)?.data, { justification: HOSTILE_TEXT });
  });
});
