/**
 * `extend [by <duration>] [because <text>]` (issue #16), also in German (`verlängern [um 1h]`) and
 * French (`prolonger [de 1h]`). Pure; the words are the command table's (command-table.ts).
 */
import { readLeadingDuration } from './duration.js';

export type ExtendCommand = { kind: 'extend'; minutes?: number; justification?: string } | { kind: 'invalid'; typed: string };

/** First words of the command, lower case, with and without accents. */
export const EXTEND_WORDS: ReadonlySet<string> = new Set(['extend', 'verlängern', 'verlangern', 'verlängere', 'verlangere', 'prolonger', 'prolonge']);
/** Optional words before the duration: "by", "um", "de", "pour". */
const BY_WORDS: ReadonlySet<string> = new Set(['by', 'for', 'um', 'de', 'pour', 'of']);
const BECAUSE_WORDS: ReadonlySet<string> = new Set(['because', 'weil', 'car', 'parce']);

/** Undefined when the message is not an extend command at all. */
export function parseExtend(cleaned: string, now: Date, timeZoneOffsetMinutes = 0): ExtendCommand | undefined {
  const words = cleaned.trim().split(/\s+/);
  if (!EXTEND_WORDS.has((words[0] ?? '').toLowerCase())) return undefined;
  let rest = words.slice(1);
  const because = rest.findIndex((w) => BECAUSE_WORDS.has(w.toLowerCase()));
  const justification =
    because >= 0
      ? rest
          .slice(because + 1)
          .join(' ')
          .trim()
      : '';
  if (because >= 0) rest = rest.slice(0, because);
  if (rest.length > 0 && BY_WORDS.has((rest[0] ?? '').toLowerCase())) rest = rest.slice(1);
  const base = justification ? { justification } : {};
  if (rest.length === 0) return { kind: 'extend', ...base };
  const read = readLeadingDuration(rest, now, timeZoneOffsetMinutes);
  if (!read || read.count !== rest.length) return { kind: 'invalid', typed: rest.join(' ').slice(0, 40) };
  return { kind: 'extend', minutes: read.minutes, ...base };
}
