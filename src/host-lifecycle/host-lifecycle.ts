import type { Logger } from 'pino';
import type { Readiness } from './readiness.js';

/**
 * Readiness and graceful shutdown of one instance, apart from the Teams host so that it does not
 * depend on how that is built. SIGTERM (App Service, Container Apps and `docker stop` send it before
 * they kill) starts draining: new activities are answered 503 with `Retry-After` and `/readyz` says
 * so (the load balancer stops sending here), while requests, timers and background work already
 * started may finish. At the bound, timers still running are given back to the store so that
 * another instance runs them at once; unfinished elevations are left in the store, where this
 * instance (same ELEVATE_INSTANCE_ID) resumes them at its next start.
 */
export interface ShutdownWork {
  /** Stops claiming timers; resolves when the pass in flight has ended. */
  stopTimers(): Promise<void>;
  /** Releases the claims of timers still running; resolves with how many. */
  releaseTimers(): Promise<number>;
  /** Resolves when every background task (the work after a card tap) has finished. */
  drainBackground(): Promise<void>;
  /** Last, in time or not: stop listening, flush telemetry, close the store. */
  close(): Promise<void>;
}

/** What the gate needs of a request and a response (restify's, or any Node-based server's). */
export interface GateRequest {
  method?: string;
  url?: string;
}
export interface GateResponse {
  statusCode?: number;
  header(name: string, value: string): unknown;
  send(status: number, body?: unknown): unknown;
  once(event: 'close', listener: () => void): unknown;
}
export type Next = (proceed?: boolean) => unknown;

export interface ShutdownOutcome {
  /** True when everything in flight finished before the bound. */
  inTime: boolean;
  releasedTimers: number;
  /** False when background work (an elevation in flight) was still running at the bound. */
  backgroundDrained: boolean;
  tookMs: number;
}

export interface HostLifecycleOptions {
  readiness: Readiness;
  work: ShutdownWork;
  timeoutMs: number;
  logger: Logger;
  /** Told of every request that passed the gate, when it ends: path and status (the requests metric). */
  onRequestEnded?: (path: string, status: number) => void;
  now?: () => number;
}

/** Paths refused while draining: new Bot Framework activities. Sign-in callbacks and probes still pass. */
const NEW_WORK = new Set(['/api/messages']);
/** Paths reported by name in the requests metric; anything else is `other` (no ids, no probes' noise in names). */
const ROUTES = new Set(['/api/messages', '/auth/callback', '/healthz', '/readyz']);
/** Seconds a refused sender is told to wait: another instance takes the retry. */
const RETRY_AFTER_SECONDS = '5';

export class HostLifecycle {
  private draining = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private stopping: Promise<ShutdownOutcome> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: HostLifecycleOptions) {
    this.now = options.now ?? Date.now;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** A `pre` handler: counts requests in flight and turns new activities away while draining. */
  readonly gate = (req: GateRequest, res: GateResponse, next: Next): unknown => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (this.draining && req.method === 'POST' && NEW_WORK.has(path)) {
      res.header('Retry-After', RETRY_AFTER_SECONDS);
      res.send(503, { error: { code: 'ServiceUnavailable', message: 'Elevate is restarting; try again shortly.' } });
      return next(false);
    }
    this.inFlight++;
    res.once('close', () => {
      this.requestEnded();
      this.options.onRequestEnded?.(ROUTES.has(path) ? path : 'other', res.statusCode ?? 0);
    });
    return next();
  };

  /** `GET /readyz` (an async handler: two arguments, as restify 11 wants): 200 when ready, 503 while draining or when a check fails. */
  readonly readyz = async (_req: GateRequest, res: GateResponse): Promise<void> => {
    if (this.draining) {
      res.send(503, { status: 'draining', checks: [] });
      return;
    }
    const report = await this.options.readiness.report();
    res.send(report.ready ? 200 : 503, {
      status: report.ready ? 'ready' : 'notReady',
      checks: report.checks,
      checkedAt: new Date(report.checkedAt).toISOString(),
    });
  };

  /** Drains, then closes; at most `timeoutMs` for the work in flight. Calling it again returns the same outcome. */
  shutdown(reason: string): Promise<ShutdownOutcome> {
    this.stopping ??= this.drainAndClose(reason);
    return this.stopping;
  }

  private async drainAndClose(reason: string): Promise<ShutdownOutcome> {
    const { work, logger, timeoutMs } = this.options;
    const started = this.now();
    this.draining = true;
    logger.info({ event: 'draining', reason, requests: this.inFlight, timeoutMs }, 'draining: no new work');
    let backgroundDrained = false;
    const background = work.drainBackground().then(() => (backgroundDrained = true));
    const settled = Promise.allSettled([this.idle(), work.stopTimers(), background]).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const inTime = await Promise.race([settled, bound]);
    clearTimeout(timer);
    let releasedTimers = 0;
    if (!inTime) {
      releasedTimers = await work.releaseTimers().catch(() => 0);
      logger.warn(
        { event: 'shutdownDeadline', releasedTimers, backgroundDrained, requests: this.inFlight },
        'shutdown bound reached: claimed timers released; unfinished elevations resume at the next start',
      );
    }
    try {
      await work.close();
    } catch (error) {
      logger.error({ err: error }, 'closing after drain failed');
    }
    const outcome = { inTime, releasedTimers, backgroundDrained, tookMs: this.now() - started };
    logger.info({ event: 'stopped', ...outcome }, 'stopped');
    return outcome;
  }

  private requestEnded(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/**
 * SIGTERM and SIGINT drain and exit: 0 once closed (in time or after releasing what was left), 1 if
 * closing itself failed. A last timer exits anyway shortly after the bound, should a close hang.
 */
export function exitOnSignals(lifecycle: HostLifecycle, logger: Logger, timeoutMs: number): void {
  const onSignal = (signal: string) => {
    if (lifecycle.isDraining) return;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), timeoutMs + HARD_EXIT_GRACE_MS).unref();
    lifecycle.shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

/** How long closing (telemetry flush, store) may take past the bound before the process exits regardless. */
const HARD_EXIT_GRACE_MS = 10_000;
