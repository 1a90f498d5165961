import {
  ManagedIdentityServiceClientCredentialsFactory,
  MsalServiceClientCredentialsFactory,
  PasswordServiceClientCredentialFactory,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import { botConnectorClient, botManagedIdentity } from '../../adapters/identity/bot-connector-client.js';
import type { Config } from '../../config.js';

// Without teams-ai: the benchmarks' echo bot uses these too (scripts/bench/bot-authentication.ts) and
// must not load more than a bare botbuilder bot does.

/**
 * botbuilder's default credentials build an MSAL client without `knownAuthorities`, which goes to
 * login.microsoftonline.com for instance discovery even when the login URL points elsewhere
 * (docs/api-contracts.md §7): the connector tokens come from `botConnectorClient` instead, which keeps them
 * on the configured login URL, in production and against the simulator alike.
 */
export function credentialsFactory(config: Config): ServiceClientCredentialsFactory {
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
 * Elevate's Bot Framework settings. Every inbound key of ConfigurationBotFrameworkAuthentication is set
 * explicitly: once one is set botbuilder takes the whole set as given (docs/api-contracts.md §7). The
 * benchmarks' baseline bots use the same (scripts/bench/bot-authentication.ts).
 */
export function botFrameworkSettings(config: Config) {
  return {
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
  };
}
