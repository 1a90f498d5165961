import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CARD_SCHEMA, CardRenderError, MAX_CARD_BYTES, compileCard } from '../../../../src/teams/cards/render.js';
import { VERBS, isVerb } from '../../../../src/teams/cards/verbs.js';
import { walkCard, type CardNode } from '../../../harness/cards.js';
import { repoRoot } from '../../../harness/env.js';
import { textRuns } from './fixtures.js';

const TEMPLATE_DIR = path.join(repoRoot(), 'adaptive-cards');
const templates = readdirSync(TEMPLATE_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, json: JSON.parse(readFileSync(path.join(TEMPLATE_DIR, name), 'utf8')) as CardNode }));

const tiny = {
  $schema: CARD_SCHEMA,
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Hello ${name}, ${note}' }] }],
};

describe('card renderer', () => {
  it('binds data as values, so template syntax in user text comes out literally', () => {
    const card = compileCard<{ name: string; note: string }>('tiny', tiny).expand({ name: 'Adele', note: '${name} and ${1+1}' });

    assert.deepEqual(textRuns(card), ['Hello Adele, ${name} and ${1+1}']);
  });

  it('drops the private-use character it uses to carry "${" through expansion', () => {
    const card = compileCard<{ name: string; note: string }>('tiny', tiny).expand({ name: 'A\uE000{b}', note: '' });

    assert.deepEqual(textRuns(card), ['Hello A{b}, ']);
  });

  it('names the card and the text when a field is missing from the data', () => {
    const render = () => compileCard<{ name: string }>('tiny', tiny).expand({ name: 'Adele' });

    assert.throws(render, (error: unknown) => error instanceof CardRenderError && /tiny/.test(error.message) && /\$\{note\}/.test(error.message));
  });

  it('refuses a card over the size limit', () => {
    const render = () => compileCard<{ name: string; note: string }>('tiny', tiny).expand({ name: 'x', note: 'y'.repeat(MAX_CARD_BYTES) });

    assert.throws(render, /over the 28672-byte limit/);
  });

  it('renders each time from the same template, unchanged by earlier data', () => {
    const template = compileCard<{ name: string; note: string }>('tiny', tiny);

    template.expand({ name: 'first', note: 'one' });
    const second = template.expand({ name: 'second', note: 'two' });

    assert.deepEqual(textRuns(second), ['Hello second, two']);
    assert.equal(tiny.body[0]?.inlines[0]?.text, 'Hello ${name}, ${note}');
  });
});

describe('card templates', () => {
  it('include the ten cards', () => {
    assert.deepEqual(templates.map((t) => t.name).sort(), [
      'approval-card.json',
      'break-glass-review-card.json',
      'channel-result-card.json',
      'failure-card.json',
      'grant-request-card.json',
      'help-card.json',
      'message-card.json',
      'progress-card.json',
      'request-card.json',
      'result-card.json',
    ]);
  });

  for (const { name, json } of templates) {
    it(`${name} is an Adaptive Card 1.5 with $schema, whose buttons are all Action.Execute with a known verb`, () => {
      assert.equal(json['type'], 'AdaptiveCard');
      assert.equal(json['version'], '1.5');
      assert.equal(json['$schema'], CARD_SCHEMA);
      for (const { node } of walkCard(json)) {
        assert.notEqual(node.type, 'Action.Submit');
        if (node.type === 'Action.Execute' && !String(node['verb']).startsWith('${')) assert.ok(isVerb(node['verb']), `${String(node['verb'])} is in VERBS`);
      }
    });
  }

  it("use every verb except the message card's data-bound ones", () => {
    const used = new Set(
      templates.flatMap(({ json }) => [...walkCard(json)].map((v) => v.node['verb']).filter((verb): verb is string => typeof verb === 'string')),
    );

    assert.deepEqual([...used].filter(isVerb).sort(), [VERBS.cancel, VERBS.retry, VERBS.submit, VERBS.grantSubmit, VERBS.grantCancel].sort());
    assert.ok(used.has('${verb}'));
  });

  it("recognise only Elevate's verbs", () => {
    assert.equal(isVerb(VERBS.start), true);
    assert.equal(isVerb('elevate.unknown'), false);
    assert.equal(isVerb(42), false);
  });
});
