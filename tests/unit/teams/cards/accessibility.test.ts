import assert from 'node:assert/strict';
import { cardSamples } from '../../../support/card-samples.js';
import { walkCard, type CardNode } from '../../../harness/cards.js';

/**
 * Text colours of Adaptive Cards in Teams' three themes, on the card background.
 * light: Teams' host config as the Microsoft 365 Agents Playground bundles it
 * (node_modules/@microsoft/m365agentsplayground/dist/client/static/js/main.*.js: default #252424, accent #6264a7,
 * good #92c353, warning #f8d22a, attention #c4314b on #ffffff).
 * dark: Microsoft's "Microsoft Teams" dark host config of the Adaptive Cards designer (npm adaptivecards-designer
 * 2.4.4, src/hostConfigs/microsoft-teams-dark.json as bundled in dist/adaptivecards-designer.js: default #ffffff,
 * accent #a6a7dc, good #92c353, warning #f8d22a, attention #d74654 on #2d2c2c).
 * high contrast: [?] Microsoft publishes no host config for Teams' high-contrast theme (the designer has light and
 * dark only); values as Teams shows them to the eye, to be checked on a tenant. The card gallery renders the cards
 * under Chromium's forced colours instead (scripts/cards/gallery.ts), where every colour is the system's.
 */
const THEMES: Record<string, { background: string; colors: Record<string, string> }> = {
  light: { background: '#ffffff', colors: { Default: '#252424', Accent: '#6264a7', Good: '#92c353', Warning: '#f8d22a', Attention: '#c4314b' } },
  dark: { background: '#2d2c2c', colors: { Default: '#ffffff', Accent: '#a6a7dc', Good: '#92c353', Warning: '#f8d22a', Attention: '#d74654' } },
  highContrast: { background: '#000000', colors: { Default: '#ffffff', Accent: '#1aebff', Good: '#3ff23f', Warning: '#ffff01', Attention: '#ffff01' } },
};

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG 2 contrast ratio. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** What says it besides the colour: an icon that Elevate puts in front of (or after) coloured text. */
const ICONS = /[⚠⛔❌✖✔✅⏰⌛⏳🔐]/u;

const samples = cardSamples();
const colored = (card: CardNode): { color: string; text: string }[] =>
  [...walkCard(card)]
    .filter((v) => typeof v.node['color'] === 'string' && v.node['color'] !== 'Default')
    .map((v) => ({ color: String(v.node['color']), text: String(v.node['text'] ?? '') }));

describe('accessibility of every card in every state', () => {
  for (const { name, card } of samples) {
    describe(name, () => {
      it('has fallbackText and a speak summary that start with the card title', () => {
        const fallback = card['fallbackText'];
        const speak = card['speak'];
        assert.ok(typeof fallback === 'string' && fallback.trim() !== '', 'fallbackText');
        assert.ok(typeof speak === 'string' && speak.trim() !== '', 'speak');
        assert.doesNotMatch(speak, /[<>]/, 'speak may be read as SSML: no markup characters');
        assert.doesNotMatch(`${fallback}${speak}`, /\{\{|\$\{/, 'no unrendered time or template expression');
      });

      it('labels every input and gives every image alt text', () => {
        for (const { node } of walkCard(card)) {
          const type = String(node.type ?? '');
          if (type.startsWith('Input.'))
            assert.ok(typeof node['label'] === 'string' && node['label'].trim() !== '', `${type} ${String(node['id'])} has a label`);
          if (type === 'Image') assert.ok(typeof node['altText'] === 'string' && node['altText'].trim() !== '', 'Image has altText');
        }
      });

      it('uses no green or yellow text, and never colour alone: coloured text carries an icon or words', () => {
        for (const { color, text } of colored(card)) {
          assert.ok(['Attention', 'Accent'].includes(color), `${color}: "${text}"`);
          if (color === 'Attention') assert.match(text, ICONS, `"${text}" says it without colour`);
        }
      });
    });
  }

  it('the title "Too early to deactivate" is not yellow on white', () => {
    const card = samples.find((s) => s.name === 'too-early-to-deactivate')?.card;
    assert.ok(card);
    const title = [...walkCard(card)].find((v) => v.node.type === 'TextRun');
    assert.notEqual(title?.node['color'], 'Warning');
    assert.match(String(title?.node['text']), /^⚠️ Too early to deactivate$/);
  });

  for (const [theme, { background, colors }] of Object.entries(THEMES)) {
    it(`has enough contrast in Teams' ${theme} theme for every colour the cards use`, () => {
      const used = new Set(['Default', ...samples.flatMap(({ card }) => colored(card).map((c) => c.color))]);
      for (const color of used) {
        // Normal text needs 4.5:1 (WCAG 1.4.3); Attention is bold or sits beside an icon that says it: 3:1.
        const needed = color === 'Attention' ? 3 : 4.5;
        const ratio = contrast(colors[color] ?? '#000000', background);
        assert.ok(ratio >= needed, `${color} ${colors[color]} on ${background}: ${ratio.toFixed(2)}:1, needs ${needed}:1`);
      }
    });
  }

  it("would see Warning and Good fail in Teams' light theme (the check itself)", () => {
    assert.ok(contrast(THEMES['light']!.colors['Warning']!, '#ffffff') < 3);
    assert.ok(contrast(THEMES['light']!.colors['Good']!, '#ffffff') < 3);
  });
});
