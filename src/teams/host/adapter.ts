import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import {
  ManagedIdentityServiceClientCredentialsFactory,
  MsalServiceClientCredentialsFactory,
  PasswordServiceClientCredentialFactory,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import { botConnectorClient, botManagedIdentity } from '../../adapters/identity/bot-connector-client.js';
import type { Config } from '../../config.js';
import { quietTokenExtractor } from './quiet-console.js';
import { headerProblem, refusalReason, TokenRefusedError } from './token-refusal.js';

/**
 * botbuilder's default credentials build an MSAL client without `knownAuthorities`, which goes to
 * login.microsoftonline.com for instance discovery even when the login URL points elsewhere
 * (docs/api-contracts.md §7): the connector tokens come from `botConnectorClient` instead, which keeps them
 * on the configured login URL, in production and against the simulator alike.
 */
function credentialsFactory(config: Config): ServiceClientCredentialsFactory {
  if (!config.bot.id) return new PasswordServiceClientCredentialFactory('', '');
  if (config.bot.type === 'UserAssignedMSI') {
    // Only getToken is called on what the factory returns; the declared type is DefaultAzureCredential [S].
    type TokenProvider = ReturnType<ConstructorParameters<typeof ManagedIdentityServiceClientCredentialsFactory>[1]['createAzureServiceTokenProvider']>;
    return new ManagedIdentityServiceClientCredentialsFactory(config.bot.id, {
      createAzureServiceTokenProvider: (appId) => botManagedIdentity(appId) as unknown as TokenProvider,
    });
  }
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
        MicrosoftAppPassword: config.bot.type === 'UserAssignedMSI' ? undefined : config.bot.password,
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
