import template from '../../../adaptive-cards/help-card.json';
import { COMMAND_TABLE, type CommandAudience, type CommandEntry, type CommandId } from '../../domain/command-table.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { clip } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';

export interface HelpCommand {
  id: CommandId;
  syntax: string;
  description: string;
  example: string;
}

export interface HelpCardData {
  /** The name people @mention in channels (the manifest's short name); "Elevate" by default. */
  botName?: string;
}

/** Where each command's description is in the catalogues; the syntax and example come from the command table. */
const DESCRIPTIONS: Readonly<Record<CommandId, keyof Catalogue['help']>> = {
  elevate: 'elevate',
  breakGlass: 'breakGlass',
  schedule: 'schedule',
  move: 'move',
  grant: 'grant',
  status: 'status',
  retry: 'retry',
  deactivate: 'deactivate',
  extend: 'extend',
  help: 'helpItself',
  audit: 'audit',
  auditElevation: 'auditElevation',
  auditAnchor: 'auditAnchor',
  notifyHere: 'notifyHere',
  approvalsHere: 'approvalsHere',
  inventory: 'inventory',
  sweep: 'sweep',
};

/** The commands `help` lists, in the command table's order: every entry of the table. */
export function helpCommands(texts: Texts = ENGLISH): HelpCommand[] {
  return COMMAND_TABLE.map((entry: CommandEntry) => ({
    id: entry.id,
    syntax: entry.syntax,
    description: texts.c.help[DESCRIPTIONS[entry.id]],
    example: entry.example,
  }));
}

/** English, for callers that list the commands outside a card. */
export const HELP_COMMANDS: readonly HelpCommand[] = helpCommands();

interface HelpCardView {
  t: Catalogue;
  sections: { heading: string; commands: Omit<HelpCommand, 'id'>[] }[];
  hasLanguageNote: boolean;
  languageNote: string;
}

const compiled = compileCard<HelpCardView>('help-card', template);

/** The command reference (grouped by who may use it) and what Elevate does with the user's identity. */
export function renderHelpCard(data: HelpCardData = {}, texts: Texts = ENGLISH): AdaptiveCard {
  const mention = `@${clip(data.botName?.trim() || 'Elevate', 60)}`;
  const audiences: CommandAudience[] = ['everyone', 'onCall', 'securityTeam'];
  const sections = audiences.map((audience) => ({
    heading: texts.c.help[audience],
    commands: COMMAND_TABLE.filter((entry) => entry.audience === audience).map((entry) => ({
      syntax: entry.syntax.replace('@Elevate', mention),
      description: texts.c.help[DESCRIPTIONS[entry.id]],
      example: entry.example.replace('@Elevate', mention),
    })),
  }));
  const local = texts.language === 'en' ? [] : COMMAND_TABLE.flatMap((entry) => entry.localized[texts.language as 'de' | 'fr'].slice(0, 1));
  return compiled.expand({
    t: texts.c,
    sections: sections.filter((s) => s.commands.length > 0),
    hasLanguageNote: local.length > 0,
    languageNote: texts.fill(texts.c.help.languages, { words: local.join('", "') }),
  });
}
