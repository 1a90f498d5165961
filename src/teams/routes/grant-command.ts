import { typedInFull, type GrantCommand } from '../../domain/grant-command.js';
import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import { requestGrant, type GrantRequestOutcome } from '../../use-cases/grants/request-grant.js';
import { REFUSALS } from './grant-refusals.js';
import { askOnCard, grantRequestCard, refusalOnCard } from './grant-request.js';
import { textsFor } from '../locale/texts.js';
import { deactivateGrant, listGrants, type DeactivateGrantOutcome } from '../../use-cases/grants/grant-status.js';
import { grantCard, grantStatusCard } from '../cards/grant-cards.js';
import { renderMessageCard } from '../cards/message-card.js';
import type { AdaptiveCard } from '../cards/render.js';
import { VERBS } from '../cards/verbs.js';
import type { TeamsServices } from '../services.js';
import { turnUser, type Turn } from '../turn.js';

export function grantOutcomeCard(outcome: GrantRequestOutcome): AdaptiveCard {
  if (outcome.kind !== 'refused') return grantCard(outcome.grant);
  return renderMessageCard({ title: 'Not granted', text: REFUSALS[outcome.reason](outcome.detail), items: outcome.options ?? [], tone: 'attention' });
}

/**
 * `grant me …` / `grant … to app …`: sign-in, then the use case; the card says what happens next.
 * A command that lacks a field, or whose duration, justification or ticket the policy refuses, gets
 * the grant request card instead (prefilled with what was typed).
 */
export async function handleGrant(services: TeamsServices, turn: Turn, command: GrantCommand): Promise<void> {
  const user = turnUser(turn);
  if (!user || !(await services.signIn.ensureSignedIn(turn, turn.text ?? ''))) return;
  if (!typedInFull(command)) {
    await turn.send({ card: await grantRequestCard(services, turn, user, command) });
    return;
  }
  const outcome = await requestGrant(services.grants, {
    requester: { aadObjectId: user.aadObjectId, name: user.name, tenantId: user.tenantId },
    command,
    userToken: services.elevation.tokens.forUser(user.aadObjectId, 'powerPlatform'),
    ...(turn.activityId ? { activityId: turn.activityId } : {}),
    conversationId: turn.chat.conversationId,
  });
  if (outcome.kind === 'refused' && askOnCard(outcome.reason)) {
    await turn.send({ card: await grantRequestCard(services, turn, user, command, refusalOnCard(outcome.reason, outcome.detail, textsFor(turn.chat))) });
    return;
  }
  await turn.send({ card: grantOutcomeCard(outcome) });
}

/** `status`, after the elevations: the requester's grants, when there are any. */
export async function sendGrantStatus(services: TeamsServices, turn: Turn, aadObjectId: string): Promise<void> {
  const grants = await listGrants(services.grants, aadObjectId);
  if (grants.length > 0) await turn.send({ card: grantStatusCard(grants) });
}

export function deactivationOutcomeCard(outcome: DeactivateGrantOutcome): AdaptiveCard {
  switch (outcome.kind) {
    case 'ended':
      return grantCard(outcome.grant);
    case 'choose':
      return renderMessageCard({
        title: 'Which grant?',
        text: 'You have several active grants: tap the one to end.',
        buttons: outcome.grants
          .slice(0, 5)
          .map((g: RbacGrantRecord) => ({ title: `${g.role.name} on ${g.scope.displayName}`, verb: VERBS.deactivate, data: { requestId: g.id } })),
      });
    case 'removalFailed':
      return renderMessageCard({
        title: 'Not removed yet',
        text: 'Power Platform did not remove the assignment; Elevate keeps trying and tells the security team if it keeps failing.',
        tone: 'warning',
      });
    case 'notYours':
      return renderMessageCard({ title: 'Refused', text: 'Only the requester can end this grant.', tone: 'attention' });
    case 'notActive':
      return outcome.grant ? grantCard(outcome.grant) : renderMessageCard({ title: 'Nothing to end', text: 'This grant no longer exists.' });
    case 'none':
      return renderMessageCard({ title: 'Nothing to deactivate', text: 'You have no active elevation and no active grant.' });
  }
}

/** `deactivate` when no elevation is active: the requester's active grant (or a choice between them). */
export async function deactivateGrantCommand(services: TeamsServices, turn: Turn, aadObjectId: string): Promise<void> {
  await turn.send({ card: deactivationOutcomeCard(await deactivateGrant(services.grants, aadObjectId)) });
}
