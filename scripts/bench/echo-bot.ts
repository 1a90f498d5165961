/**
 * The baseline of `scripts/bench-turns.ts` (issue #13): a bare botbuilder echo bot, configured from
 * the same environment as Elevate (the same Bot Framework JWT validation against the simulator and
 * the same connector credentials, `botConnectorClient`, which keeps token requests on the configured
 * login URL), with no teams-ai, no store, no routes. Logs Elevate's `listening` line so the harness
 * can start it like the bot. Run from dist/ with node.
 */
import { createServer } from 'node:http';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { loadConfig } from '../../src/config.js';
import { baselineAuthentication } from './bot-authentication.js';

const config = loadConfig(process.env);
const { settings, credentials } = baselineAuthentication(config);
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings, credentials));

const server = createServer((req, res) => {
  if (req.method !== 'POST' || !req.url?.startsWith('/api/messages')) {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    const restLike = Object.assign(req, { body: JSON.parse(body || '{}') as unknown });
    const response = Object.assign(res, {
      status: (code: number) => ((res.statusCode = code), response),
      send: (payload?: unknown) => res.end(payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload)),
      header: (name: string, value: string) => res.setHeader(name, value),
    });
    adapter
      .process(restLike as never, response as never, async (context: TurnContext) => {
        if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
});
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `http://127.0.0.1:${port}` })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
