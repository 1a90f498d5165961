import { header, json, type SimRequest, type SimResponse } from '../core/http.js';
import { newId, type SimContext } from '../core/state.js';

/**
 * The Entra ID token endpoint's error envelope (docs/api-contracts.md §1): `error`, `error_description`
 * starting with `AADSTS<code>:` and ending with the trace/correlation/timestamp lines, `error_codes`,
 * `timestamp`, `trace_id`, `correlation_id`, `error_uri`, and `claims`/`suberror` where they apply.
 */
export interface EntraErrorSpec {
  /** Default 400; invalid client credentials are 401. */
  status?: number;
  error: string;
  code: number;
  description: string;
  claims?: string;
  suberror?: string;
}

/** Entra's timestamp format: `2024-07-17 14:42:13Z`. */
export function entraTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function entraError(ctx: SimContext, req: SimRequest, spec: EntraErrorSpec): SimResponse {
  const traceId = newId();
  // MSAL sends `client-request-id`; Entra echoes it as the correlation id.
  const correlationId = header(req, 'client-request-id') ?? newId();
  const timestamp = entraTimestamp(ctx.state.now());
  const description = `AADSTS${spec.code}: ${spec.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`;
  return json(spec.status ?? 400, {
    error: spec.error,
    error_description: description,
    error_codes: [spec.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${ctx.baseUrl}/error?code=${spec.code}`,
    ...(spec.claims !== undefined ? { claims: spec.claims } : {}),
    ...(spec.suberror !== undefined ? { suberror: spec.suberror } : {}),
  });
}

export function missingParameter(name: string): EntraErrorSpec {
  return { error: 'invalid_request', code: 900144, description: `The request body must contain the following parameter: '${name}'.` };
}

export type Form = Record<string, string>;
export type GrantResult = { ok: true; body: Record<string, unknown> } | { ok: false; error: EntraErrorSpec };

export function fail(error: EntraErrorSpec): { ok: false; error: EntraErrorSpec } {
  return { ok: false, error };
}
