import assert from 'node:assert/strict';
import { EN } from '../../../../src/teams/locale/catalogue-en.js';
import { CATALOGUES, Texts, languageOf, textsFor, type Language } from '../../../../src/teams/locale/texts.js';

type Tree = { [key: string]: string | Tree };

/** "section.key" → text, for every leaf. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') found.set(path, value);
    else for (const [k, v] of leaves(value, path)) found.set(k, v);
  }
  return found;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
const english = leaves(EN as unknown as Tree);
const others = (Object.keys(CATALOGUES) as Language[]).filter((l) => l !== 'en');

describe('message catalogues', () => {
  it('has English, German and French', () => {
    assert.deepEqual(Object.keys(CATALOGUES).sort(), ['de', 'en', 'fr']);
    assert.ok(english.size > 280, `${english.size} English texts`);
  });

  for (const language of others) {
    describe(language, () => {
      const texts = leaves(CATALOGUES[language] as unknown as Tree);

      it('lacks no key of the English catalogue and has none of its own', () => {
        assert.deepEqual(
          [...english.keys()].filter((k) => !texts.has(k)),
          [],
          'missing',
        );
        assert.deepEqual(
          [...texts.keys()].filter((k) => !english.has(k)),
          [],
          'extra',
        );
      });

      it('fills the same placeholders as English in every text', () => {
        for (const [key, text] of english) assert.deepEqual(placeholders(texts.get(key) ?? ''), placeholders(text), key);
      });

      it('is translated, not copied: most texts differ from English', () => {
        const same = [...english].filter(([key, text]) => texts.get(key) === text).map(([key]) => key);
        assert.ok(same.length < english.size * 0.1, `the same as English: ${same.join(', ')}`);
      });
    });
  }

  it('has no empty text and no backtick (Adaptive Cards markdown has no code spans) in any language', () => {
    for (const language of Object.keys(CATALOGUES) as Language[]) {
      for (const [key, text] of leaves(CATALOGUES[language] as unknown as Tree)) {
        assert.ok(text.trim() !== '', `${language} ${key} is empty`);
        assert.ok(!text.includes('`'), `${language} ${key}`);
      }
    }
  });

  it('would see a missing key (the check itself)', () => {
    const broken = structuredClone(CATALOGUES.de) as unknown as { help: Record<string, string> };
    delete broken.help['title'];
    assert.ok(![...leaves(broken as unknown as Tree).keys()].includes('help.title'));
  });
});

describe('Texts: the words of one reader', () => {
  it('picks the catalogue from the Teams locale, English for any other language', () => {
    assert.equal(languageOf('de-DE'), 'de');
    assert.equal(languageOf('de-AT'), 'de');
    assert.equal(languageOf('fr-CA'), 'fr');
    assert.equal(languageOf('es-ES'), 'en');
    assert.equal(languageOf(undefined), 'en');
    assert.equal(textsFor({ locale: 'fr-FR', timezone: 'Europe/Paris' }).c.status.title, 'Vos élévations');
    assert.equal(textsFor(undefined).c.status.title, 'Your elevations');
  });

  it('formats durations, lists and times in the reader locale', () => {
    const de = new Texts({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    const fr = new Texts({ locale: 'fr-FR', timeZone: 'Europe/Paris' });
    const en = new Texts({ locale: 'en-US', timeZone: 'UTC' });
    assert.equal(de.duration(150), '2 Std. 30 Min.');
    assert.equal(fr.duration(45), '45 min');
    assert.equal(en.duration(120), '2 h');
    assert.equal(de.list(['Megan Bowen', 'Alex Wilber']), 'Megan Bowen und Alex Wilber');
    assert.equal(fr.list(['Megan Bowen', 'Alex Wilber']), 'Megan Bowen et Alex Wilber');
    assert.equal(de.time('2026-03-02T13:05:00Z'), '02.03.2026, 14:05 MEZ');
  });

  it('fills placeholders and leaves unknown ones', () => {
    assert.equal(new Texts({ locale: 'en-US', timeZone: 'UTC' }).fill('{a} and {b}', { a: 1 }), '1 and {b}');
  });
});
