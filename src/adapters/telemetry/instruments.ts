import { context, metrics, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/**
 * Elevate's own spans and metrics on the OpenTelemetry API. Without an SDK registered (no
 * APPLICATIONINSIGHTS_CONNECTION_STRING) every call here is a no-op of the API's; with
 * `@azure/monitor-opentelemetry` started (azure-monitor.ts) they go to Application Insights. Values
 * recorded are names, ids, counts and durations: never a token, a secret, a URL query or card text.
 */
const SCOPE = 'elevate';

const tracer = () => trace.getTracer(SCOPE);
const meter = () => metrics.getMeter(SCOPE);

/** Created on first use, after the SDK (if any) registered its MeterProvider. */
let instruments:
  | {
      requests: ReturnType<ReturnType<typeof meter>['createCounter']>;
      elevations: ReturnType<ReturnType<typeof meter>['createCounter']>;
      timeToElevated: ReturnType<ReturnType<typeof meter>['createHistogram']>;
      retries: ReturnType<ReturnType<typeof meter>['createCounter']>;
      timerLag: ReturnType<ReturnType<typeof meter>['createHistogram']>;
    }
  | undefined;

function get() {
  instruments ??= {
    requests: meter().createCounter('elevate.requests', { description: 'Inbound HTTP requests by route and status' }),
    elevations: meter().createCounter('elevate.elevations', { description: 'Elevation outcomes (elevated, failed, cancelled, denied...)' }),
    timeToElevated: meter().createHistogram('elevate.time_to_elevated', { description: 'From Submit to System Administrator granted', unit: 'ms' }),
    retries: meter().createCounter('elevate.outbound.retries', { description: 'Outbound calls retried, by service and reason' }),
    timerLag: meter().createHistogram('elevate.timer.lag', { description: 'How late a durable timer ran after its due time', unit: 'ms' }),
  };
  return instruments;
}

/** Forget instruments made on a previous MeterProvider (tests that start and stop the SDK). */
export function resetInstruments(): void {
  instruments = undefined;
}

export function recordRequest(route: string, status: number): void {
  get().requests.add(1, { 'http.route': route, 'http.response.status_code': status });
}

export function recordElevationOutcome(outcome: string): void {
  get().elevations.add(1, { 'elevate.outcome': outcome });
}

export function recordTimeToElevated(ms: number): void {
  if (ms >= 0) get().timeToElevated.record(ms);
}

export function recordRetry(service: string, reason: string): void {
  get().retries.add(1, { 'elevate.service': service, 'elevate.retry_reason': reason });
}

export function recordTimerLag(kind: string, ms: number): void {
  get().timerLag.record(Math.max(0, ms), { 'elevate.timer_kind': kind });
}

/**
 * Runs `work` in a span (a child of the current one, so the outbound calls it makes nest under it),
 * ending it with the outcome. A thrown error marks the span failed with the error's name only.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'Error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
