import { groupLabel } from '../../domain/role-membership.js';
import type { SignedInUser } from '../../ports/token-broker.js';
import { capDrafts } from '../../use-cases/housekeeping.js';
import { startRequest, type RequestInput } from '../../use-cases/start-request.js';
import { elevationCard, messageCard, type AdaptiveCard } from '../cards/elevation-cards.js';
import type { TeamsServices } from '../services.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { VERBS } from '../cards/verbs.js';
import { listFormat } from '../locale/intl-cache.js';

/**
 * Runs the start of a request and renders what the requester sees next: the request card, or a
 * clear answer when there is no eligible role or the environment is unknown or ambiguous.
 * Shared by the typed command, the replay after sign-in and the suggestion buttons.
 */
export async function requestCard(
  services: TeamsServices,
  user: SignedInUser & { name: string },
  input: RequestInput,
  texts: Texts = ENGLISH,
): Promise<AdaptiveCard> {
  const outcome = await startRequest(services.elevation, user, input);
  const c = texts.c.chat;
  switch (outcome.kind) {
    case 'draft':
      // The requester's older unsubmitted requests beyond the newest few go, after the card is answered.
      services.background.run(`cap drafts of ${user.aadObjectId}`, () => capDrafts(services.elevation, user.aadObjectId));
      return elevationCard(outcome.record, { activationWindowMinutes: services.elevation.settings.approvalActivationWindowMinutes, texts });
    case 'noEligibleRole':
      return messageCard({ title: c.noEligibleTitle, text: c.noEligibleText });
    case 'groupOnly': {
      const through = outcome.roles.map((r) => texts.fill(c.groupRole, { role: r.roleName, groups: texts.list(r.groups.map(groupLabel)) }));
      const roles = listFormat(texts.viewer.locale, { type: 'disjunction' }).format(outcome.roles.map((r) => r.roleName));
      return messageCard({ title: c.groupTitle, text: `${through.join(' ')} ${texts.fill(c.groupText, { roles })}`, tone: 'warning' });
    }
    case 'noDataverse':
      return messageCard({ title: texts.fill(c.noDataverseTitle, { environment: outcome.environment.displayName }), text: c.noDataverseText });
    case 'cannotUndo':
      return messageCard({
        title: texts.fill(c.cannotElevateTitle, { environment: outcome.environment.displayName }),
        text: c.cannotElevateText,
        tone: 'warning',
      });
    case 'unknownEnvironment':
      return messageCard({
        title: texts.fill(c.notFoundTitle, { name: input.environment }),
        text: outcome.suggestions.length > 0 ? c.didYouMean : c.noSuchEnvironment,
        buttons: outcome.suggestions.map((env) => ({ title: env.displayName, verb: VERBS.start, data: { environmentId: env.id, ...carry(input) } })),
      });
    case 'ambiguousEnvironment':
      return messageCard({
        title: texts.fill(c.ambiguousTitle, { name: input.environment }),
        text: c.whichOne,
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
