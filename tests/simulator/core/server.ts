import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { faultResponse, takeFault } from './faults.js';
import { json, parseBody, serviceOf, SIMULATED_SERVICES, splitPath, type SimRequest, type SimResponse } from './http.js';
import { logRequest } from './request-log.js';
import { matchRoute, type Route } from './router.js';
import type { SimContext } from './state.js';

/**
 * The HTTPS front: reads the body, applies injected faults, dispatches to the routes, writes JSON
 * and logs the simulated services' requests. Binds 127.0.0.1 only.
 */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function toSimRequest(req: IncomingMessage): Promise<SimRequest> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const raw = await readBody(req);
  const segments = splitPath(url.pathname);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    segments,
    query: url.searchParams,
    headers: req.headers,
    body: parseBody(raw, req.headers['content-type']),
    bodySize: Number(req.headers['content-length'] ?? raw.length) || raw.length,
    service: serviceOf(segments),
    remoteAddress: req.socket.remoteAddress,
  };
}

function notFound(req: SimRequest): SimResponse {
  return json(404, { error: { code: 'NotFound', message: `The tenant simulator has no ${req.method} ${req.path}.` } });
}

async function answer(ctx: SimContext, routes: readonly Route<SimContext>[], req: SimRequest): Promise<SimResponse> {
  const simulated = SIMULATED_SERVICES.includes(req.service);
  const fault = simulated ? takeFault(ctx.state, req) : undefined;
  if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  const injected = fault ? faultResponse(ctx, fault) : undefined;
  if (injected && !fault?.afterHandling) return injected;
  const match = matchRoute(routes, req);
  if (!match) return notFound(req);
  if ('methodNotAllowed' in match) return json(405, { error: { code: 'MethodNotAllowed', message: `${req.method} is not allowed on ${req.path}.` } });
  try {
    const handled = await match.route.handler(req, match.params, ctx);
    return injected ?? handled;
  } catch (error) {
    process.stderr.write(`tenant simulator: ${req.method} ${req.path} failed: ${(error as Error).stack ?? String(error)}\n`);
    return json(500, { error: { code: 'SimulatorError', message: (error as Error).message } });
  }
}

function write(res: ServerResponse, response: SimResponse): void {
  if (response.dropConnection) {
    res.socket?.destroy();
    return;
  }
  const payload =
    response.text !== undefined ? Buffer.from(response.text) : response.body === undefined ? undefined : Buffer.from(JSON.stringify(response.body));
  const headers: Record<string, string> = { ...response.headers };
  if (payload) {
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
    headers['Content-Length'] = String(payload.length);
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

export function createHttpsServer(ctx: SimContext, routes: readonly Route<SimContext>[], tls: { key: string; cert: string }): https.Server {
  return https.createServer({ key: tls.key, cert: tls.cert }, (rawReq, res) => {
    toSimRequest(rawReq)
      .then(async (req) => {
        const response = await answer(ctx, routes, req);
        if (SIMULATED_SERVICES.includes(req.service)) logRequest(ctx.state, req, response.status);
        write(res, response);
      })
      .catch((error: unknown) => {
        process.stderr.write(`tenant simulator: ${(error as Error).message}\n`);
        if (!res.headersSent) write(res, json(500, { error: { code: 'SimulatorError', message: 'request failed' } }));
      });
  });
}
