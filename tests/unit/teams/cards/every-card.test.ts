import assert from 'node:assert/strict';
import { Texts } from '../../../../src/teams/locale/texts.js';
import { cardSamples, type CardSample } from '../../../support/card-samples.js';
import { walkCard, type CardNode } from '../../../harness/cards.js';
import { assertWellFormed } from './fixtures.js';

/** Every string a person may read or hear on the card: texts, titles, labels, placeholders, choices, alt text, fallback, speak. */
function visibleStrings(card: CardNode): string[] {
  const keys = ['text', 'title', 'label', 'placeholder', 'errorMessage', 'altText', 'fallbackText', 'speak', 'value'];
  const found: string[] = [];
  for (const { node } of walkCard(card)) {
    for (const key of keys) if (typeof node[key] === 'string' && !(key === 'value' && node.type !== 'Fact')) found.push(node[key]);
    if (Array.isArray(node['choices'])) for (const c of node['choices'] as CardNode[]) found.push(String(c['title']));
  }
  return found;
}

const DATE_TIME = /\{\{(DATE|TIME)\(/;
/** Teams' date functions: upper case, no spaces inside the braces, an RFC 3339 instant (learn.microsoft.com/adaptive-cards/authoring-cards/text-features). */
const VALID_DATE_TIME = /^\{\{(?:DATE\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ(?:, (?:SHORT|LONG|COMPACT))?\)|TIME\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\))\}\}$/;

describe('every card Elevate sends, in every state', () => {
  // A requester in Berlin: plain-text times (choice titles) must be in their zone, so no "UTC" may show anywhere.
  const samples: CardSample[] = [
    ...cardSamples(new Texts({ locale: 'en-GB', timeZone: 'Europe/Berlin' })),
    ...cardSamples(new Texts({ locale: 'de-DE', timeZone: 'Europe/Berlin' })).map((s) => ({ ...s, name: `de/${s.name}` })),
    ...cardSamples(new Texts({ locale: 'fr-FR', timeZone: 'Europe/Paris' })).map((s) => ({ ...s, name: `fr/${s.name}` })),
  ];

  it('says "already active until" in the requester zone on the request card (choice titles are plain text)', () => {
    const request = samples.find((s) => s.name === 'requester-request')?.card;
    assert.match(visibleStrings(request ?? { type: 'AdaptiveCard' }).join('\n'), /already active until 2 Mar 2026, 14:45 CET/);
  });

  it('has a sample of each kind, with unique names', () => {
    assert.ok(samples.length >= 3 * 40, `${samples.length} samples`);
    assert.equal(new Set(samples.map((s) => s.name)).size, samples.length);
  });

  for (const { name, card } of samples) {
    describe(name, () => {
      it('is well formed', () => assertWellFormed(card));

      it('has no backtick (Adaptive Cards markdown has no code spans: they would show raw)', () => {
        for (const text of visibleStrings(card)) assert.ok(!text.includes('`'), text);
      });

      it('shows every time through Teams DATE()/TIME() in a TextBlock (the viewer zone), never as a fixed UTC text', () => {
        for (const text of visibleStrings(card)) assert.doesNotMatch(text.replace(/\{\{[^}]*\}\}/g, ''), /\bUTC\b(?![+\u2212-]\d)|\d\d:\d\d(?::\d\d)?Z/, text);
        for (const { node } of walkCard(card)) {
          const text = typeof node['text'] === 'string' ? node['text'] : '';
          if (!DATE_TIME.test(text)) continue;
          assert.equal(node.type, 'TextBlock', `DATE()/TIME() work in TextBlock only: ${text}`);
          for (const call of text.match(/\{\{[^}]*\}\}/g) ?? []) assert.match(call, VALID_DATE_TIME);
        }
      });
    });
  }
});
