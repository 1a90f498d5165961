import type { Duplex } from 'node:stream';
import restify, { type Request, type Response, type Server } from 'restify';
import type { SignInPage } from '../routes/sign-in-callback.js';
import { CALLBACK_PATH } from '../sign-in/step-up.js';
import type { Application } from '@microsoft/teams-ai/lib/Application';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import type { Activity } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Logger } from 'pino';
import type { ElevateAdapter } from './adapter.js';
import { Admission } from './admission.js';
import { activityProblem } from './inbound-activity.js';
import { RefusalLog } from './refusal-log.js';
import { TokenRefusedError } from './token-refusal.js';

export interface ServerOptions {
  /** Refused requests logged per remote address per minute; the rest are summed up in one line. */
  refusalLogLimit: number;
}

/** restify with `POST /api/messages` (Bot Framework, JWT checked by the adapter), `GET /auth/callback` (interactive sign-in) and `GET /healthz`. */
/** The restify server, and the refusal summary that graceful shutdown writes before exiting. */
export type ElevateServer = Server & { flushRefusals(): void };

/**
 * Inbound activities worked on at once (admission.ts). Each turn's own work is a few milliseconds of
 * CPU; 32 at once keep the connections per upstream host (32, pooled-fetch.ts) bounded without
 * idling while a few turns wait on Graph. The event loop's longest pass is bounded apart from this
 * number: each piece of a turn starts only while the pass has room (jobs/time-slice.ts).
 */
const CONCURRENT_TURNS = 32;
/**
 * Activities that may wait for a place: a few thousand turns of a few milliseconds each are worked
 * through within seconds; beyond that the answer would come after Teams stopped waiting, so a 503 with
 * Retry-After lets the channel deliver it again later instead.
 */
const MAX_WAITING_TURNS = 2_000;

export function createServer(
  adapter: ElevateAdapter,
  app: Application<TurnState>,
  logger: Logger,
  completeSignIn: (query: { code: string | null; state: string | null }, acceptLanguage: string | undefined) => Promise<SignInPage>,
  options: ServerOptions,
): ElevateServer {
  const server = restify.createServer({ name: 'elevate' });
  const refusals = new RefusalLog({ logger, limit: options.refusalLogLimit });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  const admission = new Admission(CONCURRENT_TURNS, MAX_WAITING_TURNS);
  const checks = new Admission(CONCURRENT_TURNS);
  server.post('/api/messages', async (req, res) => receiveActivity(adapter, app, { logger, refusals, admission, checks }, req, res));
  // The Agents Playground probes the endpoint with HEAD on every connect.
  server.head('/api/messages', (_req, res, next) => {
    res.send(200);
    next();
  });
  server.get(CALLBACK_PATH, async (req: Request, res: Response) => {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const page = await completeSignIn({ code: query.get('code'), state: query.get('state') }, req.headers['accept-language']);
    res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8', 'content-language': page.lang, 'cache-control': 'no-store' });
    res.end(htmlPage(page));
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  server.on('restifyError', (req, _res, err, callback) => {
    // The path only: a query string may carry a sign-in's authorization code and state.
    const fields = { event: 'requestRefused', method: req.method, path: (req.url ?? '').split('?')[0], status: err.statusCode };
    if (typeof err.statusCode === 'number' && err.statusCode < 500) refusals.refused(remoteOf(req), fields, 'request error');
    else logger.warn(fields, 'request error');
    callback();
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { remoteAddress?: string }) => {
    // What Node does by default (nodejs.org/api/http.html, event 'clientError'), with one log line:
    // 431 for headers over Node's limit (a huge token), 400 for anything else it cannot parse.
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    refusals.refused(socket.remoteAddress ?? 'unknown', { event: 'requestRefused', reason: tooLarge ? 'headersTooLarge' : 'unparsable' }, 'request error');
    socket.end(`HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nConnection: close\r\n\r\n`);
  });
  server.on('close', () => refusals.flush());
  // server.close() emits 'close' only once every kept-alive connection has ended, which may be after
  // the process exits: shutdown says what was suppressed itself.
  return Object.assign(server, { flushRefusals: () => refusals.flush() });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function htmlPage({ lang, title, text }: SignInPage): string {
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
}

function remoteOf(req: Request): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

/**
 * One inbound activity: a malformed body is answered 400 before any work (its token is not even
 * looked at, since nothing is done with it); then the adapter authenticates (401 for a refused
 * token, one rate-limited warning line) and runs the turn.
 */
async function receiveActivity(
  adapter: ElevateAdapter,
  app: Application<TurnState>,
  { logger, refusals, admission, checks }: { logger: Logger; refusals: RefusalLog; admission: Admission; checks: Admission },
  req: Request,
  res: Response,
): Promise<void> {
  const problem = activityProblem(req.body);
  if (problem) {
    refusals.refused(remoteOf(req), { event: 'activityRefused', reason: 'malformed', problem }, 'malformed activity refused');
    res.send(400, { error: { code: 'BadRequest', message: `Not a valid activity: ${problem}.` } });
    return;
  }
  const activity = withDates(req.body as Activity);
  const header = req.headers.authorization;
  try {
    // Token checks have their own places: a refused token never takes a turn's place, and hundreds of
    // simultaneous checks do not run back to back in one tick either.
    const authenticated = await checks.run(() => adapter.authenticate(typeof header === 'string' ? header : '', activity));
    // An invoke goes ahead of waiting messages only once its token is checked: before that, its type
    // is only what an unauthenticated body says.
    const urgent = activity.type === 'invoke';
    if (admission.full) {
      // Far more turns waiting than the bot gets through in Teams' time: the channel tries again later.
      logger.warn({ event: 'turnsQueueFull', ...admission.load }, 'too many activities waiting: answered 503');
      res.header('Retry-After', '5');
      res.send(503, { error: { code: 'ServiceUnavailable', message: 'Elevate is busy; try again shortly.' } });
      return;
    }
    const answer = await admission.run(
      () =>
        adapter.run(authenticated, activity, async (context) => {
          await app.run(context);
        }),
      { urgent },
    );
    res.send(answer?.status ?? 200, answer?.body);
  } catch (error) {
    if (error instanceof TokenRefusedError) {
      const fields = { event: 'tokenRefused', reason: error.reason, channelId: activity.channelId, activityType: activity.type };
      refusals.refused(remoteOf(req), fields, 'inbound token refused');
      res.send(401, { error: { code: 'Unauthorized', message: 'The request is not authorized.' } });
      return;
    }
    const keysUnavailable = error instanceof AuthenticationError;
    logger.error({ err: error, activityType: activity.type }, keysUnavailable ? 'could not check the inbound token' : 'inbound activity failed');
    res.send(keysUnavailable ? 503 : 500, {
      error: { code: keysUnavailable ? 'ServiceUnavailable' : 'InternalError', message: 'Elevate could not take this activity.' },
    });
  }
}

/** What botbuilder's `validateAndFixActivity` does to the timestamps (Date, with the raw text kept). */
function withDates(activity: Activity): Activity {
  const raw = activity as Activity & Record<string, unknown>;
  for (const [field, rawField] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = raw[field];
    if (typeof value === 'string') {
      raw[rawField] = value;
      raw[field] = new Date(value);
    }
  }
  return activity;
}
