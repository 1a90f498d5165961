import { randomUUID } from 'node:crypto';
import { SignInRequiredError, StepUpRequiredError } from '../../domain/errors.js';
import { messageCard } from '../cards/elevation-cards.js';
import type { TeamsServices } from '../services.js';
import type { Turn } from '../turn.js';
import { ADAPTIVE_CARD } from './card-action-support.js';
import { textsFor } from '../locale/texts.js';

/**
 * Logs a failed turn with its ids and shows the user a clear card, never a stack trace; a session
 * problem forgets the user's session and asks them to sign in again. Never throws.
 */
export async function tellTurnFailure(services: TeamsServices, turn: Turn, error: unknown): Promise<void> {
  const errorId = randomUUID();
  services.logger.error({ err: error, errorId, activityId: turn.activityId, activityType: turn.type, invoke: turn.name }, 'turn failed');
  const sessionProblem = error instanceof SignInRequiredError || error instanceof StepUpRequiredError;
  if (sessionProblem && turn.from.aadObjectId) services.elevation.tokens.forget(turn.from.aadObjectId);
  const texts = textsFor(turn.chat);
  const c = texts.c.chat;
  const card = messageCard({
    title: sessionProblem ? c.signInAgain : c.somethingWrong,
    text: sessionProblem ? c.sessionRenew : texts.fill(c.somethingWrongText, { id: errorId }),
  });
  try {
    if (turn.type === 'invoke') {
      // A card action shows the card in place of the tapped one; any other invoke gets a plain 500.
      if (turn.name === 'adaptiveCard/action') await turn.respond(200, { statusCode: 200, type: ADAPTIVE_CARD, value: card });
      else await turn.respond(500);
    } else {
      await turn.send({ card });
    }
  } catch (sendError) {
    services.logger.error({ err: sendError, errorId }, 'could not tell the user about the failure');
  }
}
