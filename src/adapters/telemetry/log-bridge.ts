import { logs, SeverityNumber, type AnyValueMap } from '@opentelemetry/api-logs';

/**
 * Sends each pino line, as pino wrote it (redacted), to the OpenTelemetry logs API once telemetry
 * has started: Application Insights shows it as a trace with the operation id of the span that was
 * active when it was logged (the write is synchronous, inside the caller's context). Before that, or
 * without telemetry, it does nothing.
 */
let exporting = false;

export function startLogExport(): void {
  exporting = true;
}

const SEVERITY: Record<number, [SeverityNumber, string]> = {
  10: [SeverityNumber.TRACE, 'TRACE'],
  20: [SeverityNumber.DEBUG, 'DEBUG'],
  30: [SeverityNumber.INFO, 'INFO'],
  40: [SeverityNumber.WARN, 'WARN'],
  50: [SeverityNumber.ERROR, 'ERROR'],
  60: [SeverityNumber.FATAL, 'FATAL'],
};
const OMITTED = new Set(['msg', 'level', 'time', 'pid', 'hostname', 'trace_id', 'span_id']);
const MAX_VALUE = 2_000;

function attributesOf(line: Record<string, unknown>): AnyValueMap {
  const attributes: AnyValueMap = {};
  for (const [key, value] of Object.entries(line)) {
    if (OMITTED.has(key) || value === undefined || value === null) continue;
    attributes[key] = typeof value === 'object' ? JSON.stringify(value).slice(0, MAX_VALUE) : (value as string | number | boolean);
  }
  return attributes;
}

/** A pino destination: `write` receives one JSON line. */
export const logBridge = {
  write(chunk: string): void {
    if (!exporting) return;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(chunk) as Record<string, unknown>;
    } catch {
      return;
    }
    const [severityNumber, severityText] = SEVERITY[Number(line['level'])] ?? [SeverityNumber.INFO, 'INFO'];
    logs.getLogger('elevate').emit({ severityNumber, severityText, body: String(line['msg'] ?? ''), attributes: attributesOf(line) });
  },
};
