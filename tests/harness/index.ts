/**
 * The Teams-client harness for integration and end-to-end tests: start the tenant simulator and
 * the bot as processes, talk to the bot as Teams users, read what it posts.
 *
 *   const sim = await startSimulator();
 *   const bot = await startBot({ sim });
 *   const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
 *   await adele.say('elevate me in Contoso Prod');
 *   await adele.signIn();
 *   const request = await adele.waitFor((r) => findAction(latestCard(r), 'submit') !== undefined);
 *   await adele.tap(request.id, 'submit', { justification: 'INC-123 fix the flow' });
 *   ...
 *   assertNoSecretsIn(bot.output(), [...SEED_SECRETS, ...adele.tokens()]);
 *   await bot.stop(); await sim.stop();
 */
export * from './activities.js';
export * from './app-credentials.js';
export * from './breeze-receiver.js';
export * from './card-actions.js';
export * from './card-find.js';
export * from './cards.js';
export * from './channel-auth.js';
export * from './control.js';
export * from './https.js';
export * from './processes.js';
export * from './teams-client.js';
export * from './tenant.js';
export * from './tokens.js';
export { ActivityWatcher } from './activity-watcher.js';
