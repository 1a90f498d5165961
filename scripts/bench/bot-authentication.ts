import { MsalServiceClientCredentialsFactory } from 'botframework-connector';
import { botConnectorClient } from '../../src/adapters/identity/bot-connector-client.js';
import type { Config } from '../../src/config.js';

/**
 * The baselines' Bot Framework settings, as Elevate's adapter sets them (src/teams/host/adapter.ts):
 * the same inbound JWT validation against the configured issuer and the same connector credentials
 * (`botConnectorClient`, which keeps token requests on the configured login URL).
 */
export function baselineAuthentication(config: Config) {
  type ConnectorMsalClient = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];
  return {
    settings: {
      MicrosoftAppId: config.bot.id,
      MicrosoftAppPassword: config.bot.password,
      MicrosoftAppType: config.bot.type,
      MicrosoftAppTenantId: config.bot.tenantId,
      ToBotFromChannelOpenIdMetadataUrl: config.bot.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: config.bot.tokenIssuer,
      ToChannelFromBotLoginUrl: config.bot.loginUrl,
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      ValidateAuthority: true,
    },
    credentials: new MsalServiceClientCredentialsFactory(config.bot.id, botConnectorClient(config.bot) as unknown as ConnectorMsalClient),
  };
}
