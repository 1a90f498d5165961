import assert from 'node:assert/strict';
import { languageFromAcceptLanguage } from '../../../../src/teams/locale/accept-language.js';
import { completeInteractiveSignIn } from '../../../../src/teams/routes/sign-in-callback.js';
import type { TeamsServices } from '../../../../src/teams/services.js';

describe('Accept-Language: the language of the browser pages', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'en'],
    ['', 'en'],
    ['de-DE', 'de'],
    ['de-CH,de;q=0.9,en;q=0.8', 'de'],
    ['fr-CA', 'fr'],
    ['en-GB,de;q=0.9', 'en'],
    ['es-ES,fr;q=0.7,de;q=0.6', 'fr'],
    ['de;q=0.5, fr;q=0.8', 'fr'],
    ['de;q=0, fr;q=0.1', 'fr'],
    ['ja-JP,zh;q=0.9', 'en'],
    ['*', 'en'],
    ['de;q=abc', 'de'],
    ['nonsense;;;,,', 'en'],
  ];
  for (const [header, expected] of cases) {
    it(`reads ${JSON.stringify(header)} as ${expected}`, () => {
      assert.equal(languageFromAcceptLanguage(header), expected);
    });
  }

  it('gives the sign-in page of a German browser in German, with its language named', async () => {
    // Without a code the page answers before it uses any service.
    const page = await completeInteractiveSignIn({} as TeamsServices, { code: null, state: null }, 'de-AT,de;q=0.9');

    assert.deepEqual(page, {
      status: 400,
      lang: 'de',
      title: 'Anmeldung nicht abgeschlossen',
      text: 'Entra ID hat keinen Anmeldecode zurückgegeben. Schließen Sie dieses Fenster und versuchen Sie es in Teams erneut.',
    });
    assert.equal((await completeInteractiveSignIn({} as TeamsServices, { code: null, state: null }, undefined)).title, 'Sign-in did not complete');
  });
});
