import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import { resetInstruments } from './instruments.js';

/**
 * Application Insights through `@azure/monitor-opentelemetry`, started only when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set: the package and its instrumentations take about a
 * second to load, so they are imported here, on demand, never by the bot's start-up path otherwise.
 * It registers the OpenTelemetry SDK (traces, metrics, logs) with the Azure Monitor exporter, which
 * POSTs Breeze envelopes as JSON to `{IngestionEndpoint}/v2.1/track` (gzip only for Azure's own
 * ingestion hosts: @azure/monitor-opentelemetry-exporter `platform/nodejs/gzipHttpClient.js` [S]).
 */
export interface Telemetry {
  /** Flushes spans, metrics and logs and stops the SDK. */
  shutdown(): Promise<void>;
}

/** Query parameters that must never reach telemetry (sign-in callback, SAS-style signatures). */
const SENSITIVE_QUERY = [
  'code',
  'state',
  'session_state',
  'id_token',
  'access_token',
  'client_secret',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
];

/** `url.query` of an inbound request with every value replaced: `/auth/callback?code=…` keeps only its keys. */
export function redactedQuery(url: string | undefined): string | undefined {
  const query = (url ?? '').split('?')[1];
  if (!query) return undefined;
  const params = new URLSearchParams(query);
  return [...params.keys()].map((key) => `${encodeURIComponent(key)}=REDACTED`).join('&');
}

export interface AzureMonitorOptions {
  connectionString: string;
  /** Cloud role name and instance in Application Insights. */
  serviceName: string;
  instanceId: string;
}

export async function startAzureMonitor(options: AzureMonitorOptions): Promise<Telemetry> {
  const [{ useAzureMonitor, shutdownAzureMonitor }, { resourceFromAttributes }] = await Promise.all([
    import('@azure/monitor-opentelemetry'),
    import('@opentelemetry/resources'),
  ]);
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: options.connectionString },
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.instance.id': options.instanceId }),
    // Elevate's volume is small: keep every trace (the default samples 5 per second).
    samplingRatio: 1,
    tracesPerSecond: 0,
    enableLiveMetrics: false,
    instrumentationOptions: {
      http: {
        enabled: true,
        // The stable semconv `url.query` of inbound requests (the sign-in callback's code) is replaced.
        startIncomingSpanHook: (request: IncomingMessage) => {
          const query = redactedQuery(request.url);
          return query ? { 'url.query': query } : {};
        },
        redactedQueryParams: SENSITIVE_QUERY,
      } as Record<string, unknown>,
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
    },
  });
  // require-in-the-middle patches node's http modules when they are next required; the bot's modules
  // required them before telemetry started, and patching mutates the shared module objects.
  const load = createRequire(__filename);
  load('node:http');
  load('node:https');
  resetInstruments();
  return { shutdown: () => shutdownAzureMonitor() };
}
