import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../../config.js';
import { botFrameworkSettings, credentialsFactory } from './bot-framework-auth.js';
import { quietTokenExtractor } from './quiet-console.js';
import { headerProblem, refusalReason, TokenRefusedError } from './token-refusal.js';

/** The Teams adapter with real Bot Framework JWT validation (`botFrameworkSettings`). */
export class ElevateAdapter extends TeamsAdapter {
  constructor(config: Config) {
    super(botFrameworkSettings(config), credentialsFactory(config));
    quietTokenExtractor();
    const auth = this.botFrameworkAuthentication;
    const authenticateRequest = auth.authenticateRequest.bind(auth);
    const checksTokens = config.bot.id !== '';
    auth.authenticateRequest = async (activity, authHeader) => {
      // Obviously bad headers are refused before botbuilder spends a key lookup on them.
      const early = checksTokens ? headerProblem(authHeader, config.bot.tokenIssuer) : undefined;
      if (early) throw new TokenRefusedError(early);
      try {
        return await authenticateRequest(activity, authHeader);
      } catch (error) {
        // jsonwebtoken's errors are not AuthenticationErrors, so a stock CloudAdapter answers 500 (docs/api-contracts.md §7).
        const reason = refusalReason(error);
        throw reason ? new TokenRefusedError(reason) : error;
      }
    };
  }

  /**
   * Checks the inbound token of one activity (already shape-checked: inbound-activity.ts): throws
   * TokenRefusedError for a refused token. Separate from `run`, so a refused request never waits for,
   * or takes, a place among the turns being worked on (admission.ts).
   */
  authenticate(authHeader: string, activity: Activity): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /**
   * Runs one authenticated activity and returns the invoke response, if any: what `CloudAdapter.process`
   * does after its own checks (`processActivity` with the authentication's result, the same path as with
   * the header), without its `console.error` of every failure: the caller logs once, structured.
   */
  run(authenticated: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}
