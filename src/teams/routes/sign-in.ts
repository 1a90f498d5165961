import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { TeamsServices } from '../services.js';
import { tellTurnFailure } from '../host/turn-failure.js';
import { resumeWaiting } from '../../use-cases/await-power-platform.js';
import { runCommand } from './messages.js';

const isInvoke = (name: string) => async (context: TurnContext) => context.activity.type === ActivityTypes.Invoke && context.activity.name === name;

/**
 * `signin/tokenExchange`: validate the Teams SSO token, answer at once, then replay the message that
 * started sign-in in the background (the invoke must be answered within seconds).
 * `signin/verifyState` (fallback sign-in button) is answered so Teams does not show an error; the
 * fallback link is the interactive sign-in, which continues the command itself.
 */
export function registerSignInRoutes(app: Application<TurnState>, services: TeamsServices): void {
  app.addRoute(
    isInvoke('signin/tokenExchange'),
    async (context) => {
      await services.conversations.remember(context.activity);
      const { user, pending } = await services.signIn.exchange(context);
      // Elevations that waited for this user's token (a restart, another instance) go on now.
      if (user) services.background.run('resume after sign-in', () => resumeWaiting(services.elevation, user.aadObjectId));
      if (!pending || pending.text.trim() === '') return;
      const reference = await services.conversations.find(pending.conversationId);
      if (!reference) return;
      // The turn context is revoked once the invoke is answered: keep what the replay needs.
      const from = { ...context.activity.from };
      services.background.run('replay after sign-in', () =>
        services.adapter.continueConversationAsync(services.botId, reference, async (turn) => {
          turn.activity.from = from;
          await runCommand(services, turn, pending.text).catch((error: unknown) => tellTurnFailure(services, turn, error));
        }),
      );
    },
    true,
  );
  app.addRoute(
    isInvoke('signin/verifyState'),
    async (context) => {
      // The fallback sign-in button runs Elevate's own interactive sign-in, which continues the request
      // through /auth/callback; this invoke only needs an answer so Teams does not show an error.
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
    },
    true,
  );
}
