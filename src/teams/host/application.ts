import { Application, type TurnState } from '@microsoft/teams-ai';
import { ActivityEventNames, ActivityTypes, type TurnContext } from 'botbuilder';
import { registerCardActions } from '../routes/card-actions.js';
import { registerMessageRoutes } from '../routes/messages.js';
import { registerSignInRoutes } from '../routes/sign-in.js';
import type { TeamsServices } from '../services.js';
import { tellTurnFailure } from './turn-failure.js';
import { judgeTurn } from './turn-gate.js';
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
  // Only Teams, only Elevate's tenant, only the Teams user who signed in (turn-gate.ts): anything else
  // is dropped before any route runs.
  app.turn('beforeTurn', async (context) => {
    const verdict = judgeTurn({
      activity: context.activity,
      tenantId: services.tenantId,
      boundTeamsUserId: (oid) => services.signIn.boundTeamsUserId(oid),
    });
    if (verdict.ok) return true;
    services.logger.warn(
      { event: 'turnRefused', reason: verdict.reason, channelId: context.activity.channelId, tenant: turnTenant(context), activityType: context.activity.type },
      'activity ignored: not from Teams in this tenant, or not the signed-in Teams user',
    );
    // An invoke needs an answer; without one botbuilder answers 501 as if Elevate had no handler.
    if (context.activity.type === ActivityTypes.Invoke) await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403 } });
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
  const { type, name } = context.activity;
  // A proactive turn (a card update, a channel post, a 1:1 message) has nobody to show a card to:
  // the caller must see the failure (to retry from the outbox, to log which card was not updated).
  // Replays of a user's command after sign-in catch their own failures (tellTurnFailure).
  if (type === ActivityTypes.Event && (name === ActivityEventNames.ContinueConversation || name === ActivityEventNames.CreateConversation)) throw error;
  await tellTurnFailure(services, context, error);
}
