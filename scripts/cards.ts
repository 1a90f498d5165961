import path from 'node:path';
import { Texts } from '../src/teams/locale/texts.js';
import { cardSamples } from '../tests/support/card-samples.js';
import { writeGallery, type GalleryLanguage } from './cards/gallery.js';

/**
 * `npm run cards [-- <out dir>]`: the card gallery (scripts/cards/gallery.ts), by default in
 * artifacts/cards/. Exits 1 when a card does not render cleanly or is wider than Teams' mobile width.
 */
async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'artifacts', 'cards'));
  const readers = [
    { name: 'en', locale: 'en-US', timeZone: 'America/New_York' },
    { name: 'de', locale: 'de-DE', timeZone: 'Europe/Berlin' },
    { name: 'fr', locale: 'fr-FR', timeZone: 'Europe/Paris' },
  ];
  // Dark and (forced-colours) high contrast in English: colours do not depend on the language.
  const languages: GalleryLanguage[] = readers.map((r) => ({
    ...r,
    cards: cardSamples(new Texts({ locale: r.locale, timeZone: r.timeZone })),
    themes: r.name === 'en' ? ['light', 'dark', 'contrast'] : ['light'],
  }));
  const problems = await writeGallery(outDir, languages);
  const count = languages.reduce((n, l) => n + l.cards.length, 0);
  for (const { card, problem } of problems) console.error(`${card}: ${problem}`);
  console.log(`${count} cards in ${languages.length} language(s) written to ${outDir} (index.html shows them all)`);
  if (problems.length > 0) process.exitCode = 1;
}

void main();
