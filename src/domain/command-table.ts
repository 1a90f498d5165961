/**
 * Every command Elevate understands, in one table: the parser reads its words, the help card lists
 * its entries, and the chat routes read where each may be used. A command added here is parsed and
 * listed; one missing from here is neither, so `help` cannot drift from what the parser accepts.
 */

/** Where a command is answered: a 1:1 chat only (it shows or changes one person's elevations), a team channel, or anywhere. */
export type CommandPlace = 'personal' | 'channel' | 'any';
/** Who may use it: everyone, members of the policy's on-call groups, or members of the security team's group (checked by the handler). */
export type CommandAudience = 'everyone' | 'onCall' | 'securityTeam';

export type CommandId =
  | 'elevate'
  | 'breakGlass'
  | 'schedule'
  | 'move'
  | 'grant'
  | 'status'
  | 'retry'
  | 'deactivate'
  | 'extend'
  | 'help'
  | 'audit'
  | 'auditElevation'
  | 'auditAnchor'
  | 'notifyHere'
  | 'approvalsHere'
  | 'inventory'
  | 'sweep';

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
  /**
   * The same command in German and French, as `help` shows it to readers of that language; the parser
   * accepts these words beside the English ones (command words stay English everywhere).
   */
  localized: Readonly<Record<CommandLanguage, readonly string[]>>;
}

/** Languages whose own command words Elevate accepts besides English. */
export type CommandLanguage = 'de' | 'fr';

/** First words of `elevate me in`, and the words for "me" and "in", in each language (lower case, as typed or without accents). */
export const ELEVATE_WORDS: ReadonlySet<string> = new Set(['elevate', 'erhöhe', 'erhohe', 'erhöhen', 'erhohen', 'élève', 'eleve', 'élever', 'elever']);
export const ME_WORDS: ReadonlySet<string> = new Set(['me', 'myself', 'mich', 'moi']);
export const IN_WORDS: ReadonlySet<string> = new Set(['in', 'into', 'dans']);

export const COMMAND_TABLE: readonly CommandEntry[] = [
  {
    id: 'elevate',
    syntax: 'elevate me in <environment> [as <role>] [for <duration>] [because <text>]',
    example: 'elevate me in Contoso Prod as power platform for 2h because INC0012345 fix a broken flow',
    place: 'personal',
    audience: 'everyone',
    // Parsed by its grammar (command.ts) with ELEVATE_WORDS, ME_WORDS and IN_WORDS, not as a whole phrase.
    phrases: [],
    localized: { de: ['erhöhe mich in <Umgebung>'], fr: ['élève-moi dans <environnement>'] },
  },
  {
    id: 'breakGlass',
    syntax: 'elevate me in <environment> now because <incident>',
    example: 'elevate me in Contoso Prod now because INC0012345 payments flow down',
    place: 'personal',
    audience: 'onCall',
    // Parsed by the elevate grammar (command.ts): `now` (`jetzt`, `maintenant`) before a clause or at the end.
    phrases: [],
    localized: { de: ['erhöhe mich in <Umgebung> jetzt because <Vorfall>'], fr: ['élève-moi dans <environnement> maintenant because <incident>'] },
  },
  {
    id: 'schedule',
    syntax: 'elevate me in <environment> tomorrow 22:00 | at <time> | <weekday> <time> | from <time> to <time> [for <duration>] because <text>',
    example: 'elevate me in Contoso Prod tomorrow 22:00 for 3h because CHG-88 release',
    place: 'personal',
    audience: 'everyone',
    // Parsed by the elevate grammar (command.ts, start-time.ts), in the requester's own time zone.
    phrases: [],
    localized: { de: ['erhöhe mich in <Umgebung> morgen 22:00'], fr: ['élève-moi dans <environnement> demain 22:00'] },
  },
  {
    id: 'move',
    syntax: 'move to <time>',
    example: 'move to tomorrow 23:00',
    place: 'personal',
    audience: 'everyone',
    // Parsed with its time (command.ts): moves the requester's next scheduled elevation that has not started.
    phrases: [],
    localized: { de: [], fr: [] },
  },
  {
    id: 'grant',
    syntax: 'grant me <role> on <tenant | environment group <name> | <environment>> for <duration> because <text>; grant <role> to app <name or app id> on …',
    example: 'grant me Power Platform contributor on environment group Finance for 4h because CHG-7',
    place: 'personal',
    audience: 'everyone',
    // Parsed by its grammar (grant-command.ts); the words stay English in every language.
    phrases: [],
    localized: { de: ['grant me <Rolle> on tenant for 2h because CHG-7'], fr: ['grant me <rôle> on tenant for 2h because CHG-7'] },
  },
  {
    id: 'status',
    syntax: 'status',
    example: 'status',
    place: 'personal',
    audience: 'everyone',
    phrases: ['status', 'statut', 'état', 'etat'],
    localized: { de: ['status'], fr: ['statut', 'état'] },
  },
  {
    id: 'retry',
    syntax: 'retry',
    example: 'retry',
    place: 'personal',
    audience: 'everyone',
    phrases: ['retry', 'try again', 'erneut versuchen', 'réessayer', 'reessayer'],
    localized: { de: ['erneut versuchen'], fr: ['réessayer'] },
  },
  {
    id: 'deactivate',
    syntax: 'deactivate',
    example: 'deactivate',
    place: 'personal',
    audience: 'everyone',
    phrases: ['deactivate', 'deactivate me', 'deaktivieren', 'deaktiviere mich', 'désactiver', 'desactiver', 'désactive moi', 'desactive moi'],
    localized: { de: ['deaktivieren'], fr: ['désactiver'] },
  },
  {
    id: 'extend',
    syntax: 'extend [by <duration>] [because <text>]',
    example: 'extend by 1h because INC0012345 still restoring',
    place: 'personal',
    audience: 'everyone',
    // Parsed by its grammar (extend-command.ts) with EXTEND_WORDS, not as a whole phrase.
    phrases: [],
    localized: { de: ['verlängern um 1h'], fr: ['prolonger de 1h'] },
  },
  {
    id: 'help',
    syntax: 'help',
    example: 'help',
    place: 'any',
    audience: 'everyone',
    // A message that starts with one of these words (a greeting, a question) is answered with help.
    phrases: ['help', '?', 'commands', 'hi', 'hello', 'hey', 'hilfe', 'hallo', 'befehle', 'aide', 'bonjour', 'commandes'],
    localized: { de: ['hilfe'], fr: ['aide'] },
  },
  {
    id: 'audit',
    syntax: 'audit [24h|7d] [<user object id>]',
    example: 'audit 7d',
    place: 'personal',
    audience: 'securityTeam',
    // Parsed with its options (command.ts).
    phrases: [],
    localized: { de: [], fr: [] },
  },
  {
    id: 'auditElevation',
    syntax: 'audit <elevation id>',
    example: 'audit 6f1c2a9e-4b7d-4e0a-9c3f-2d8e5b7a1c40',
    place: 'personal',
    audience: 'securityTeam',
    // Parsed with `audit` (command.ts): an id without a period; an id that is no elevation's is read as a user's.
    phrases: [],
    localized: { de: [], fr: [] },
  },
  {
    id: 'auditAnchor',
    syntax: 'audit anchor',
    example: 'audit anchor',
    place: 'personal',
    audience: 'securityTeam',
    phrases: ['audit anchor'],
    localized: { de: [], fr: [] },
  },
  {
    id: 'notifyHere',
    syntax: '@Elevate notify here',
    example: '@Elevate notify here',
    place: 'channel',
    audience: 'securityTeam',
    phrases: ['notify here'],
    localized: { de: [], fr: [] },
  },
  {
    id: 'approvalsHere',
    syntax: '@Elevate approvals here',
    example: '@Elevate approvals here',
    place: 'channel',
    audience: 'securityTeam',
    phrases: ['approvals here'],
    localized: { de: [], fr: [] },
  },
  {
    id: 'inventory',
    syntax: 'inventory [<environment>|all]',
    example: 'inventory all',
    // 1:1, or the security notifications channel (checked by the handler).
    place: 'any',
    audience: 'securityTeam',
    // Parsed with its scope (command.ts).
    phrases: [],
    localized: { de: [], fr: [] },
  },
  {
    id: 'sweep',
    syntax: 'sweep [<environment>|all]',
    example: 'sweep Contoso UAT',
    place: 'any',
    audience: 'securityTeam',
    phrases: [],
    localized: { de: [], fr: [] },
  },
];

/** The table's entry for a command id. */
export function commandEntry(id: CommandId): CommandEntry {
  const entry = COMMAND_TABLE.find((e) => e.id === id);
  if (!entry) throw new Error(`no command ${id}`);
  return entry;
}
