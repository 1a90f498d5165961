import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { MsalServiceClientCredentialsFactory, PasswordServiceClientCredentialFactory, type ServiceClientCredentialsFactory } from 'botframework-connector';
import { botConnectorClient } from '../../adapters/identity/bot-connector-client.js';
import type { Config } from '../../config.js';
import { withoutConsole } from './quiet-console.js';
import { headerProblem, refusalReason, TokenRefusedError } from './token-refusal.js';

/**
 * botbuilder's default credentials build an MSAL client without `knownAuthorities`, which goes to
 * login.microsoftonline.com for instance discovery even when the login URL points elsewhere
 * (docs/api-contracts.md §7): the connector tokens come from `botConnectorClient` instead, which keeps them
 * on the configured login URL, in production and against the simulator alike.
 */
function credentialsFactory(config: Config): ServiceClientCredentialsFactory {
  if (!config.bot.id) return new PasswordServiceClientCredentialFactory('', '');
  const client = botConnectorClient(config.bot);
  // botframework-connector pins its own msal-node major; the client API it calls is the same.
  type ConnectorMsalClient = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];
  return new MsalServiceClientCredentialsFactory(config.bot.id, client as unknown as ConnectorMsalClient);
}

/**
 * The Teams adapter with real Bot Framework JWT validation. Every inbound key of
 * ConfigurationBotFrameworkAuthentication is set explicitly: once one is set botbuilder takes
 * the whole set as given (docs/api-contracts.md §7).
 */
export class ElevateAdapter extends TeamsAdapter {
  constructor(config: Config) {
    super(
      {
        MicrosoftAppId: config.bot.id,
        MicrosoftAppPassword: config.bot.password,
        MicrosoftAppType: config.bot.type,
        MicrosoftAppTenantId: config.bot.type === 'MultiTenant' ? undefined : config.bot.tenantId,
        ToBotFromChannelOpenIdMetadataUrl: config.bot.openIdMetadataUrl,
        ToBotFromChannelTokenIssuer: config.bot.tokenIssuer,
        ToChannelFromBotLoginUrl: config.bot.loginUrl,
        ToChannelFromBotOAuthScope: 'https://api.botframework.com',
        OAuthUrl: 'https://api.botframework.com',
        ValidateAuthority: true,
      },
      credentialsFactory(config),
    );
    const auth = this.botFrameworkAuthentication;
    const authenticateRequest = auth.authenticateRequest.bind(auth);
    const checksTokens = config.bot.id !== '';
    auth.authenticateRequest = async (activity, authHeader) => {
      // Obviously bad headers are refused before botbuilder spends a key lookup on them.
      const early = checksTokens ? headerProblem(authHeader, config.bot.tokenIssuer) : undefined;
      if (early) throw new TokenRefusedError(early);
      try {
        return await withoutConsole(() => authenticateRequest(activity, authHeader));
      } catch (error) {
        // jsonwebtoken's errors are not AuthenticationErrors, so a stock CloudAdapter answers 500 (docs/api-contracts.md §7).
        const reason = refusalReason(error);
        throw reason ? new TokenRefusedError(reason) : error;
      }
    };
  }

  /**
   * Authenticates and runs one inbound activity (already shape-checked: inbound-activity.ts) and
   * returns the invoke response, if any. What `CloudAdapter.process` does after its own checks,
   * without its `console.error` of every failure: the caller logs once, structured.
   */
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}
