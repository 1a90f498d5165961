import type { SubmissionWords } from '../../domain/submission-text.js';
import type { Texts } from './texts.js';

/** A refused submission (domain/submission-text.ts) in the reader's words, durations in their language. */
export function submissionText(words: SubmissionWords, texts: Texts): string {
  return texts.fill(texts.c.submission[words.key], {
    role: words.role ?? '',
    maximum: words.maximum ?? '',
    chars: words.chars ?? '',
    max: words.max === undefined ? '' : texts.duration(words.max),
    minimum: words.minimum === undefined ? '' : texts.duration(words.minimum),
  });
}
