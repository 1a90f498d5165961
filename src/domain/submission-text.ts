/**
 * Why a request card submission was refused (request-options.ts), as a catalogue key and its values,
 * so that each requester reads it in their own language (src/teams/locale, section `submission`).
 * These English templates are that section's English text; German and French have the same keys.
 * `{max}` and `{minimum}` are durations, written in the reader's words when shown.
 */
export const SUBMISSION_TEXTS_EN = {
  chooseRole: 'Choose a role.',
  roleNotOffered: 'You cannot activate that role here: choose one of the roles offered.',
  chooseDuration: 'Choose a duration.',
  durationFromList: 'Choose a duration from the list.',
  tooShort: 'Choose at least {minimum}: PIM refuses shorter activations.',
  unreadableMaximum: 'The PIM policy of {role} has no readable maximum duration ({maximum}). Ask your PIM administrator.',
  tooLongElevate: 'Choose at most {max}: Elevate policy allows no more.',
  tooLongPim: 'Choose at most {max}: the PIM policy of {role} allows no more.',
  justificationTooLong: 'Keep the justification under {chars} characters.',
  justificationTooShort: 'Give a justification of at least {chars} characters: say what you will change and why.',
  ticketForRole: 'Give a ticket number: {role} requires one.',
  ticketForElevate: 'Give a ticket number: Elevate requires one.',
  ticketFormat: 'A ticket number is up to 64 letters, digits and - _ . / #.',
} as const;

export type SubmissionTextKey = keyof typeof SUBMISSION_TEXTS_EN;

/** One refusal: the key, and its values (`max`, `minimum` in minutes). */
export interface SubmissionWords {
  key: SubmissionTextKey;
  role?: string;
  maximum?: string;
  chars?: number;
  max?: number;
  minimum?: number;
}
