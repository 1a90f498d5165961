import { bearerToken, isRecord, queryObject, type SimRequest } from './http.js';
import type { RecordedRequest, SimulatorState, TokenSummary } from './state.js';
import { decodeClaims } from './tokens.js';

/**
 * Test bookkeeping, not a Microsoft behaviour (no service exposes this; source: the test strategy of
 * docs/design.md, which lets tests read what the bot sent): the request log behind
 * `GET /_control/requests` (`?since=<seq>`: entries after a sequence number): decoded claims of the bearer token only, never
 * the token, and bodies with secrets and tokens redacted.
 */
const REDACTED_KEYS = new Set([
  'client_secret',
  'assertion',
  'client_assertion',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'password',
  'code',
  'device_code',
  'code_verifier',
]);
const SUMMARY_CLAIMS: (keyof TokenSummary)[] = ['aud', 'scp', 'roles', 'oid', 'appid', 'idtyp', 'tid', 'amr', 'acrs'];
const MAX_LOG = 5000;

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, REDACTED_KEYS.has(k.toLowerCase()) ? '[redacted]' : redact(v)]));
}

function tokenSummary(req: SimRequest): TokenSummary | null {
  const token = bearerToken(req);
  const claims = token ? decodeClaims(token) : undefined;
  if (!claims) return null;
  const summary: TokenSummary = {};
  for (const claim of SUMMARY_CLAIMS) if (claims[claim] !== undefined) summary[claim] = claims[claim];
  return summary;
}

export function logRequest(state: SimulatorState, req: SimRequest, status: number): void {
  const entry: RecordedRequest = {
    seq: ++state.requestSeq,
    at: state.nowIso(),
    service: req.service,
    method: req.method,
    // Decoded, so conversation ids read as sent (`a:1-…`, `19:…;messageid=…`).
    path: `/${req.segments.join('/')}`,
    query: redact(queryObject(req.query)) as Record<string, string>,
    body: redact(req.body),
    status,
    token: tokenSummary(req),
  };
  state.requests.push(entry);
  if (state.requests.length > MAX_LOG) state.requests.splice(0, state.requests.length - MAX_LOG);
}
