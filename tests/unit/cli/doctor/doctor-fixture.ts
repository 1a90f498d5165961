import { ServerError } from '@azure/msal-node';
import { HttpClient } from '../../../../src/adapters/http/http-client.js';
import { parsePolicy } from '../../../../src/adapters/policy/policy-file.js';
import type { CheckId, CheckStatus } from '../../../../src/cli/doctor/catalog.js';
import { DoctorContext, type DoctorDeps, type OperatorSession } from '../../../../src/cli/doctor/context.js';
import { loadConfig } from '../../../../src/config.js';
import { ElevateError } from '../../../../src/domain/errors.js';
import { PERMISSIVE_POLICY, type ElevatePolicy } from '../../../../src/domain/elevate-policy.js';
import type { TokenSource } from '../../../../src/ports/token-broker.js';
import type { FakeReply } from '../../adapters/fakes/fake-fetch.js';

/**
 * A doctor run for unit tests: the production configuration of a real tenant, fake HTTP answered
 * by URL (first matching route wins; an unmatched call fails the test), tokens that are plain
 * strings, and results of earlier checks set by hand.
 */
export const CLIENT_ID = 'e1e7a7e0-55a0-4e1e-9a7e-0000000055a0';
export const BOT_ID = '0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7';
export const TENANT = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';
export const SECRET = 'Xy7~secret-value';
export const NOW = Date.parse('2026-03-01T10:00:00Z');
export const GRAPH = 'https://graph.microsoft.com/v1.0';
export const PP = 'https://api.powerplatform.com';

export const ENV: Record<string, string> = {
  BOT_ID,
  BOT_PASSWORD: 'bot-secret',
  AAD_APP_CLIENT_ID: CLIENT_ID,
  AAD_APP_CLIENT_SECRET: SECRET,
  AAD_APP_TENANT_ID: TENANT,
  SECURITY_GROUP_ID: '5ec0a11d-0000-4000-8000-000000000001',
  ELEVATE_PUBLIC_URL: 'https://elevate.contoso.example',
  ELEVATE_AUDIT_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
};

export interface Route {
  /** A substring of the URL (method GET unless `method`). */
  url: string;
  method?: string;
  reply: FakeReply | ((url: string) => FakeReply);
}

export interface Call {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface Fixture {
  ctx: DoctorContext;
  calls: Call[];
}

export interface FixtureOptions {
  routes?: Route[];
  env?: Record<string, string | undefined>;
  appToken?: (resource: string) => TokenSource;
  botToken?: () => Promise<string>;
  /** `null`: no operator (`--no-operator`). Default: signed in, token `operator-token`. */
  operator?: OperatorSession | null;
  policy?: ElevatePolicy | Error | string;
  /** Results of earlier checks. */
  results?: Partial<Record<CheckId, CheckStatus>>;
}

function routedFetch(routes: readonly Route[], calls: Call[]): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const authorization = new Headers(init?.headers).get('authorization') ?? undefined;
    calls.push({ method, url, authorization });
    const route = routes.find((r) => url.includes(r.url) && (r.method ?? 'GET') === method);
    if (!route) throw new Error(`unexpected call ${method} ${url}`);
    const reply = typeof route.reply === 'function' ? route.reply(url) : route.reply;
    const body = reply.body === undefined ? null : JSON.stringify(reply.body);
    return new Response(body, { status: reply.status ?? 200, headers: { 'content-type': 'application/json', ...reply.headers } });
  };
}

export const signedIn: OperatorSession = { signIn: async () => ({ username: 'patti@contoso.example' }), token: async () => 'operator-token' };

export function fixture(options: FixtureOptions = {}): Fixture {
  const calls: Call[] = [];
  const env = { ...ENV, ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const policy = options.policy;
  const deps: DoctorDeps = {
    config: loadConfig(env),
    http: new HttpClient({ fetch: routedFetch(options.routes ?? [], calls), sleep: async () => undefined, maxAttempts: 1 }),
    appToken: options.appToken ?? ((resource) => async () => `app-token-for-${resource}`),
    botToken: options.botToken ?? (async () => 'bot-token'),
    ...(options.operator === null ? {} : { operator: options.operator ?? signedIn }),
    loadPolicy: () => {
      if (policy instanceof Error) throw policy;
      if (typeof policy === 'string') return parsePolicy('policy.yaml', policy);
      return policy ?? PERMISSIVE_POLICY;
    },
    now: () => NOW,
  };
  const ctx = new DoctorContext(deps);
  const results: Partial<Record<CheckId, CheckStatus>> = {
    'operator.sign-in': options.operator === null ? 'skip' : 'pass',
    'app.credential': 'pass',
    ...options.results,
  };
  for (const [id, status] of Object.entries(results) as [CheckId, CheckStatus][]) ctx.results.set(id, { id, title: id, status, detail: '' });
  return { ctx, calls };
}

/** An error as MsalTokenBroker throws it for a refused token: an ElevateError caused by msal-node's ServerError. */
export function entraRefusal(error: string, aadsts: string, description: string): ElevateError {
  const server = new ServerError(
    error,
    'correlation',
    `AADSTS${aadsts}: ${description}\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-03-01 10:00:00Z`,
    undefined,
    aadsts,
    401,
  );
  return new ElevateError(`Microsoft Entra ID refused an application token (${error}).`, 'AppTokenFailed', { cause: server });
}

export function failingToken(error: Error): TokenSource {
  return async () => {
    throw error;
  };
}

/** A JWT-shaped token (not signed) with these claims, as Entra's app tokens carry `roles`. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

/** Graph's error envelope. */
export function graphError(status: number, code: string, message = 'Insufficient privileges to complete the operation.'): FakeReply {
  return { status, body: { error: { code, message, innerError: { 'request-id': 'r' } } } };
}
