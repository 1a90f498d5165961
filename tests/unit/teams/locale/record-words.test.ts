import assert from 'node:assert/strict';
import type { ElevationRecord } from '../../../../src/domain/elevation.js';
import { failure } from '../../../../src/domain/failures.js';
import { ElevateError } from '../../../../src/domain/errors.js';
import { failureFrom } from '../../../../src/use-cases/run-elevation.js';
import { RECORD_TEXTS_EN, said, type RecordTextKey } from '../../../../src/domain/record-text.js';
import { channelCard, elevationCard, endedCard } from '../../../../src/teams/cards/elevation-cards.js';
import { failureHint, failureMessage, wordsFor } from '../../../../src/teams/locale/record-words.js';
import { CATALOGUES, ENGLISH, Texts, type Language } from '../../../../src/teams/locale/texts.js';
import { cardText } from '../../../harness/cards.js';

const GERMAN = new Texts({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
const FRENCH = new Texts({ locale: 'fr-FR', timeZone: 'Europe/Paris' });

function failedRecord(changes: Partial<ElevationRecord>): ElevationRecord {
  const at = '2026-03-02T09:00:00.000Z';
  return {
    id: 'elevation-1',
    state: 'failed',
    requester: { aadObjectId: 'a0000000-0000-4000-8000-00000000ade1', name: 'Adele Vance', tenantId: 't' },
    environment: { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' },
    options: [],
    roleName: 'Power Platform Administrator',
    createdAt: at,
    updatedAt: at,
    history: [],
    ...changes,
  } as ElevationRecord;
}

const TIMEOUT = failure('PimActivationTimeout', [said('activationTimeout', { minutes: 5 })], [said('activationTimeoutHint')]);

describe('stored failure texts in each reader’s language', () => {
  it('introduces Elevate’s own English diagnosis of a failed step in the reader’s language, and shows it unchanged in English', () => {
    const failed = failedRecord({ failure: failureFrom(new ElevateError('PIM has no activation policy for role r-1.', 'PimPolicyNotFound')) });
    const german = cardText(elevationCard(failed, { activationWindowMinutes: 60, texts: GERMAN }));
    assert.match(german, /Elevate konnte einen Schritt nicht abschließen\. Die Diagnose \(auf Englisch\): PIM has no activation policy for role r-1\./);
    assert.match(german, /in ein paar Minuten|später/i);
    const english = cardText(elevationCard(failed, { activationWindowMinutes: 60, texts: ENGLISH }));
    assert.match(english, /PIM has no activation policy for role r-1\./);
    assert.doesNotMatch(english, /Elevate could not finish/);
  });

  it('shows a German requester the failure in German, with its values', () => {
    const text = cardText(elevationCard(failedRecord({ failure: TIMEOUT }), { activationWindowMinutes: 60, texts: GERMAN }));

    assert.match(text, /PIM hat die Anfrage angenommen, aber die Rolle war nach 5 Minuten nicht aktiv\./);
    assert.match(text, /Prüfen Sie "Meine Rollen" im Entra-Portal/);
    assert.doesNotMatch(text, /PIM accepted the request/);
  });

  it('shows the security channel the same failure in the channel’s language (French here)', () => {
    const text = cardText(channelCard(failedRecord({ failure: TIMEOUT }), FRENCH));

    assert.match(text, /PIM a accepté la demande, mais le rôle n’était pas actif après 5 minutes\./);
    assert.doesNotMatch(text, /PIM accepted/);
  });

  it('tells a German requester how the elevation ended, in German', () => {
    const record = failedRecord({
      state: 'ended',
      ending: {
        reason: 'expired',
        at: '2026-03-02T10:00:00.000Z',
        systemAdminRemoved: true,
        note: 'Your PIM role is no longer active. System Administrator was removed from you in Contoso Prod.',
        noteWords: [said('endedRoleInactive'), said('endedRemoved', { environment: 'Contoso Prod' })],
      },
    });

    const text = cardText(endedCard(record, GERMAN));

    assert.match(text, /Ihre PIM-Rolle ist nicht mehr aktiv\. Systemadministrator wurde Ihnen in Contoso Prod entzogen\./);
  });

  it('still shows a record of an earlier version, which has only English text, as stored (stored shape)', () => {
    // What versions before catalogue keys wrote: code, message and hint, all English.
    const old = failedRecord({
      failure: { code: 'PimActivationTimeout', message: 'PIM accepted the request but the role was not active after 5 minutes.', hint: 'Check "My roles".' },
      ending: undefined,
    });
    const oldEnded = failedRecord({
      state: 'ended',
      ending: { reason: 'expired', at: '2026-03-02T10:00:00.000Z', systemAdminRemoved: false, note: 'Your PIM role is no longer active. It was kept.' },
    });

    assert.match(
      cardText(elevationCard(old, { activationWindowMinutes: 60, texts: GERMAN })),
      /PIM accepted the request but the role was not active after 5 minutes\.\s+Was zu tun ist\s+Check "My roles"\./,
    );
    assert.match(cardText(channelCard(old, GERMAN)), /PIM accepted the request/);
    assert.match(cardText(endedCard(oldEnded, GERMAN)), /Your PIM role is no longer active\. It was kept\./);
  });

  it('falls back to the stored English when a key is unknown to this version (written by a newer one)', () => {
    const newer = { ...TIMEOUT, words: { message: [{ key: 'somethingNew' as RecordTextKey }] } };

    assert.equal(failureMessage(newer, GERMAN), TIMEOUT.message);
    assert.equal(failureHint(newer, GERMAN), TIMEOUT.hint, 'no hint words: the English hint');
  });

  it('renders every stored key in every language with its values filled in', () => {
    for (const language of Object.keys(CATALOGUES) as Language[]) {
      const texts = new Texts({ locale: language, timeZone: 'UTC' });
      for (const [key, english] of Object.entries(RECORD_TEXTS_EN)) {
        const params = Object.fromEntries([...english.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, `<${m[1]}>`]));
        const text = wordsFor([said(key as RecordTextKey, params)], texts);
        assert.ok(text && !/\{\w+\}/.test(text), `${language} ${key}: ${text}`);
        for (const value of Object.values(params)) assert.ok(text.includes(value), `${language} ${key} shows ${value}`);
      }
    }
    assert.equal(wordsFor([said('tryLater')], ENGLISH), 'Try again in a few minutes.');
  });
});
