import { COMMAND_TABLE, ELEVATE_WORDS, IN_WORDS, ME_WORDS, commandEntry, type CommandId } from './command-table.js';
import { readLeadingDuration } from './duration.js';
import { parseGrant, type GrantCommand } from './grant-command.js';
import { parseExtend } from './extend-command.js';
import { MAX_SCHEDULE_AHEAD_DAYS, nextAfter, parseClockSeconds, readStart, START_WORDS, type StartRead, type Zone } from './start-time.js';
import { SELF_ELEVATION_ROLES, type AdminRole } from './roles.js';
import {
  TICKET_WORDS,
  bareWord,
  cleanMessageText,
  foldText,
  joinClause,
  looseTicketId,
  splitTrailingTickets,
  ticketId,
  tokenize,
  trimEndPunctuation,
  type Token,
} from './text.js';

/** A duration as typed (`source`) and what it means in whole minutes. */
export interface DurationSpec {
  minutes: number;
  source: string;
}

/** What a chat message asks Elevate to do. */
export type Command =
  | ElevateCommand
  /** `elevate me in <env> now because <incident>`: break glass (issue #16), for the policy's on-call groups only. */
  | (Omit<ElevateCommand, 'kind'> & { kind: 'breakGlass' })
  /** `elevate me in <env> tomorrow 22:00 …`: a scheduled elevation (issue #16). */
  | (Omit<ElevateCommand, 'kind'> & { kind: 'schedule'; start: StartSpec })
  /** `move to <time>`: a new start for the requester's next scheduled elevation; without `start`, the usage. */
  | { kind: 'move'; start?: StartSpec }
  | GrantCommand
  | { kind: 'help' }
  | { kind: 'status' }
  | { kind: 'notifyHere' }
  | { kind: 'approvalsHere' }
  | { kind: 'retry'; requestId?: string }
  | { kind: 'cancel' }
  | { kind: 'deactivate' }
  /** `extend [by <duration>] [because <text>]` (issue #16): more time for the requester's active elevation. */
  | { kind: 'extend'; minutes?: number; justification?: string }
  | { kind: 'audit'; sinceMinutes: number; userId?: string }
  /** `audit <id>`: what the user did during that elevation (Dataverse auditing); a GUID that is no elevation's is a user's. */
  | { kind: 'auditElevation'; id: string }
  | { kind: 'auditAnchor' }
  | { kind: 'inventory'; scope: string }
  | { kind: 'sweep'; scope: string }
  | { kind: 'unknown'; text: string }
  | { kind: 'invalid'; reason: InvalidReason; message: string; detail?: string };

/** `elevate me in <env> …`: what was typed, for the request card. */
export interface ElevateCommand {
  kind: 'elevate';
  environment: string;
  role?: string;
  duration?: DurationSpec;
  justification?: string;
  tickets: string[];
  /** A scheduled start (issue #16), `tomorrow 22:00`, `at 9:00`, `friday from 22:00 to 01:00`: checked to be ahead and within the limit. */
  start?: StartSpec;
}

/** When a scheduled elevation starts (ISO instant) and how it was typed. */
export interface StartSpec {
  at: string;
  source: string;
}

/** Why a message could not be read; `grantSyntax` carries grant-command.ts's problem (GrantSyntaxProblem) in `detail`. */
export type InvalidReason =
  | 'tooLong'
  | 'noEnvironment'
  | 'environmentTooLong'
  | 'roleTooLong'
  | 'badDuration'
  | 'grantSyntax'
  /** A start that could not be read, has passed, or lies beyond the schedule limit (start-time.ts); `detail` is what was typed. */
  | 'badStart'
  | 'pastStart'
  | 'tooFarAhead'
  /** Break glass (`now`) with a later start. */
  | 'startWithNow';

/** Longest message read at all; longer ones are refused before any pattern runs. */
const MAX_RAW_LENGTH = 20_000;
/** Longest command after mentions and markup are removed. */
export const MAX_COMMAND_LENGTH = 2_000;
export const MAX_ENVIRONMENT_LENGTH = 200;
export const MAX_ROLE_LENGTH = 100;

const EXAMPLE = '"elevate me in Contoso Prod as Power Platform admin for 2h because INC-123 needs a fix"';
const HELP_WORDS: ReadonlySet<string> = new Set(commandEntry('help').phrases);
/** Commands whose whole message is one of their table phrases. */
const PHRASE_COMMANDS: Readonly<
  Record<
    Exclude<CommandId, 'elevate' | 'breakGlass' | 'schedule' | 'move' | 'grant' | 'extend' | 'audit' | 'auditElevation' | 'help' | 'inventory' | 'sweep'>,
    Command
  >
> = {
  status: { kind: 'status' },
  retry: { kind: 'retry' },
  deactivate: { kind: 'deactivate' },
  notifyHere: { kind: 'notifyHere' },
  approvalsHere: { kind: 'approvalsHere' },
  auditAnchor: { kind: 'auditAnchor' },
};
// A Map, not an object literal: "constructor" or "__proto__" must not find anything.
const FIXED = new Map<string, Command>([
  ...COMMAND_TABLE.flatMap((entry) =>
    entry.id in PHRASE_COMMANDS ? entry.phrases.map((phrase): [string, Command] => [phrase, PHRASE_COMMANDS[entry.id as keyof typeof PHRASE_COMMANDS]]) : [],
  ),
  // Not a command of its own (not listed in help): the answer points to the request card's Cancel.
  ['cancel', { kind: 'cancel' }],
]);
// `retry <request id>` (from older cards' text); plain `retry` is a table phrase.
const RETRY = /^(?:retry|try again) ([A-Za-z0-9_-]{1,64})$/i;
// `audit`, `audit 24h`, `audit 7d`, `audit <user object id>` (security team only; checked by the handler).
const AUDIT = /^audit(?: (\d{1,4})([mhdw]))?(?: ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?$/i;
// `inventory`, `inventory all`, `inventory <environment>`, and the same for `sweep` (security team only; issue #15).
// `audit <anything else>`: an elevation id, checked (and refused when malformed) by the handler.
const AUDIT_ID = /^audit (\S{1,100})$/i;
const STANDING = /^(inventory|sweep)(?: (.{1,200}))?$/i;
const AUDIT_UNIT_MINUTES: Readonly<Record<string, number>> = { m: 1, h: 60, d: 1440, w: 10080 };

/**
 * Parses one chat message. Grammar (keywords in any case, clauses in any order):
 *
 *   elevate [me] [in] <environment> [now] [as <role>] [for <duration> | until <time>] [ticket ids] [because <text>]
 *
 * - `now` (`jetzt`, `maintenant`) before a clause or at the end asks for break glass (`kind: 'breakGlass'`);
 *   elsewhere it is part of the name ("Now Platform"); an environment named "… Now" is written in quotes.
 * - The environment is the text after `in` (or right after `elevate [me]`) up to the next clause.
 *   Each keyword counts once, so "Sales in Europe" keeps its second `in`; `for` counts only when a
 *   duration follows ("Center for Excellence" stays a name). Double quotes keep keywords literal.
 * - `because` takes the rest of the message; trailing ticket ids there are also taken as tickets.
 * - Ticket ids are recognised anywhere (ServiceNow prefixes like `INC0012345` in any case; Jira-style
 *   `OPS-42` outside the environment name) and after the word `ticket`.
 * - `until 17:00` is resolved against `now` in the requester's zone (`timeZoneOffsetMinutes` east of UTC),
 *   or against the scheduled start when there is one.
 * - A start (`tomorrow 22:00`, `at 9:00`, `friday 9am`, `from 22:00 to 01:00`, start-time.ts) is read in
 *   `timeZone` (the IANA zone Teams sends) when given, else at the fixed offset.
 */
export function parseCommand(text: string, now: Date, timeZoneOffsetMinutes = 0, timeZone?: string): Command {
  if (text.length > MAX_RAW_LENGTH) return tooLong();
  // "élève-moi dans …": the French pronoun is written onto the verb.
  const cleaned = cleanMessageText(text)
    .replace(/^\//, '')
    .replace(/^(\S+)-moi\b/iu, '$1 moi');
  if (cleaned.length > MAX_COMMAND_LENGTH) return tooLong();
  const tokens = tokenize(cleaned);
  const first = tokens[0];
  if (first && !first.quoted && ELEVATE_WORDS.has(bareWord(first.text).toLowerCase())) {
    return parseElevate(cleaned, tokens.slice(1), now, timeZoneOffsetMinutes, timeZone ?? timeZoneOffsetMinutes);
  }
  // `grant …`: Power Platform RBAC roles (grant-command.ts).
  if (first && !first.quoted && bareWord(first.text).toLowerCase() === 'grant' && tokens.length > 1) {
    const grant = parseGrant(cleaned.slice(first.end), now, timeZoneOffsetMinutes);
    return grant.kind === 'invalid' ? { kind: 'invalid', reason: 'grantSyntax', message: grant.message, detail: grant.problem } : grant;
  }
  const move = MOVE.exec(trimEndPunctuation(cleaned));
  if (move) return parseMove(move[1] ?? '', now, timeZone ?? timeZoneOffsetMinutes);
  const extend = parseExtend(cleaned, now, timeZoneOffsetMinutes);
  if (extend?.kind === 'extend') return extend;
  if (extend)
    return {
      kind: 'invalid',
      reason: 'badDuration',
      detail: extend.typed,
      message: `I could not read the duration "${extend.typed}". Try for example "extend by 30m" or "extend by 1h".`,
    };
  return parseSimple(cleaned);
}

// `move to tomorrow 23:00`, `reschedule to friday 9:00`, `move it to 22:00`.
const MOVE = /^(?:move|reschedule)(?:\s+it)?(?:\s+to)?(?:\s+(.{1,200}))?$/i;

function parseMove(rest: string, now: Date, zone: Zone): Command {
  const words =
    rest.trim() === ''
      ? []
      : rest
          .trim()
          .split(/\s+/)
          .map((w) => bareWord(w).toLowerCase());
  if (words.length === 0) return { kind: 'move' };
  const read = readStart(words, now, zone);
  if (read?.kind === 'invalid') return startInvalid(read.reason, read.typed);
  if (read?.kind !== 'ok' || read.count !== words.length || read.endsAt) return startInvalid('badStart', words.join(' ').slice(0, 40));
  return { kind: 'move', start: { at: read.at.toISOString(), source: read.source } };
}

function tooLong(): Command {
  return {
    kind: 'invalid',
    reason: 'tooLong',
    message: `That message is longer than ${MAX_COMMAND_LENGTH} characters, so I did not read it. Try for example ${EXAMPLE}.`,
  };
}

function parseSimple(cleaned: string): Command {
  const firstWord = cleaned.toLowerCase().split(' ', 1)[0] ?? '';
  if (HELP_WORDS.has(firstWord) || HELP_WORDS.has(bareWord(firstWord))) return { kind: 'help' };
  const trimmed = trimEndPunctuation(cleaned);
  const fixed = FIXED.get(trimmed.toLowerCase());
  if (fixed) return { ...fixed };
  const retry = RETRY.exec(trimmed);
  if (retry?.[1]) return { kind: 'retry', requestId: retry[1] };
  const audit = AUDIT.exec(trimmed);
  if (audit?.[3] && !audit[1]) return { kind: 'auditElevation', id: audit[3].toLowerCase() };
  if (audit) {
    const sinceMinutes = audit[1] ? Number(audit[1]) * (AUDIT_UNIT_MINUTES[(audit[2] ?? 'h').toLowerCase()] ?? 60) : 24 * 60;
    return audit[3] ? { kind: 'audit', sinceMinutes, userId: audit[3].toLowerCase() } : { kind: 'audit', sinceMinutes };
  }
  const auditId = AUDIT_ID.exec(trimmed);
  if (auditId?.[1]) return { kind: 'auditElevation', id: auditId[1] };
  const standing = STANDING.exec(trimmed);
  if (standing?.[1]) return { kind: standing[1].toLowerCase() as 'inventory' | 'sweep', scope: (standing[2] ?? 'all').trim() || 'all' };
  return { kind: 'unknown', text: cleaned };
}

interface Draft {
  breakGlass?: boolean;
  environment: string[];
  role: string[];
  duration?: DurationSpec;
  justification?: string;
  tickets: string[];
  start?: Extract<StartRead, { kind: 'ok' }>;
}
type Clause = 'environment' | 'role';
type DurationRead = { kind: 'ok'; spec: DurationSpec; next: number } | { kind: 'notDuration' } | Extract<Command, { kind: 'invalid' }>;

const UNTIL_WORDS = new Set(['until', 'till', 'til']);
/** `now` (and the German and French words) asks for break glass where a clause may end. */
const NOW_WORDS = new Set(['now', 'jetzt', 'maintenant']);
/** Words that start a clause: a `now` before one of them (or at the end) is the break-glass word, not part of a name. */
const CLAUSE_WORDS = new Set(['because', 'as', 'for', ...UNTIL_WORDS, ...TICKET_WORDS, ...START_WORDS]);
const BECAUSE = /^(?:reason|justification):$/i;
const MAX_DURATION_WORDS = 6;

function parseElevate(cleaned: string, tokens: Token[], now: Date, offset: number, zone: Zone): Command {
  const draft: Draft = { environment: [], role: [], tickets: [] };
  let clause: Clause = 'environment';
  // While a name is being typed, Jira-looking words belong to it ("Contoso EU-01").
  let inName = true;
  let read: StartRead | undefined;
  let i = tokens.length > 0 && ME_WORDS.has(bareWord(tokens[0]?.text ?? '').toLowerCase()) && !tokens[0]?.quoted ? 1 : 0;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    const word = token.quoted ? '' : bareWord(token.text).toLowerCase();
    const next = tokens[i + 1];
    if (word === 'because' || (!token.quoted && BECAUSE.test(token.text))) {
      takeJustification(draft, cleaned.slice(token.end));
      break;
    }
    if (NOW_WORDS.has(word) && !draft.breakGlass && endsClause(next, draft)) {
      draft.breakGlass = true;
      inName = false;
    } else if (IN_WORDS.has(word) && draft.environment.length === 0) {
      clause = 'environment';
      inName = true;
    } else if (word === 'as' && draft.role.length === 0) {
      clause = 'role';
      inName = false;
    } else if ((word === 'for' || UNTIL_WORDS.has(word)) && !draft.duration) {
      const read = readDuration(tokens, word === 'for' ? i + 1 : i, now, offset);
      if (read.kind === 'invalid') return read;
      if (read.kind === 'ok') {
        draft.duration = read.spec;
        inName = false;
        i = read.next;
        continue;
      }
      if (next) draft[clause].push(token.text);
    } else if (TICKET_WORDS.has(word) && next && !next.quoted && looseTicketId(next.text)) {
      addTicket(draft, looseTicketId(next.text));
      inName = false;
      i += 1;
    } else if (START_WORDS.has(word) && !draft.start && (read = readStart(startWords(tokens, i), now, zone))) {
      if (read.kind === 'invalid') return startInvalid(read.reason, read.typed);
      draft.start = read;
      inName = false;
      i += read.count;
      continue;
    } else {
      inName = addWord(draft, clause, token, inName);
    }
    i += 1;
  }
  if (draft.start && draft.breakGlass) return startInvalid('startWithNow', draft.start.source);
  if (draft.start) scheduleDuration(draft, draft.start, zone);
  return finish(draft);
}

/** The next few words from `start`, bare and lower case, for the start reader (quoted text is a name, never a time). */
function startWords(tokens: Token[], start: number): string[] {
  const words: string[] = [];
  for (let k = start; k < tokens.length && words.length < 8 && !tokens[k]?.quoted; k += 1) words.push(bareWord(tokens[k]?.text ?? '').toLowerCase());
  return words;
}

/** `from … to …` gives the duration; `until <time>` counts from the start, not from now. */
function scheduleDuration(draft: Draft, start: Extract<StartRead, { kind: 'ok' }>, zone: Zone): void {
  const until = /^(?:until|till|til)\s(.+)$/i.exec(draft.duration?.source ?? '');
  const clock = until ? parseClockSeconds(until[1] ?? '') : undefined;
  const end = clock !== undefined ? new Date(nextAfter(zone, start.at.getTime(), clock)) : draft.duration ? undefined : start.endsAt;
  if (!end) return;
  draft.duration = { minutes: Math.max(1, Math.round((end.getTime() - start.at.getTime()) / 60_000)), source: draft.duration?.source ?? start.source };
}

function startInvalid(reason: 'badStart' | 'pastStart' | 'tooFarAhead' | 'startWithNow', typed: string): Command {
  const message = {
    badStart: `I could not read the start "${typed}". Try for example "tomorrow 22:00", "at 9:00", "friday 9am" or "from 22:00 to 01:00".`,
    pastStart: `The start "${typed}" has passed. Say for example "tomorrow 9:00".`,
    tooFarAhead: `The start "${typed}" is too far ahead: Elevate schedules at most ${MAX_SCHEDULE_AHEAD_DAYS} days ahead.`,
    startWithNow: 'Break glass ("now") starts at once and cannot be scheduled for later.',
  }[reason];
  return { kind: 'invalid', reason, message, detail: typed };
}

/** Whether `next` ends the clause before it: the message's end, a clause word, or `in` before any environment. */
function endsClause(next: Token | undefined, draft: Draft): boolean {
  if (!next) return draft.environment.length > 0;
  if (next.quoted) return false;
  const word = bareWord(next.text).toLowerCase();
  return CLAUSE_WORDS.has(word) || BECAUSE.test(next.text) || (IN_WORDS.has(word) && draft.environment.length === 0);
}

/** Adds a word to the clause, or to the tickets; answers whether a name is still being typed. */
function addWord(draft: Draft, clause: Clause, token: Token, inName: boolean): boolean {
  const ticket = token.quoted ? undefined : ticketId(token.text, clause === 'environment' && inName ? 'known' : 'any');
  if (ticket) addTicket(draft, ticket);
  else draft[clause].push(token.text);
  return !ticket;
}

function finish(draft: Draft): Command {
  const environment = joinClause(draft.environment);
  if (!environment) return { kind: 'invalid', reason: 'noEnvironment', message: `Which environment? Say for example ${EXAMPLE}.` };
  if (environment.length > MAX_ENVIRONMENT_LENGTH)
    return { kind: 'invalid', reason: 'environmentTooLong', message: `That environment name is longer than ${MAX_ENVIRONMENT_LENGTH} characters.` };
  const role = joinClause(draft.role);
  if (role.length > MAX_ROLE_LENGTH) return { kind: 'invalid', reason: 'roleTooLong', message: `That role name is longer than ${MAX_ROLE_LENGTH} characters.` };
  const common = {
    environment,
    ...(role ? { role } : {}),
    ...(draft.duration ? { duration: draft.duration } : {}),
    ...(draft.justification ? { justification: draft.justification } : {}),
    tickets: draft.tickets,
  };
  if (draft.start) return { kind: 'schedule', ...common, start: { at: draft.start.at.toISOString(), source: draft.start.source } };
  return { kind: draft.breakGlass ? 'breakGlass' : 'elevate', ...common };
}

function addTicket(draft: Draft, ticket: string | undefined): void {
  if (ticket && !draft.tickets.includes(ticket)) draft.tickets.push(ticket);
}

/** The duration at `tokens[start]`. A number or `until` that does not parse is an error; other words mean `for` was part of a name. */
function readDuration(tokens: Token[], start: number, now: Date, offset: number): DurationRead {
  const words: string[] = [];
  for (let k = start; k < tokens.length && words.length < MAX_DURATION_WORDS && !tokens[k]?.quoted; k += 1) words.push(tokens[k]?.text ?? '');
  const firstWord = bareWord(words[0] ?? '').toLowerCase();
  const attempt = /^\d/.test(firstWord) || UNTIL_WORDS.has(firstWord);
  if (!attempt && !/^(?:an?|half)$/.test(firstWord)) return { kind: 'notDuration' };
  const read = readLeadingDuration(words, now, offset);
  if (read) return { kind: 'ok', spec: { minutes: read.minutes, source: read.source }, next: start + read.count };
  if (!attempt) return { kind: 'notDuration' };
  const typed = words
    .slice(0, UNTIL_WORDS.has(firstWord) ? 2 : 1)
    .join(' ')
    .slice(0, 40);
  return {
    kind: 'invalid',
    reason: 'badDuration',
    detail: typed,
    message: `I could not read the duration "${typed}". Try for example "for 90m", "for 2h", "for 1h30m" or "until 17:00".`,
  };
}

/** `because` text; trailing ticket ids there become tickets too. */
function takeJustification(draft: Draft, rest: string): void {
  const { text, tickets } = splitTrailingTickets(rest);
  for (const ticket of tickets) addTicket(draft, ticket);
  if (text) draft.justification = text;
}

/**
 * The self-elevation role named by `text`: its id, name or an alias, ignoring case, accents,
 * punctuation, a leading article and a trailing "role" ("the Global Admin role" → Global Administrator).
 */
export function resolveRole(text: string, roles: readonly AdminRole[] = SELF_ELEVATION_ROLES): AdminRole | undefined {
  const key = foldText(text)
    .replace(/^(?:the|a|an) /, '')
    .replace(/ role$/, '');
  if (!key) return undefined;
  const id = text.trim().toLowerCase();
  return roles.find((role) => role.id.toLowerCase() === id || foldText(role.name) === key || role.aliases.some((alias) => foldText(alias) === key));
}
