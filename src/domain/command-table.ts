/**
 * Every command Elevate understands, in one table: the parser reads its words, the help card lists
 * its entries, and the chat routes read where each may be used. A command added here is parsed and
 * listed; one missing from here is neither, so `help` cannot drift from what the parser accepts.
 */

/** Where a command is answered: a 1:1 chat only (it shows or changes one person's elevations), a team channel, or anywhere. */
export type CommandPlace = 'personal' | 'channel' | 'any';
/** Who may use it: everyone, or members of the security team's group (checked by the handler). */
export type CommandAudience = 'everyone' | 'securityTeam';

export type CommandId = 'elevate' | 'status' | 'retry' | 'deactivate' | 'help' | 'audit' | 'auditAnchor' | 'notifyHere' | 'approvalsHere';

export interface CommandEntry {
  id: CommandId;
  /** What to type, with placeholders in angle brackets and options in square brackets (command words stay English). */
  syntax: string;
  /** A complete example of the syntax. */
  example: string;
  place: CommandPlace;
  audience: CommandAudience;
  /**
   * Whole messages that mean this command (lower case, after mentions and end punctuation are
   * removed), beside the English syntax: other languages' own words among them.
   */
  phrases: readonly string[];
}

export const COMMAND_TABLE: readonly CommandEntry[] = [
  {
    id: 'elevate',
    syntax: 'elevate me in <environment> [as <role>] [for <duration>] [because <text>]',
    example: 'elevate me in Contoso Prod as power platform for 2h because INC0012345 fix a broken flow',
    place: 'personal',
    audience: 'everyone',
    // Parsed by its grammar (command.ts), not as a whole phrase.
    phrases: [],
  },
  { id: 'status', syntax: 'status', example: 'status', place: 'personal', audience: 'everyone', phrases: ['status'] },
  { id: 'retry', syntax: 'retry', example: 'retry', place: 'personal', audience: 'everyone', phrases: ['retry', 'try again'] },
  {
    id: 'deactivate',
    syntax: 'deactivate',
    example: 'deactivate',
    place: 'personal',
    audience: 'everyone',
    phrases: ['deactivate', 'deactivate me'],
  },
  { id: 'help', syntax: 'help', example: 'help', place: 'any', audience: 'everyone', phrases: ['help', '?', 'commands', 'hi', 'hello', 'hey'] },
  {
    id: 'audit',
    syntax: 'audit [24h|7d] [<user object id>]',
    example: 'audit 7d',
    place: 'personal',
    audience: 'securityTeam',
    // Parsed with its options (command.ts).
    phrases: [],
  },
  { id: 'auditAnchor', syntax: 'audit anchor', example: 'audit anchor', place: 'personal', audience: 'securityTeam', phrases: ['audit anchor'] },
  {
    id: 'notifyHere',
    syntax: '@Elevate notify here',
    example: '@Elevate notify here',
    place: 'channel',
    audience: 'securityTeam',
    phrases: ['notify here'],
  },
  {
    id: 'approvalsHere',
    syntax: '@Elevate approvals here',
    example: '@Elevate approvals here',
    place: 'channel',
    audience: 'securityTeam',
    phrases: ['approvals here'],
  },
];

/** The table's entry for a command id. */
export function commandEntry(id: CommandId): CommandEntry {
  const entry = COMMAND_TABLE.find((e) => e.id === id);
  if (!entry) throw new Error(`no command ${id}`);
  return entry;
}
