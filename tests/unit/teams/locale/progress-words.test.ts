import assert from 'node:assert/strict';
import type { ElevationRecord } from '../../../../src/domain/elevation.js';
import { PROGRESS_TEXTS_EN, englishProgressText, type ProgressWords } from '../../../../src/domain/progress-text.js';
import { elevationCard } from '../../../../src/teams/cards/elevation-cards.js';
import { ENGLISH, Texts } from '../../../../src/teams/locale/texts.js';
import { progress } from '../../../../src/use-cases/run-elevation.js';
import { cardText } from '../../../harness/cards.js';

const GERMAN = new Texts({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
const FRENCH = new Texts({ locale: 'fr-FR', timeZone: 'Europe/Paris' });

const activating = {
  id: 'elevation-1',
  state: 'activating',
  requester: { aadObjectId: 'a0000000-0000-4000-8000-00000000ade1', name: 'Adele Vance', tenantId: 't' },
  environment: { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' },
  options: [],
  roleName: 'Power Platform Administrator',
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-02T09:00:00.000Z',
  history: [],
} as unknown as ElevationRecord;

describe('progress on the requester’s card in their language', () => {
  it('shows a German requester the running step in German, and the English reader the domain’s English', () => {
    const step = progress({ key: 'waitingForPim', check: 3 });
    assert.match(
      cardText(elevationCard(activating, { activationWindowMinutes: 60, texts: GERMAN, progress: step })),
      /Warten, bis PIM die Rolle aktiviert \(Prüfung 3\)/,
    );
    assert.match(
      cardText(elevationCard(activating, { activationWindowMinutes: 60, texts: ENGLISH, progress: step })),
      /Waiting for PIM to activate the role \(check 3\)/,
    );
  });

  for (const key of Object.keys(PROGRESS_TEXTS_EN) as ProgressWords['key'][]) {
    it(`words ${key} in every language, values filled`, () => {
      const words: ProgressWords = { key, check: 2, attempt: 4 };
      assert.equal(ENGLISH.fill(ENGLISH.c.progressDetail[key], { check: 2, attempt: 4 }), englishProgressText(words));
      for (const texts of [GERMAN, FRENCH]) {
        const said = texts.fill(texts.c.progressDetail[key], { check: 2, attempt: 4 });
        assert.doesNotMatch(said, /\{\w+\}/);
        assert.notEqual(said, englishProgressText(words));
      }
    });
  }
});
