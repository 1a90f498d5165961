import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { ConfidentialClientApplication } from '@azure/msal-node';

/** Bot Framework connector tokens: `ToChannelFromBotOAuthScope` + `/.default` (docs/api-contracts.md §5, §7). */
export const BOT_CONNECTOR_SCOPE = 'https://api.botframework.com/.default';

/**
 * The msal-node client that gets the bot's outbound connector tokens (client credentials of
 * BOT_ID/BOT_PASSWORD at BOT_LOGIN_URL). botbuilder's default credentials build one without
 * `knownAuthorities`, which goes to login.microsoftonline.com for instance discovery even when the
 * login URL points elsewhere (docs/api-contracts.md §7); listing the login host keeps every token request on
 * the configured login URL. The bot (src/teams/host/adapter.ts) and `npm run doctor` use this one.
 */
export function botConnectorClient(bot: { id: string; password: string; loginUrl: string }): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: bot.id,
      clientSecret: bot.password,
      authority: bot.loginUrl,
      knownAuthorities: [new URL(bot.loginUrl).host],
    },
  });
}

/**
 * A bot whose Azure Bot resource is of type UserAssignedMSI has no app secret: its `BOT_ID` is the
 * client id of a user-assigned managed identity and its connector tokens come from the managed
 * identity endpoint (docs/api-contracts.md §5; App Service: IDENTITY_ENDPOINT/IDENTITY_HEADER).
 * botframework-connector's own `JwtTokenProviderFactory` builds a `DefaultAzureCredential`, which
 * tries environment, workload-identity and developer credentials first [S]; this one asks the managed
 * identity and nothing else, and the doctor uses it too.
 */
export function botManagedIdentity(botId: string): TokenCredential {
  return new ManagedIdentityCredential({ clientId: botId });
}

/** One connector token as the bot gets it (client secret or managed identity): the doctor's and `/readyz`'s check. */
export function botConnectorToken(bot: { id: string; password: string; loginUrl: string; type: string }): () => Promise<string> {
  if (bot.type === 'UserAssignedMSI') {
    const identity = botManagedIdentity(bot.id);
    return async () => {
      const token = await identity.getToken(BOT_CONNECTOR_SCOPE);
      if (!token?.token) throw new Error('The managed identity returned no connector token.');
      return token.token;
    };
  }
  const client = botConnectorClient(bot);
  return async () => {
    const result = await client.acquireTokenByClientCredential({ scopes: [BOT_CONNECTOR_SCOPE] });
    if (!result?.accessToken) throw new Error('Microsoft Entra ID returned no connector token.');
    return result.accessToken;
  };
}
