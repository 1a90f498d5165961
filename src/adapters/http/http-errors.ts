import { HttpError, ServiceUnavailableError, StepUpRequiredError, ThrottledError } from '../../domain/errors.js';

/** What an error answer says about itself, read from the envelopes of docs/api-contracts.md §2–§4. */
export interface ErrorDetails {
  serviceCode: string | undefined;
  serviceMessage: string | undefined;
  correlationId: string | undefined;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Graph and Dataverse: `{"error":{"code","message","innerError":{"request-id"}}}`; Power Platform
 * sometimes answers a bare `{"code","message"}`. Graph puts `request-id` in a header too; Power
 * Platform sends `x-ms-correlation-id`.
 */
export function errorDetails(headers: Headers, body: unknown): ErrorDetails {
  const root = asObject(body);
  const error = asObject(root?.error) ?? root;
  const inner = asObject(error?.innerError) ?? asObject(error?.innererror);
  return {
    serviceCode: asString(error?.code),
    serviceMessage: asString(error?.message),
    correlationId:
      headers.get('x-ms-correlation-id') ?? headers.get('request-id') ?? asString(inner?.['request-id']) ?? headers.get('x-ms-request-id') ?? undefined,
  };
}

/** `Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsi..."` (CAE, base64 claims). */
export function claimsChallenge(headers: Headers): string | undefined {
  const header = headers.get('www-authenticate');
  if (!header || !/error="insufficient_claims"/i.test(header)) return undefined;
  const encoded = /claims="([^"]+)"/i.exec(header)?.[1];
  if (!encoded) return undefined;
  try {
    return Buffer.from(encoded, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/** The error for a final (not retried, or retries exhausted) HTTP answer. The message never holds a token. */
export function errorForStatus(request: { method: string; url: string }, status: number, headers: Headers, body: unknown, cause?: unknown): Error {
  const details = errorDetails(headers, body);
  const where = `${request.method} ${describeUrl(request.url)}`;
  const what = details.serviceCode ? ` (${details.serviceCode}${details.serviceMessage ? `: ${details.serviceMessage}` : ''})` : '';
  const message = `${where} answered HTTP ${status}${what}`;
  const options = cause === undefined ? undefined : { cause };
  if (status === 429)
    return new ThrottledError(`${message}: throttled beyond the retry budget`, status, details.serviceCode, details.correlationId, body, options);
  const httpError = new HttpError(message, status, details.serviceCode, details.correlationId, body, options);
  if (status === 401) {
    const claims = claimsChallenge(headers);
    if (claims) return new StepUpRequiredError(`${where} asked for a fresh sign-in (claims challenge).`, claims, 'interaction', { cause: httpError });
  }
  return httpError;
}

export function networkError(request: { method: string; url: string }, error: unknown, attempts: number): ServiceUnavailableError {
  const reason = isTimeout(error) ? 'timed out' : `failed (${describeCause(error)})`;
  return new ServiceUnavailableError(`${request.method} ${describeUrl(request.url)} ${reason} after ${attempts} attempt(s).`, { cause: error });
}

export function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/** Host and path only: query strings can carry user ids and filters that do not belong in error text. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
