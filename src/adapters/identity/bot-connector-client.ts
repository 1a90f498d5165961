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
