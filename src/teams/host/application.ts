import { Application } from '@microsoft/teams-ai/lib/Application';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import { ActivityEventNames, ActivityTypes, type TurnContext } from 'botbuilder';
import { CARD_ACTIONS, SHARED_CARD_VERBS, withoutRefresh } from '../routes/card-actions.js';
import { answerUnknownAction, answerWithCard, type CardData } from '../routes/card-action-support.js';
import { onMessage } from '../routes/messages.js';
import { onTokenExchange, onVerifyState } from '../routes/sign-in.js';
import { tellTurnFailure } from '../routes/turn-failure.js';
import type { TeamsServices } from '../services.js';
import { teamsTurn } from './teams-turn.js';
import { judgeTurn } from './turn-gate.js';

const isInvoke = (name: string) => async (context: TurnContext) => context.activity.type === ActivityTypes.Invoke && context.activity.name === name;

/**
 * The teams-ai Application: the turn gate, then each route with the turn in Elevate's terms
 * (`teamsTurn`), and one error boundary per turn. The only place routes meet teams-ai.
 */
export function createApp(services: TeamsServices, adapter: unknown): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter: adapter as never,
    botAppId: services.botId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  // Only Teams, only Elevate's tenant, only the Teams user who signed in (turn-gate.ts): anything else
  // is dropped before any route runs.
  app.turn('beforeTurn', async (context) => {
    const oid = context.activity.from?.aadObjectId;
    const bound = oid ? await services.signIn.boundTeamsUserId(oid) : undefined;
    const verdict = judgeTurn({ activity: context.activity, tenantId: services.tenantId, boundTeamsUserId: () => bound });
    if (verdict.ok) return true;
    const { channelId, type, conversation, channelData } = context.activity;
    const tenant = conversation?.tenantId ?? (channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    services.logger.warn(
      { event: 'turnRefused', reason: verdict.reason, channelId, tenant, activityType: type },
      'activity ignored: not from Teams in this tenant, or not the signed-in Teams user',
    );
    // An invoke needs an answer; without one botbuilder answers 501 as if Elevate had no handler.
    if (type === ActivityTypes.Invoke) await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403 } });
    return false;
  });
  app.addRoute(isInvoke('signin/tokenExchange'), (context) => onTokenExchange(services, teamsTurn(context)), true);
  app.addRoute(isInvoke('signin/verifyState'), (context) => onVerifyState(teamsTurn(context)), true);
  // Universal Actions (`Action.Execute`): one handler per verb; each re-validates on the server.
  for (const [verb, handler] of Object.entries(CARD_ACTIONS)) {
    app.adaptiveCards.actionExecute<CardData>(verb, async (context, _state, data) => {
      const turn = teamsTurn(context);
      await services.conversations.remember(turn.chat);
      const card = await handler(services, turn, data ?? {});
      if (SHARED_CARD_VERBS.has(verb)) return withoutRefresh(card);
      // The requester's own 1:1 card keeps its `refresh`: answered here, so teams-ai leaves it alone.
      await answerWithCard(turn, card);
      return card;
    });
  }
  // Registered last: only taps no verb above took.
  app.addRoute(isInvoke('adaptiveCard/action'), (context) => answerUnknownAction(services, teamsTurn(context)), true);
  app.activity(ActivityTypes.Message, (context) => onMessage(services, teamsTurn(context)));
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
  await tellTurnFailure(services, teamsTurn(context), error);
}
