import type { Catalogue } from './catalogue-en.js';

/** Why a request card submission was refused (domain/submission-text.ts), in French. */
export const SUBMISSION_FR: Catalogue['submission'] = {
  chooseRole: 'Choisissez un rôle.',
  roleNotOffered: 'Vous ne pouvez pas activer ce rôle ici : choisissez l’un des rôles proposés.',
  chooseDuration: 'Choisissez une durée.',
  durationFromList: 'Choisissez une durée dans la liste.',
  tooShort: 'Choisissez au moins {minimum} : PIM refuse les activations plus courtes.',
  unreadableMaximum: 'La stratégie PIM de {role} n’a pas de durée maximale lisible ({maximum}). Adressez-vous à votre administrateur PIM.',
  tooLongElevate: 'Choisissez au plus {max} : la stratégie Elevate n’en permet pas plus.',
  tooLongPim: 'Choisissez au plus {max} : la stratégie PIM de {role} n’en permet pas plus.',
  justificationTooLong: 'La justification doit faire moins de {chars} caractères.',
  justificationTooShort: 'Donnez une justification d’au moins {chars} caractères : dites ce que vous allez changer et pourquoi.',
  ticketForRole: 'Donnez un numéro de ticket : {role} en exige un.',
  ticketForElevate: 'Donnez un numéro de ticket : Elevate en exige un.',
  ticketFormat: 'Un numéro de ticket compte au plus 64 lettres, chiffres et - _ . / #.',
};
