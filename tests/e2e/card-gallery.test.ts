import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, MOBILE_WIDTH, writeGallery } from '../../scripts/cards/gallery.js';
import { Texts } from '../../src/teams/locale/texts.js';
import { cardSamples } from '../support/card-samples.js';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${file} is a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('card gallery (npm run cards) in headless Chromium', function () {
  this.timeout(180_000);
  let outDir = '';

  before(function () {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's chromium (.ci/run does), or set CHROMIUM_PATH.`);
    outDir = mkdtempSync(path.join(os.tmpdir(), 'elevate-cards-'));
  });

  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('renders every card in every state, in English (light, dark, forced-colours contrast) and German, as JSON and a 320 px PNG, without renderer warnings or overflow', async () => {
    const readers = [
      { name: 'en', locale: 'en-US', timeZone: 'UTC' },
      { name: 'de', locale: 'de-DE', timeZone: 'Europe/Berlin' },
    ];
    const languages = readers.map((r) => ({
      ...r,
      cards: cardSamples(new Texts({ locale: r.locale, timeZone: r.timeZone })),
      themes: r.name === 'en' ? (['light', 'dark', 'contrast'] as const) : (['light'] as const),
    }));

    const problems = await writeGallery(outDir, languages);

    assert.deepEqual(problems, []);
    for (const { name: language, cards, themes } of languages) {
      for (const dir of themes.map((t) => (t === 'light' ? language : path.join(language, t)))) {
        const files = readdirSync(path.join(outDir, dir));
        assert.equal(files.filter((f) => f.endsWith('.png')).length, cards.length, dir);
        assert.equal(files.filter((f) => f.endsWith('.json')).length, cards.length, dir);
        for (const { name } of cards) {
          const { width, height } = pngSize(path.join(outDir, dir, `${name}.png`));
          assert.equal(width, MOBILE_WIDTH, `${dir}/${name}`);
          assert.ok(height > 40, `${dir}/${name} shows something (${height} px high)`);
        }
      }
    }
    assert.notDeepEqual(
      readFileSync(path.join(outDir, 'en', 'dark', 'approval-pending.png')),
      readFileSync(path.join(outDir, 'en', 'approval-pending.png')),
      'the dark theme renders differently',
    );
    assert.match(readFileSync(path.join(outDir, 'index.html'), 'utf8'), /en\/contrast\/requester-request\.png/);
    assert.match(readFileSync(path.join(outDir, 'de', 'requester-request.json'), 'utf8'), /Erhöhen in Contoso Prod/);
    assert.match(readFileSync(path.join(outDir, 'index.html'), 'utf8'), /requester-request\.png/);
  });

  it('reports an element the renderer does not know and a card wider than Teams mobile width (the check itself)', async () => {
    const card = (body: object[]) => ({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body });
    const cards = [
      { name: 'unknown', card: card([{ type: 'Carousel.Unknown' }, { type: 'TextBlock', text: 'x' }]) },
      { name: 'wide', card: card([{ type: 'ColumnSet', columns: [{ type: 'Column', width: '600px', items: [{ type: 'TextBlock', text: 'wide' }] }] }]) },
    ] as unknown as ReturnType<typeof cardSamples>;

    const problems = await writeGallery(path.join(outDir, 'broken'), [{ name: 'en', locale: 'en-US', timeZone: 'UTC', cards }]);

    assert.ok(
      problems.some((p) => p.card === 'en/unknown'),
      JSON.stringify(problems),
    );
    assert.ok(
      problems.some((p) => p.card === 'en/wide' && /wider than 320/.test(p.problem)),
      JSON.stringify(problems),
    );
  });
});
