import { Application, type TurnState } from '@microsoft/teams-ai';
import { ActivityEventNames, ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { SignInRequiredError, StepUpRequiredError } from '../domain/errors.js';
import { messageCard } from './elevation-cards.js';
import { registerCardActions } from './routes/card-actions.js';
import { registerMessageRoutes } from './routes/messages.js';
import { registerSignInRoutes } from './routes/sign-in.js';
import type { TeamsServices } from './services.js';
import { turnTenant } from './turn-user.js';

/** The teams-ai Application with Elevate's routes and one error boundary per turn. */
export function createApp(services: TeamsServices): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter: services.adapter as never,
    botAppId: services.botId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  // Elevate serves one tenant: activities from any other tenant are dropped before any route runs
  // (a multi-tenant bot registration can be messaged from elsewhere).
  app.turn('beforeTurn', async (context) => {
    const tenant = turnTenant(context);
    if (tenant === services.tenantId) return true;
    services.logger.warn({ tenant, activityType: context.activity.type }, 'activity from another tenant ignored');
    return false;
  });
  registerSignInRoutes(app, services);
  registerCardActions(app, services);
  registerMessageRoutes(app, services);
  app.error(async (context, error) => onTurnError(services, context, error));
  return app;
}

/** Logs the failure with its ids and shows the user a clear card, never a stack trace. */
async function onTurnError(services: TeamsServices, context: TurnContext, error: Error): Promise<void> {
  const { id, type, name } = context.activity;
  // A proactive turn (a card update, a channel post, a 1:1 message) has nobody to show a card to:
  // the caller must see the failure (to retry from the outbox, to log which card was not updated).
  if (type === ActivityTypes.Event && (name === ActivityEventNames.ContinueConversation || name === ActivityEventNames.CreateConversation)) throw error;
  const errorId = randomUUID();
  services.logger.error({ err: error, errorId, activityId: id, activityType: type, invoke: name }, 'turn failed');
  const sessionProblem = error instanceof SignInRequiredError || error instanceof StepUpRequiredError;
  if (sessionProblem && context.activity.from.aadObjectId) services.elevation.tokens.forget(context.activity.from.aadObjectId);
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
