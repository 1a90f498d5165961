/**
 * The second baseline of `scripts/bench-turns.ts` (issue #13): the smallest Teams bot on Elevate's
 * fixed stack (restify, a teams-ai Application on its TeamsAdapter, adaptivecards-templating for its
 * one card), configured from the same environment as Elevate and the echo bot, answering every message
 * with one templated Adaptive Card. What any bot on this stack loads and holds before its own code:
 * Elevate's start-up and memory beside it are Elevate's own share. Run from dist/ with node.
 */
// As Elevate does: teams-ai's Application and TeamsAdapter from their own modules (its index also loads
// the AI planners with openai and gpt-tokenizer), the card templating engine at the first card.
import { Application } from '@microsoft/teams-ai/lib/Application';
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import type { Template } from 'adaptivecards-templating';
import { createRequire } from 'node:module';
import restify from 'restify';
import { loadConfig } from '../../src/config.js';
import { baselineAuthentication } from './bot-authentication.js';

const config = loadConfig(process.env);
const { settings, credentials } = baselineAuthentication(config);
const adapter = new TeamsAdapter(settings, credentials);
let card: Template | undefined;
const newCard = (): Template =>
  new (createRequire(__filename)('adaptivecards-templating') as typeof import('adaptivecards-templating')).Template({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'You said: ${text}', wrap: true }],
  });
const app = new Application<TurnState>({ adapter, botAppId: config.bot.id, startTypingTimer: false, longRunningMessages: false });
app.activity('message', async (context) => {
  card ??= newCard();
  const content = card.expand({ $root: { text: context.activity.text ?? '' } }) as object;
  await context.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }] });
});

const server = restify.createServer({ name: 'stack-bot' });
server.use(restify.plugins.bodyParser({ mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, async (context) => {
    await app.run(context);
  });
});
server.listen(config.port, config.host, () => {
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
