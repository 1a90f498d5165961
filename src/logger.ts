import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import { logBridge } from './adapters/telemetry/log-bridge.js';

/** Paths pino blanks out wherever they appear in a log object: tokens and secrets never reach logs. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'clientSecret',
  '*.clientSecret',
  'password',
  '*.password',
  'assertion',
  '*.assertion',
  'clientAssertion',
  '*.clientAssertion',
  'client_assertion',
  '*.client_assertion',
  'privateKey',
  '*.privateKey',
  'value.token',
  'activity.value.token',
];

/** The ids of the span active when a line is logged: the line and the trace can be matched. */
function traceIds(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** JSON lines on stdout, and (once telemetry has started) the same redacted lines to Application Insights. */
export function createLogger(level: string): Logger {
  const options = { level, base: { app: 'elevate' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, mixin: traceIds };
  if (level === 'silent') return pino(options);
  const streams = pino.multistream([
    { level: level as pino.Level, stream: pino.destination({ fd: 1, sync: true }) },
    { level: level as pino.Level, stream: logBridge },
  ]);
  return pino(options, streams);
}

export type { Logger };
