import template from '../../../adaptive-cards/help-card.json';
import { COMMAND_TABLE, type CommandAudience, type CommandEntry, type CommandId } from '../../domain/command-table.js';
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

/** What each command does, as `help` says it; the syntax and example come from the command table. */
const DESCRIPTIONS: Readonly<Record<CommandId, string>> = {
  elevate:
    'Asks for role, duration and justification on a card (prefilled with what you typed), then activates your PIM role and makes you System Administrator.',
  status: 'Your active and pending elevations, and when they end.',
  retry: 'Continues your latest failed elevation; never activates the role twice.',
  deactivate: 'Ends your active elevation now: PIM deactivation and System Administrator clean-up.',
  help: 'This list.',
  audit: 'In a 1:1 chat: recent audit events, for the last 24 hours or 7 days, or of one user.',
  auditAnchor: 'In a 1:1 chat: verifies the audit log now and posts its anchor to the security channel.',
  notifyHere: 'In a team channel: Elevate posts every elevation and failure in this channel.',
  approvalsHere: 'In a team channel: approval cards of requests that need approval are posted here.',
};

const HEADINGS: Readonly<Record<CommandAudience, string>> = {
  everyone: 'Commands',
  securityTeam: 'For the security team',
};

/** The commands `help` lists, in the command table's order: every entry of the table. */
export const HELP_COMMANDS: readonly HelpCommand[] = COMMAND_TABLE.map((entry: CommandEntry) => ({
  id: entry.id,
  syntax: entry.syntax,
  description: DESCRIPTIONS[entry.id],
  example: entry.example,
}));

interface HelpCardView {
  sections: { heading: string; commands: Omit<HelpCommand, 'id'>[] }[];
}

const compiled = compileCard<HelpCardView>('help-card', template);

/** The command reference (grouped by who may use it) and what Elevate does with the user's identity. */
export function renderHelpCard(data: HelpCardData = {}): AdaptiveCard {
  const mention = `@${clip(data.botName?.trim() || 'Elevate', 60)}`;
  const audiences: CommandAudience[] = ['everyone', 'securityTeam'];
  const sections = audiences.map((audience) => ({
    heading: HEADINGS[audience],
    commands: COMMAND_TABLE.filter((entry) => entry.audience === audience).map((entry) => ({
      syntax: entry.syntax.replace('@Elevate', mention),
      description: DESCRIPTIONS[entry.id],
      example: entry.example.replace('@Elevate', mention),
    })),
  }));
  return compiled.expand({ sections: sections.filter((s) => s.commands.length > 0) });
}
