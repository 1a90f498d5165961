/**
 * Text helpers for untrusted user input: Teams message cleaning, folding for comparisons,
 * tokenising and ticket ids. Every pattern here is linear: no nested or overlapping quantifiers.
 */

/** Teams @mentions (`<at>Elevate</at>`) are addressing, not content. */
const MENTION = /<at\b[^<>]*>[^<]*<\/at>/gi;
const TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi;
const ENTITY = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,9});/gi;
const NAMED_ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** C0/C1 controls (tab and line breaks become spaces instead), zero-width and bidi-override characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const FANCY_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;

function decodeEntity(match: string, body: string): string {
  if (body.startsWith('#')) {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return valid ? String.fromCodePoint(code) : '';
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? match;
}

/**
 * Turns a Teams message into plain text: drops @mentions and HTML tags, decodes entities once
 * (so `&amp;lt;` stays `&lt;`), removes control and invisible characters, unifies double quotes,
 * and collapses whitespace.
 */
export function cleanMessageText(raw: string): string {
  return raw
    .replace(MENTION, ' ')
    .replace(TAG, ' ')
    .replace(ENTITY, decodeEntity)
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(FANCY_QUOTES, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes control characters other than tab and line breaks, and invisible formatting characters. */
export function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Lower case, no diacritics, punctuation as spaces, single spaces: "Zürich-Sales " → "zurich sales". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** One word of a message, or a double-quoted phrase (quotes removed, `quoted` set). */
export interface Token {
  text: string;
  quoted: boolean;
  /** Offsets in the cleaned text, end exclusive (including the closing quote). */
  start: number;
  end: number;
}

/** Splits cleaned text on spaces; `"..."` is one token, an unterminated quote runs to the end. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i += 1;
      continue;
    }
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      const end = close === -1 ? text.length : close + 1;
      const inner = text.slice(i + 1, close === -1 ? text.length : close).trim();
      if (inner) tokens.push({ text: inner, quoted: true, start: i, end });
      i = end;
      continue;
    }
    const space = text.indexOf(' ', i);
    const end = space === -1 ? text.length : space;
    tokens.push({ text: text.slice(i, end), quoted: false, start: i, end });
    i = end;
  }
  return tokens;
}

/** A word without wrapping punctuation: `(INC-123),` → `INC-123`, `2h.` → `2h`. */
export function bareWord(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && '("\'[#'.includes(word[start] ?? '')) start += 1;
  while (end > start && ')"\'].,;:!?'.includes(word[end - 1] ?? '')) end -= 1;
  return word.slice(start, end);
}

/** `Prod!?` → `Prod`. Loops, not /[.!]+$/: such a regex is quadratic on long runs of punctuation. */
export function trimEndPunctuation(text: string, characters = '.,;:!?'): string {
  let end = text.length;
  while (end > 0 && characters.includes(text[end - 1] ?? '')) end -= 1;
  return text.slice(0, end);
}

/** ServiceNow-style ids, recognised in any case wherever they appear. */
const KNOWN_TICKET = /^(?:INC|CHG|RITM|SCTASK|REQ|PRB|PTASK|CTASK|TASK)-?\d{2,12}$/i;
/** Jira-style `OPS-42`, and `ABC1234`: upper case only. */
const DASHED_TICKET = /^[A-Z]{2,10}-\d{2,12}$/;
const GENERIC_TICKET = /^[A-Z]{2,10}-?\d{2,12}$/;

/**
 * The ticket id in `word`, upper-cased, or undefined. ServiceNow prefixes always count; `'dashed'`
 * adds `OPS-42` (free text such as "upgrade to SQL2019" must keep its last word); `'any'` adds
 * `ABC1234`. Environment names use `'known'`, because "Contoso EU-01" looks like a Jira key.
 */
export function ticketId(word: string, strictness: 'known' | 'dashed' | 'any' = 'any'): string | undefined {
  const bare = bareWord(word);
  if (KNOWN_TICKET.test(bare)) return bare.toUpperCase();
  if (strictness === 'known') return undefined;
  return (strictness === 'any' ? GENERIC_TICKET : DASHED_TICKET).test(bare) ? bare : undefined;
}

/** What may follow the word `ticket`: any short id made of letters, digits and `-_./`. */
export function looseTicketId(word: string): string | undefined {
  const bare = bareWord(word);
  return /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/.test(bare) && /\d/.test(bare) ? bare.toUpperCase() : undefined;
}

/** Words that introduce a ticket id: `ticket 12345`. */
export const TICKET_WORDS: ReadonlySet<string> = new Set(['ticket', 'tickets', 'ref']);
const CONNECTORS = new Set(['and', 'with', '&']);

/** Joins a clause's words, dropping punctuation and connecting words at its edges ("prod, and" → "prod"). */
export function joinClause(words: readonly string[]): string {
  const kept = [...words];
  const isFiller = (word: string): boolean => CONNECTORS.has(bareWord(word).toLowerCase()) || trimEndPunctuation(word) === '';
  while (kept.length > 0 && isFiller(kept[0] ?? '')) kept.shift();
  while (kept.length > 0 && isFiller(kept[kept.length - 1] ?? '')) kept.pop();
  const last = kept.pop();
  if (last !== undefined) kept.push(trimEndPunctuation(last));
  return kept.join(' ');
}

/**
 * Free text without the ticket ids (ServiceNow or `OPS-42`) at its end: "payroll down (INC-1), CHG-42"
 * → "payroll down" and both tickets. Text that is only ticket ids is kept whole.
 */
export function splitTrailingTickets(text: string): { text: string; tickets: string[] } {
  const words = text.trim().split(' ').filter(Boolean);
  const tickets: string[] = [];
  let end = words.length;
  for (; end > 0; end -= 1) {
    const word = words[end - 1] ?? '';
    const ticket = ticketId(word, 'dashed');
    if (ticket) tickets.unshift(ticket);
    else if (!TICKET_WORDS.has(bareWord(word).toLowerCase()) && !/^[-–—:,;/(]+$/.test(word)) break;
  }
  const kept = tickets.length > 0 ? trimEndPunctuation(words.slice(0, end).join(' '), ' -–—:,;(') : '';
  return { text: kept || words.join(' '), tickets };
}
