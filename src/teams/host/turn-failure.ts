import { randomUUID } from 'node:crypto';
import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { SignInRequiredError, StepUpRequiredError } from '../../domain/errors.js';
import { messageCard } from '../cards/elevation-cards.js';
import type { TeamsServices } from '../services.js';

/**
 * Logs a failed turn with its ids and shows the user a clear card, never a stack trace; a session
 * problem forgets the user's session and asks them to sign in again. Never throws.
 */
export async function tellTurnFailure(services: TeamsServices, context: TurnContext, error: unknown): Promise<void> {
  const { id, type, name } = context.activity;
  const errorId = randomUUID();
  services.logger.error({ err: error, errorId, activityId: id, activityType: type, invoke: name }, 'turn failed');
  const sessionProblem = error instanceof SignInRequiredError || error instanceof StepUpRequiredError;
  if (sessionProblem && context.activity.from?.aadObjectId) services.elevation.tokens.forget(context.activity.from.aadObjectId);
  const card = messageCard({
    title: sessionProblem ? 'Please sign in again' : 'Something went wrong',
    text: sessionProblem
      ? 'Your sign-in expired or needs to be renewed. Send your request again and sign in when asked.'
      : `Elevate could not finish this step. Nothing was changed that you were not told about. Reference: ${errorId}`,
  });
  try {
    if (type === ActivityTypes.Invoke) {
      const body = name === 'adaptiveCard/action' ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } : undefined;
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: body ? 200 : 500, body } });
    } else {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    }
  } catch (sendError) {
    services.logger.error({ err: sendError, errorId }, 'could not tell the user about the failure');
  }
}
