import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  AuthenticationError,
  MsalServiceClientCredentialsFactory,
  PasswordServiceClientCredentialFactory,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import { botConnectorClient } from '../adapters/identity/bot-connector-client.js';
import type { Config } from '../config.js';

/** Errors of jsonwebtoken that mean "bad token", which a stock CloudAdapter answers with 500 (docs/api-contracts.md §7). */
const JWT_ERROR_NAMES = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

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
    auth.authenticateRequest = async (activity, authHeader) => {
      try {
        return await authenticateRequest(activity, authHeader);
      } catch (error) {
        if (error instanceof Error && JWT_ERROR_NAMES.has(error.name)) {
          throw new AuthenticationError(`Unauthorized: ${error.message}`, 401);
        }
        throw error;
      }
    };
  }
}
