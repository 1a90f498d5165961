import restify, { type Request, type Response, type Server } from 'restify';
import { CALLBACK_PATH } from './step-up.js';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';

/** restify with `POST /api/messages` (Bot Framework, JWT checked by the adapter), `GET /auth/callback` (interactive sign-in) and `GET /healthz`. */
export function createServer(
  adapter: CloudAdapter,
  app: Application<TurnState>,
  logger: Logger,
  signInCallback: (req: Request, res: Response) => Promise<void>,
): Server {
  const server = restify.createServer({ name: 'elevate' });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req as never, res as never, async (context) => {
      await app.run(context);
    });
  });
  // The Agents Playground probes the endpoint with HEAD on every connect.
  server.head('/api/messages', (_req, res, next) => {
    res.send(200);
    next();
  });
  server.get(CALLBACK_PATH, signInCallback);
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  server.on('restifyError', (req, _res, err, callback) => {
    // The path only: a query string may carry a sign-in's authorization code and state.
    logger.warn({ method: req.method, path: (req.url ?? '').split('?')[0], status: err.statusCode }, 'request error');
    callback();
  });
  return server;
}
