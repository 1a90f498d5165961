import type { ElevationEnding, ElevationFailure } from '../../domain/elevation.js';
import type { RecordWords } from '../../domain/record-text.js';
import type { Texts } from './texts.js';

/**
 * Stored words (record-text.ts) in the reader's language; undefined when there are none, or when one
 * of them has a key this version's catalogue lacks (a record a newer version wrote): the caller then
 * shows the English the record carries.
 */
export function wordsFor(words: RecordWords | undefined, texts: Texts): string | undefined {
  if (!words || words.length === 0) return undefined;
  const records: Readonly<Record<string, string>> = texts.c.records;
  const sentences = words.map((w) => (Object.hasOwn(records, w.key) ? texts.fill(records[w.key]!, w.params ?? {}) : undefined));
  return sentences.every((s) => s !== undefined) ? sentences.join(' ') : undefined;
}

/** What happened, for this reader; a record of an earlier version (English only) shows its English. */
export function failureMessage(failure: ElevationFailure, texts: Texts): string {
  return wordsFor(failure.words?.message, texts) ?? failure.message;
}

/** What to do about it, for this reader (as `failureMessage`); undefined when there is no hint. */
export function failureHint(failure: ElevationFailure, texts: Texts): string | undefined {
  return wordsFor(failure.words?.hint, texts) ?? failure.hint;
}

/** The note of an ended elevation, for this reader (as `failureMessage`). */
export function endingNote(ending: ElevationEnding, texts: Texts): string {
  return wordsFor(ending.noteWords, texts) ?? ending.note;
}
