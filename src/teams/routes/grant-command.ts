import { typedInFull, type GrantCommand } from '../../domain/grant-command.js';
import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import { requestGrant, type GrantRequestOutcome } from '../../use-cases/grants/request-grant.js';
import { rememberRequesterCard } from '../../use-cases/grants/requester-card.js';
import { refusalText } from './grant-refusals.js';
import { askOnCard, grantRequestCard, refusalOnCard } from './grant-request.js';
import { ENGLISH, textsFor, type Texts } from '../locale/texts.js';
import { deactivateGrant, listGrants, type DeactivateGrantOutcome } from '../../use-cases/grants/grant-status.js';
import { grantCard, grantStatusCard } from '../cards/grant-cards.js';
import { renderMessageCard } from '../cards/message-card.js';
import type { AdaptiveCard } from '../cards/render.js';
import { VERBS } from '../cards/verbs.js';
import type { TeamsServices } from '../services.js';
import { turnUser, type Turn } from '../turn.js';

export function grantOutcomeCard(outcome: GrantRequestOutcome, texts: Texts = ENGLISH): AdaptiveCard {
  if (outcome.kind !== 'refused') return grantCard(outcome.grant, texts);
  return renderMessageCard({
    title: texts.c.grant.notGranted,
    text: refusalText(outcome.reason, outcome.detail, texts),
    items: outcome.options ?? [],
    tone: 'attention',
  });
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
  const messageId = await turn.send({ card: grantOutcomeCard(outcome, textsFor(turn.chat)) });
  if (messageId && outcome.kind !== 'refused') await rememberRequesterCard(services.grants, outcome.grant, messageId);
}

/** `status`, after the elevations: the requester's grants, when there are any. */
export async function sendGrantStatus(services: TeamsServices, turn: Turn, aadObjectId: string): Promise<void> {
  const grants = await listGrants(services.grants, aadObjectId);
  if (grants.length > 0) await turn.send({ card: grantStatusCard(grants, textsFor(turn.chat)) });
}

export function deactivationOutcomeCard(outcome: DeactivateGrantOutcome, texts: Texts = ENGLISH): AdaptiveCard {
  const g = texts.c.grant;
  switch (outcome.kind) {
    case 'ended':
      return grantCard(outcome.grant, texts);
    case 'choose':
      return renderMessageCard({
        title: g.chooseTitle,
        text: g.chooseText,
        buttons: outcome.grants.slice(0, 5).map((grant: RbacGrantRecord) => ({
          title: texts.fill(g.choice, { role: grant.role.name, scope: grant.scope.displayName }),
          verb: VERBS.deactivate,
          data: { requestId: grant.id },
        })),
      });
    case 'removalFailed':
      return renderMessageCard({ title: g.notRemovedTitle, text: g.notRemovedText, tone: 'warning' });
    case 'notYours':
      return renderMessageCard({ title: texts.c.chat.refused, text: g.onlyRequesterEnds, tone: 'attention' });
    case 'notActive':
      return outcome.grant ? grantCard(outcome.grant, texts) : renderMessageCard({ title: g.nothingToEnd, text: g.grantGone });
    case 'none':
      return renderMessageCard({ title: g.nothingToDeactivate, text: g.nothingActive });
  }
}

/** `deactivate` when no elevation is active: the requester's active grant (or a choice between them). */
export async function deactivateGrantCommand(services: TeamsServices, turn: Turn, aadObjectId: string): Promise<void> {
  await turn.send({ card: deactivationOutcomeCard(await deactivateGrant(services.grants, aadObjectId), textsFor(turn.chat)) });
}
