import { botFrameworkSettings, credentialsFactory } from '../../src/teams/host/bot-framework-auth.js';
import type { Config } from '../../src/config.js';

/**
 * The baselines' Bot Framework settings: Elevate's own (src/teams/host/bot-framework-auth.ts), so the
 * inbound JWT validation against the configured issuer and the connector credentials are the same.
 */
export function baselineAuthentication(config: Config) {
  return { settings: botFrameworkSettings(config), credentials: credentialsFactory(config) };
}
