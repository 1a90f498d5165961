import assert from 'node:assert/strict';
import { englishSubmissionText, validateSubmission } from '../../../../src/domain/request-options.js';
import { SUBMISSION_TEXTS_EN, type SubmissionTextKey, type SubmissionWords } from '../../../../src/domain/submission-text.js';
import { submissionText } from '../../../../src/teams/locale/submission-words.js';
import { PIM_REFUSALS_EN } from '../../../../src/use-cases/decide-pim-approval.js';
import { textsFor } from '../../../../src/teams/locale/texts.js';

const READERS = { en: textsFor({ locale: 'en-US' }), de: textsFor({ locale: 'de-DE' }), fr: textsFor({ locale: 'fr-FR' }) };
const SAMPLE: SubmissionWords = { key: 'chooseRole', role: 'Power Platform Administrator', maximum: 'P1Y', chars: 10, max: 120, minimum: 5 };

describe('refused request card submissions in the requester’s language', () => {
  for (const key of Object.keys(SUBMISSION_TEXTS_EN) as SubmissionTextKey[]) {
    it(`says ${key} in English as the domain does, and in German and French with every value filled`, () => {
      const words = { ...SAMPLE, key };
      // Durations are the reader's words (`2 h`, `5 min`); everything else is the domain's English as it is.
      const withDuration = /\{(max|minimum)\}/.test(SUBMISSION_TEXTS_EN[key]);
      if (!withDuration) assert.equal(submissionText(words, READERS.en), englishSubmissionText(words));
      assert.doesNotMatch(submissionText(words, READERS.en), /\{\w+\}/);
      for (const texts of [READERS.de, READERS.fr]) {
        const said = submissionText(words, texts);
        assert.doesNotMatch(said, /\{\w+\}/, 'no placeholder left');
        assert.notEqual(said, submissionText(words, READERS.en), `${texts.language} is not English`);
      }
    });
  }

  it('words every refusal of a PIM approval tap in each language, English as the use case says it', () => {
    for (const reason of Object.keys(PIM_REFUSALS_EN) as (keyof typeof PIM_REFUSALS_EN)[]) {
      assert.equal(READERS.en.c.pimRefusal[reason], PIM_REFUSALS_EN[reason]);
      assert.notEqual(READERS.de.c.pimRefusal[reason], PIM_REFUSALS_EN[reason]);
      assert.notEqual(READERS.fr.c.pimRefusal[reason], PIM_REFUSALS_EN[reason]);
    }
  });

  it('gives a German requester the reason in German, with the duration in German words', () => {
    const option = {
      roleId: 'r',
      roleName: 'Power Platform Administrator',
      maximumDuration: 'PT2H',
      justificationRequired: true,
      ticketRequired: false,
      mfaRequired: false,
      approvalRequired: false,
    };
    const check = validateSubmission(
      [option as never],
      { roleId: 'r', duration: 'PT4H', justification: 'INC0012345 fix the flow' },
      { minJustificationLength: 10 },
    );
    assert.equal(check.ok, false);
    if (check.ok) return;
    assert.equal(check.message, 'Choose at most 2 h: the PIM policy of Power Platform Administrator allows no more.');
    assert.equal(
      submissionText(check.words, READERS.de),
      `Wählen Sie höchstens ${READERS.de.duration(120)}: Die PIM-Richtlinie von Power Platform Administrator erlaubt nicht mehr.`,
    );
  });
});
