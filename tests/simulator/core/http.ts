import type { IncomingHttpHeaders } from 'node:http';

/**
 * Which cloud service a path belongs to (README "URL layout"). `managedidentity` is App Service's
 * managed identity endpoint (`IDENTITY_ENDPOINT` with the `X-IDENTITY-HEADER`, protocol 2019-08-01:
 * learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference; docs/api-contracts.md §7).
 */
export type ServiceName = 'entra' | 'managedidentity' | 'graph' | 'powerplatform' | 'dataverse' | 'connector' | 'botframework' | 'control' | 'dev';

/** Services whose requests are logged and can be given faults. */
export const SIMULATED_SERVICES: readonly ServiceName[] = ['entra', 'managedidentity', 'graph', 'powerplatform', 'dataverse', 'connector', 'botframework'];

export interface SimRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** Path segments, each percent-decoded on its own (conversation ids hold `:`, `@`, `;`). */
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body; `undefined` when empty. */
  body: unknown;
  bodySize: number;
  service: ServiceName;
  remoteAddress: string | undefined;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON; `undefined` sends an empty body. */
  body?: unknown;
  /** Sent as is instead of `body` (HTML pages of the interactive sign-in); set `Content-Type` in `headers`. */
  text?: string;
  /** Destroy the socket instead of answering (fault injection). */
  dropConnection?: boolean;
}

export function json(status: number, body?: unknown, headers?: Record<string, string>): SimResponse {
  return { status, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) };
}

export function html(status: number, page: string, headers?: Record<string, string>): SimResponse {
  return { status, text: page, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers } };
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function bearerToken(req: SimRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  return match?.[1];
}

export function queryObject(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries(query.entries());
}

export function serviceOf(segments: readonly string[]): ServiceName {
  const first = segments[0] ?? '';
  switch (first) {
    case 'graph':
    case 'powerplatform':
    case 'dataverse':
    case 'connector':
    case 'botframework':
      return first;
    case 'msi':
      return 'managedidentity';
    case '_control':
      return 'control';
    case '_dev':
      return 'dev';
    default:
      return 'entra';
  }
}

/** Splits and decodes a raw path; a malformed escape keeps the segment as sent. */
export function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** A JSON body, a form body (token endpoint) or the raw text. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text).entries());
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
}
