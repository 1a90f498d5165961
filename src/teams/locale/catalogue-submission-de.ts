import type { Catalogue } from './catalogue-en.js';

/** Why a request card submission was refused (domain/submission-text.ts), in German. */
export const SUBMISSION_DE: Catalogue['submission'] = {
  chooseRole: 'Wählen Sie eine Rolle.',
  roleNotOffered: 'Diese Rolle können Sie hier nicht aktivieren: Wählen Sie eine der angebotenen Rollen.',
  chooseDuration: 'Wählen Sie eine Dauer.',
  durationFromList: 'Wählen Sie eine Dauer aus der Liste.',
  tooShort: 'Wählen Sie mindestens {minimum}: PIM lehnt kürzere Aktivierungen ab.',
  unreadableMaximum: 'Die PIM-Richtlinie von {role} hat keine lesbare Höchstdauer ({maximum}). Wenden Sie sich an Ihre PIM-Administration.',
  tooLongElevate: 'Wählen Sie höchstens {max}: Die Elevate-Richtlinie erlaubt nicht mehr.',
  tooLongPim: 'Wählen Sie höchstens {max}: Die PIM-Richtlinie von {role} erlaubt nicht mehr.',
  justificationTooLong: 'Die Begründung darf höchstens {chars} Zeichen lang sein.',
  justificationTooShort: 'Geben Sie eine Begründung von mindestens {chars} Zeichen an: Was ändern Sie und warum?',
  ticketForRole: 'Geben Sie eine Ticketnummer an: {role} verlangt eine.',
  ticketForElevate: 'Geben Sie eine Ticketnummer an: Elevate verlangt eine.',
  ticketFormat: 'Eine Ticketnummer besteht aus bis zu 64 Buchstaben, Ziffern und - _ . / #.',
};
