import type { Catalogue } from './catalogue-en.js';

/** Browserseiten nach der Anmeldung und die starke Anmeldung zum Genehmigen, auf Deutsch (Schlüssel wie catalogue-pages-en.ts). */
export const SIGN_IN_PAGE_DE: Catalogue['signInPage'] = {
  noCodeTitle: 'Anmeldung nicht abgeschlossen',
  noCodeText: 'Entra ID hat keinen Anmeldecode zurückgegeben. Schließen Sie dieses Fenster und versuchen Sie es in Teams erneut.',
  signedInTitle: 'Angemeldet',
  signedInText: 'Sie sind angemeldet. Schließen Sie dieses Fenster und kehren Sie zu Teams zurück: Elevate macht dort weiter, wo es stand.',
  refusedTitle: 'Anmeldung konnte nicht verwendet werden',
  refusedText: 'Schließen Sie dieses Fenster und beginnen Sie in Teams neu.',
  approvalRecordedTitle: 'Genehmigung erfasst',
  approvalRecordedText: 'Ihre Genehmigung ist mit Ihrer starken Anmeldung erfasst. Schließen Sie dieses Fenster und kehren Sie zu Teams zurück.',
  approvalNotRecordedTitle: 'Genehmigung nicht erfasst',
  closeAndTapAgain: '{reason} Schließen Sie dieses Fenster und tippen Sie in Teams erneut auf Genehmigen.',
  closeAndReturn: '{reason} Schließen Sie dieses Fenster und kehren Sie zu Teams zurück.',
  busy: 'Viele Genehmigende haben gleichzeitig entschieden. Schließen Sie dieses Fenster und tippen Sie in Teams erneut auf Genehmigen.',
};

export const STRONG_SIGN_IN_DE: Catalogue['strongSignIn'] = {
  title: 'Starke Anmeldung zum Genehmigen nötig',
  message:
    'Ihre Genehmigung der Anfrage von {requester} für {role} in {environment} zählt erst nach einer neuen starken Anmeldung (Authentifizierungskontext {context} des bedingten Zugriffs). Noch ist nichts erfasst.',
  hint: 'Wählen Sie Anmelden und schließen Sie die Anmeldung im Browser ab: Ihre Genehmigung wird erfasst, wenn Sie zurückkommen. Der Link funktioniert einmal. Ablehnen braucht keine Anmeldung.',
  otherUser: 'Sie haben sich als jemand anderes angemeldet als die genehmigende Person, die auf Genehmigen getippt hat. Nichts wurde erfasst.',
  missingContext: 'Ihre Anmeldung erfüllt nicht die starke Anmeldung, die diese Genehmigung braucht (Authentifizierungskontext). Nichts wurde erfasst.',
  issuedBeforeTap: 'Ihre Anmeldung war älter als Ihr Tippen: Diese Genehmigung braucht eine neue Anmeldung. Nichts wurde erfasst.',
  signInAgain: '{reason} Tippen Sie auf Genehmigen, um sich erneut anzumelden.',
  notRecorded: 'Ihre Genehmigung wurde nicht erfasst: Tippen Sie erneut auf Genehmigen.',
};
