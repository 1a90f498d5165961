import { context, propagation, SpanKind, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { TokenSource } from '../../ports/token-broker.js';
import { inSpan, recordRetry } from '../telemetry/instruments.js';
import { describeUrl, errorDetails, errorForStatus, isTimeout, networkError } from './http-errors.js';
import { backoffDelay, mayRetry, parseRetryAfter } from './retry-policy.js';
import { pooledFetch } from './pooled-fetch.js';
import { nextSlice } from '../../jobs/time-slice.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Told before each wait, so a card can say "Graph is busy, trying again in 4 s". */
export interface RetryInfo {
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  status?: number;
  reason: 'throttled' | 'server-error' | 'network' | 'timeout';
}

export type RetryListener = (info: RetryInfo) => void;

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  /** Bearer token source, called once per attempt (a long wait never sends a stale token). */
  token?: TokenSource;
  /** Sent as JSON. Absent: no body and no content-type. */
  body?: unknown;
  headers?: Record<string, string>;
  /** False for requests that must not run twice (POST selfActivate); see `mayRetry`. Default true. */
  idempotent?: boolean;
  onRetry?: RetryListener;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: T;
  correlationId: string | undefined;
}

export interface HttpClientOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Attempts per request, the first one included. */
  maxAttempts?: number;
  perAttemptTimeoutMs?: number;
  /** No new attempt starts, and no wait is begun, past this much time since the first attempt. */
  totalBudgetMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: RetryListener;
  logger?: Logger;
}

const DEFAULTS = { maxAttempts: 4, perAttemptTimeoutMs: 30_000, totalBudgetMs: 90_000, baseDelayMs: 500, maxDelayMs: 20_000 };

type Attempt = { kind: 'response'; response: HttpResponse<unknown> } | { kind: 'network'; error: unknown };

/**
 * The one HTTP helper for every outbound call (docs/design.md "Architecture"): JSON in and out, a
 * timeout per attempt, bounded retries with `Retry-After` or jittered exponential backoff inside a
 * total time budget, and typed errors (`HttpError`, `ThrottledError`, `ServiceUnavailableError`)
 * that carry Graph `request-id` / Power Platform `x-ms-correlation-id` but never the token.
 */
export class HttpClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly settings: typeof DEFAULTS;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.fetch = options.fetch ?? pooledFetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.settings = {
      maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULTS.maxAttempts),
      perAttemptTimeoutMs: options.perAttemptTimeoutMs ?? DEFAULTS.perAttemptTimeoutMs,
      totalBudgetMs: options.totalBudgetMs ?? DEFAULTS.totalBudgetMs,
      baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
    };
  }

  /**
   * Resolves with any 2xx answer; throws a typed error for everything else. One client span per
   * request (retries included) under the current span: method, host and path, never the query.
   */
  async request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>> {
    return inSpan(`HTTP ${request.method}`, spanAttributes(request), (span) => this.attempts<T>(request, span), SpanKind.CLIENT);
  }

  private async attempts<T>(request: HttpRequest, span: Span): Promise<HttpResponse<T>> {
    const started = this.now();
    const idempotent = request.idempotent ?? true;
    for (let attempt = 1; ; attempt++) {
      const remaining = this.settings.totalBudgetMs - (this.now() - started);
      const outcome = await this.attempt(request, Math.max(1, Math.min(this.settings.perAttemptTimeoutMs, remaining)));
      span.setAttribute('elevate.attempts', attempt);
      if (outcome.kind === 'response') span.setAttribute('http.response.status_code', outcome.response.status);
      if (outcome.kind === 'response' && outcome.response.status < 300) return outcome.response as HttpResponse<T>;
      const delayMs = this.retryDelay(outcome, attempt, idempotent);
      const elapsed = this.now() - started;
      if (delayMs === undefined || attempt >= this.settings.maxAttempts || elapsed + delayMs > this.settings.totalBudgetMs) {
        throw this.failure(request, outcome, attempt);
      }
      this.notifyRetry(request, outcome, attempt, delayMs);
      await this.sleep(delayMs);
    }
  }

  async get<T = unknown>(url: string, token?: TokenSource, extra: Partial<HttpRequest> = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...extra, method: 'GET', url, ...(token ? { token } : {}) });
  }

  async post<T = unknown>(url: string, token: TokenSource | undefined, body?: unknown, extra: Partial<HttpRequest> = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...extra, method: 'POST', url, ...(token ? { token } : {}), ...(body === undefined ? {} : { body }) });
  }

  private async attempt(request: HttpRequest, timeoutMs: number): Promise<Attempt> {
    // Token errors (SignInRequired, StepUpRequired) are not transport failures: they propagate as they are.
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    // W3C trace context, so a service's own logs can be matched with Elevate's trace.
    propagation.inject(context.active(), headers);
    const token = request.token ? await request.token() : undefined;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      const init: RequestInit = { method: request.method, headers, signal };
      if (request.body !== undefined) init.body = JSON.stringify(request.body);
      const response = await this.fetch(request.url, init);
      if (response.status === 401 && token !== undefined) request.token?.rejected?.(token);
      const body = parseBody(await response.text());
      // What the caller does with the answer waits for room in the event loop (time-slice.ts).
      await nextSlice();
      return {
        kind: 'response',
        response: { status: response.status, headers: response.headers, body, correlationId: errorDetails(response.headers, body).correlationId },
      };
    } catch (error) {
      return { kind: 'network', error };
    }
  }

  /** Milliseconds to wait before the next attempt, or undefined when this outcome is final. */
  private retryDelay(outcome: Attempt, attempt: number, idempotent: boolean): number | undefined {
    if (outcome.kind === 'network') {
      return mayRetry(outcome, idempotent) ? backoffDelay(attempt, this.settings, this.random) : undefined;
    }
    const { status, headers } = outcome.response;
    const retryAfter = parseRetryAfter(headers.get('retry-after'), this.now());
    if (!mayRetry({ kind: 'status', status, hasRetryAfter: retryAfter !== undefined }, idempotent)) return undefined;
    return retryAfter ?? backoffDelay(attempt, this.settings, this.random);
  }

  private failure(request: HttpRequest, outcome: Attempt, attempts: number): Error {
    if (outcome.kind === 'network') return networkError(request, outcome.error, attempts);
    const { status, headers, body } = outcome.response;
    return errorForStatus(request, status, headers, body);
  }

  private notifyRetry(request: HttpRequest, outcome: Attempt, attempt: number, delayMs: number): void {
    const info: RetryInfo =
      outcome.kind === 'network'
        ? { attempt, delayMs, reason: isTimeout(outcome.error) ? 'timeout' : 'network' }
        : { attempt, delayMs, status: outcome.response.status, reason: outcome.response.status === 429 ? 'throttled' : 'server-error' };
    const correlationId = outcome.kind === 'response' ? outcome.response.correlationId : undefined;
    this.options.logger?.warn({ method: request.method, url: describeUrl(request.url), correlationId, ...info }, 'outbound call will be retried');
    recordRetry(hostOf(request.url), info.reason);
    for (const listener of [this.options.onRetry, request.onRetry]) {
      try {
        listener?.(info);
      } catch {
        // A progress display that fails must not fail the call.
      }
    }
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown';
  }
}

/** What a dependency shows in Application Insights: method and the URL without its query. */
function spanAttributes(request: HttpRequest): Record<string, string | number> {
  try {
    const url = new URL(request.url);
    return {
      'http.request.method': request.method,
      'url.full': `${url.protocol}//${url.host}${url.pathname}`,
      'server.address': url.hostname,
      ...(url.port ? { 'server.port': Number(url.port) } : {}),
    };
  } catch {
    return { 'http.request.method': request.method };
  }
}
