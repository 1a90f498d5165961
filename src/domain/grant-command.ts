/**
 * `grant` commands for Power Platform RBAC roles (issue #14). Pure.
 *
 *   grant me [<role>] [on <scope>] [for <duration>] [because <text>]
 *   grant [<role>] to app <name or appId> [on <scope>] [for <duration>] [because <text>]
 *
 * A command that lacks the role, the scope, the duration or the justification (`grant me` alone) is
 * still a command: the route answers it with the grant request card, prefilled with what was typed.
 *
 * `<scope>` is `tenant` (or `the tenant`), `environment group <name>` (or `group <name>`), or an
 * environment (`environment <name>`, or just its name). Ticket ids in the `because` text are also
 * recorded as tickets. Double quotes around a name are dropped.
 */
import { readLeadingDuration } from './duration.js';
import { splitTrailingTickets, ticketId, trimEndPunctuation } from './text.js';

export type ScopeText = { kind: 'tenant' } | { kind: 'environmentGroup'; name: string } | { kind: 'environment'; name: string };

export interface GrantCommand {
  kind: 'grant';
  /** Absent: asked on the grant request card. */
  role?: string;
  target: { kind: 'me' } | { kind: 'app'; app: string };
  /** Absent: asked on the grant request card. */
  scope?: ScopeText;
  duration?: { minutes: number; source: string };
  justification?: string;
  tickets: string[];
}

/** A command with role and scope: what the grant use case needs (duration and justification are checked there). */
export type CompleteGrantCommand = GrantCommand & { role: string; scope: ScopeText };

/** Why a grant command could not be read: the catalogue says it in the reader's language (`grant` section, `parse…`). */
export type GrantSyntaxProblem = 'badDuration' | 'syntax' | 'whichRole' | 'whichScope';
export type GrantParse = GrantCommand | { kind: 'invalid'; message: string; problem: GrantSyntaxProblem };

export function isCompleteGrant(command: GrantCommand): command is CompleteGrantCommand {
  return command.role !== undefined && command.scope !== undefined;
}

/** Everything was typed: the grant is requested at once; otherwise the request card asks for the rest. */
export function typedInFull(command: GrantCommand): command is CompleteGrantCommand {
  return isCompleteGrant(command) && command.duration !== undefined && (command.justification ?? '').trim() !== '';
}

const EXAMPLE = '"grant me Power Platform contributor on environment group Finance for 4h because CHG-7"';
const MAX_NAME = 200;
// The role is optional but never starts with `on ` (`grant me on tenant` names only the scope).
const SELF = /^me(?:\s+(?<role>(?!on\s).+?))?(?:\s+on\s+(?<scope>.+))?$/i;
const APP = /^(?:(?<role>.+?)\s+)?to\s+(?:app|application|service principal)\s+(?<app>.+?)(?:\s+on\s+(?<scope>.+))?$/i;

/** `text` is the cleaned message without its leading `grant`. */
export function parseGrant(text: string, now: Date, timeZoneOffsetMinutes = 0): GrantParse {
  const because = /(?:^|\s)because\s+/i.exec(text);
  const head = because ? text.slice(0, because.index) : text;
  const reason = because ? text.slice(because.index + because[0].length).trim() : '';
  const { rest, duration } = takeDuration(head.trim(), now, timeZoneOffsetMinutes);
  if (duration === 'invalid')
    return { kind: 'invalid', problem: 'badDuration', message: 'I could not read the duration. Try for example "for 2h" or "for 90m".' };
  const self = SELF.exec(rest);
  const app = self ? null : APP.exec(rest);
  const groups = self?.groups ?? app?.groups;
  if (!groups)
    return {
      kind: 'invalid',
      problem: 'syntax',
      message: `Say for example ${EXAMPLE}, or "grant Power Platform contributor to app <name or appId> on <scope> for 2h".`,
    };
  const role = unquote(groups['role'] ?? '');
  const scopeText = groups['scope'] === undefined ? undefined : unquote(trimEndPunctuation(groups['scope']));
  const scope = scopeText === undefined ? undefined : parseScope(scopeText);
  if (role.length > MAX_NAME) return { kind: 'invalid', problem: 'whichRole', message: 'Which role? For example "Power Platform contributor".' };
  if (scopeText !== undefined && !scope)
    return { kind: 'invalid', problem: 'whichScope', message: 'Which scope? Say "on tenant", "on environment group <name>" or "on <environment>".' };
  const tickets = reason ? ticketsIn(reason) : [];
  return {
    kind: 'grant',
    ...(role ? { role } : {}),
    target: app ? { kind: 'app', app: unquote(app.groups?.['app'] ?? '') } : { kind: 'me' },
    ...(scope ? { scope } : {}),
    ...(duration ? { duration } : {}),
    ...(reason ? { justification: reason } : {}),
    tickets,
  };
}

function takeDuration(head: string, now: Date, offset: number): { rest: string; duration?: { minutes: number; source: string } | 'invalid' } {
  const match = /\s(?:for|until|till)\s+(?<words>\S+(?:\s+\S+){0,5})$/i.exec(head);
  if (!match?.groups) return { rest: head };
  const isUntil = /^\s(?:until|till)/i.test(match[0]);
  const words = (isUntil ? ['until', ...match.groups['words']!.split(/\s+/)] : match.groups['words']!.split(/\s+/)).slice(0, 6);
  const read = readLeadingDuration(words, now, offset);
  if (!read || read.count !== words.length) return /^\s(?:for|until|till)\s+\d/i.test(match[0]) ? { rest: head, duration: 'invalid' } : { rest: head };
  return { rest: head.slice(0, match.index).trim(), duration: { minutes: read.minutes, source: read.source } };
}

function parseScope(text: string): ScopeText | undefined {
  const value = text.trim();
  if (/^(?:the\s+)?tenant$/i.test(value)) return { kind: 'tenant' };
  const group = /^(?:the\s+)?(?:environment\s+group|env\s+group|group)\s+(?<name>.+)$/i.exec(value);
  if (group?.groups?.['name']) return { kind: 'environmentGroup', name: unquote(group.groups['name']) };
  const env = /^(?:the\s+)?environment\s+(?<name>.+)$/i.exec(value);
  const name = unquote(env?.groups?.['name'] ?? value);
  if (!name || name.length > MAX_NAME) return undefined;
  return { kind: 'environment', name };
}

/** Ticket ids in a justification (trailing ones and dashed ids anywhere). */
export function ticketsIn(reason: string): string[] {
  const found = new Set<string>(splitTrailingTickets(reason).tickets);
  for (const word of reason.split(/\s+/)) {
    const id = ticketId(trimEndPunctuation(word), 'dashed');
    if (id) found.add(id);
  }
  return [...found];
}

function unquote(text: string): string {
  return text
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .trim();
}
