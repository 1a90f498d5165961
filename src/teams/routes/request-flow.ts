import { groupLabel } from '../../domain/role-membership.js';
import type { SignedInUser } from '../../ports/token-broker.js';
import { capDrafts } from '../../use-cases/housekeeping.js';
import { startRequest, type RequestInput } from '../../use-cases/start-request.js';
import { elevationCard, messageCard, type AdaptiveCard } from '../cards/elevation-cards.js';
import type { TeamsServices } from '../services.js';
import type { Texts } from '../locale/texts.js';
import { VERBS } from '../cards/verbs.js';

/**
 * Runs the start of a request and renders what the requester sees next: the request card, or a
 * clear answer when there is no eligible role or the environment is unknown or ambiguous.
 * Shared by the typed command, the replay after sign-in and the suggestion buttons.
 */
export async function requestCard(services: TeamsServices, user: SignedInUser & { name: string }, input: RequestInput, texts?: Texts): Promise<AdaptiveCard> {
  const outcome = await startRequest(services.elevation, user, input);
  switch (outcome.kind) {
    case 'draft':
      // The requester's older unsubmitted requests beyond the newest few go, after the card is answered.
      services.background.run(`cap drafts of ${user.aadObjectId}`, () => capDrafts(services.elevation, user.aadObjectId));
      return elevationCard(outcome.record, {
        activationWindowMinutes: services.elevation.settings.approvalActivationWindowMinutes,
        ...(texts ? { texts } : {}),
      });
    case 'noEligibleRole':
      return messageCard({
        title: 'No eligible administrator role',
        text:
          'You are not eligible in Privileged Identity Management for any role that grants System Administrator in Power Platform environments ' +
          '(Global, Power Platform or Dynamics 365 administrator). Ask your PIM administrator for an eligible assignment.',
      });
    case 'groupOnly':
      return messageCard({
        title: 'Your administrator role comes through a group',
        text:
          outcome.roles.map((r) => `${r.roleName}: through ${r.groups.map(groupLabel).join(', ')}.`).join(' ') +
          ' Power Platform does not honour administrator roles that come through groups, so activating it would never make you System Administrator; nothing was activated. ' +
          `Ask your PIM administrator for a direct eligible assignment of ${outcome.roles.map((r) => r.roleName).join(' or ')} to you.`,
        tone: 'warning',
      });
    case 'noDataverse':
      return messageCard({
        title: `${outcome.environment.displayName} has no Dataverse database`,
        text: 'System Administrator is a Dataverse security role, so there is nothing to elevate to in this environment. Nothing was activated.',
      });
    case 'cannotUndo':
      return messageCard({
        title: `Elevate cannot elevate you in ${outcome.environment.displayName}`,
        text:
          'Elevate has no application user in this environment, so it could not remove System Administrator when the elevation ends, and the Elevate policy refuses elevations it could not undo here. ' +
          "Ask an administrator to add Elevate's application user to the environment (README, Deploying to a real tenant). Nothing was activated.",
        tone: 'warning',
      });
    case 'unknownEnvironment':
      return messageCard({
        title: `I could not find "${input.environment}"`,
        text:
          outcome.suggestions.length > 0
            ? 'Did you mean one of these environments?'
            : 'No Power Platform environment you may elevate in has that name. Check the name in the Power Platform admin center.',
        buttons: outcome.suggestions.map((env) => ({ title: env.displayName, verb: VERBS.start, data: { environmentId: env.id, ...carry(input) } })),
      });
    case 'ambiguousEnvironment':
      return messageCard({
        title: `"${input.environment}" matches several environments`,
        text: 'Which one do you mean?',
        buttons: outcome.candidates.map((env) => ({ title: env.displayName, verb: VERBS.start, data: { environmentId: env.id, ...carry(input) } })),
      });
  }
}

/** Keeps what the user typed on suggestion buttons, so choosing an environment loses nothing. */
function carry(input: RequestInput): Record<string, string | number> {
  const kept: Record<string, string | number> = {};
  if (input.roleId) kept.roleId = input.roleId;
  if (input.durationMinutes !== undefined) kept.durationMinutes = input.durationMinutes;
  if (input.justification) kept.justification = input.justification;
  if (input.ticketNumber) kept.ticketNumber = input.ticketNumber;
  return kept;
}
