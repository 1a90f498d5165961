/**
 * What a running step says on the requester's card (transient, never stored), as a catalogue key and
 * its values so that each requester reads it in their own language (src/teams/locale, section
 * `progressDetail`). These English templates are that section's English text.
 */
export const PROGRESS_TEXTS_EN = {
  waitingForPim: 'Waiting for PIM to activate the role (check {check})…',
  alreadySystemAdmin: 'You already are System Administrator here: Elevate will leave that standing access in place.',
  notSeenYet:
    'Power Platform does not see your PIM role yet (attempt {attempt}); role changes can take up to two hours to reach it. Elevate keeps trying and tells you how it went.',
  notSeenYetUntilPimEnd:
    'Power Platform does not see your PIM role yet (attempt {attempt}); role changes can take up to two hours to reach it. Elevate keeps trying until your PIM activation ends: if Power Platform has not caught up by then, request a new elevation.',
} as const;

export interface ProgressWords {
  key: keyof typeof PROGRESS_TEXTS_EN;
  check?: number;
  attempt?: number;
}

/** The English words (logs, and readers without a catalogue). */
export function englishProgressText(words: ProgressWords): string {
  const values: Record<string, string> = { check: String(words.check ?? ''), attempt: String(words.attempt ?? '') };
  return PROGRESS_TEXTS_EN[words.key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
