import template from '../../../adaptive-cards/help-card.json';
import { clip } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';

export interface HelpCommand {
  syntax: string;
  description: string;
  example: string;
}

export interface HelpCardData {
  /** The name people @mention in channels (the manifest's short name); "Elevate" by default. */
  botName?: string;
}

/** What `help` lists; the manifest's command lists name the same commands. */
export const HELP_COMMANDS: readonly HelpCommand[] = [
  {
    syntax: 'elevate me in <environment> [as <role>] [for <duration>] [because <text>]',
    description:
      'Asks for role, duration and justification on a card (prefilled with what you typed), then activates your PIM role and makes you System Administrator.',
    example: 'elevate me in Contoso Prod as power platform for 2h because INC0012345 fix a broken flow',
  },
  { syntax: 'status', description: 'Your active and pending elevations, and when they end.', example: 'status' },
  { syntax: 'help', description: 'This list.', example: 'help' },
  {
    syntax: '@Elevate notify here',
    description: 'In a team channel, for members of the security team: Elevate posts every elevation and failure in this channel.',
    example: '@Elevate notify here',
  },
  {
    syntax: '@Elevate approvals here',
    description: 'In a team channel, for members of the security team: approval cards of requests that need approval are posted here.',
    example: '@Elevate approvals here',
  },
];

interface HelpCardView {
  commands: HelpCommand[];
}

const compiled = compileCard<HelpCardView>('help-card', template);

/** The command reference and what Elevate does with the user's identity. */
export function renderHelpCard(data: HelpCardData = {}): AdaptiveCard {
  const mention = `@${clip(data.botName?.trim() || 'Elevate', 60)}`;
  const commands = HELP_COMMANDS.map((command) => ({
    syntax: command.syntax.replace('@Elevate', mention),
    description: command.description,
    example: command.example.replace('@Elevate', mention),
  }));
  return compiled.expand({ commands });
}
