import { createHash, randomBytes } from 'node:crypto';
import { issueDelegated } from './delegated.js';
import { entraTimestamp, fail, missingParameter, type EntraErrorSpec, type Form, type GrantResult } from './errors.js';
import { mintIdToken, resolveTenant, stringList, subjectOf } from './tokens.js';
import { header, html, isRecord, type SimRequest, type SimResponse } from '../core/http.js';
import { resolveResource } from './scopes.js';
import { newId, type AuthorizationCodeGrant, type SimContext } from '../core/state.js';
import type { AppRegistration, TenantUser } from '../tenant/model.js';
import { recordIssued } from '../core/issued-log.js';

/**
 * Interactive sign-in, the authorization code flow (README "Entra ID", "Interactive sign-in"):
 *
 * - `GET /{tenant}/oauth2/v2.0/authorize` checks the request as Entra does (unknown client and
 *   unregistered redirect URI → an error page, other errors → a redirect with `error`) and answers a
 *   sign-in page: a form with the user, a "Complete multi-factor authentication" checkbox and a
 *   `#sign-in` button, the request parameters in hidden fields.
 * - `POST` (the form) checks it all again, issues a one-time code (60 s) for the user and what the
 *   sign-in satisfied (`amr` `pwd`+`mfa`, the `acrs` the claims asked for), records consent for a user
 *   with `consentMissing`, and answers 302 to `redirect_uri?code=…&state=…`.
 * - `grant_type=authorization_code` at the token endpoint redeems the code once
 *   (`redeemAuthorizationCode`), with the same token builder as on-behalf-of.
 *
 * There are no sessions (cookies): every sign-in shows the page, and `prompt=none` answers
 * `login_required`.
 */
const CODE_LIFETIME_MS = 60_000;
/** Redeemed and expired codes are kept this long, so that reuse answers AADSTS54005/70008. */
const CODE_RETENTION_MS = 10 * 60_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const PROMPTS = new Set(['login', 'select_account', 'consent', 'none', 'create']);
/** The request parameters the page carries in hidden fields, in this order. */
const CARRIED = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'claims',
  'login_hint',
  'prompt',
  'code_challenge',
  'code_challenge_method',
  'response_mode',
] as const;

/** What the `claims` parameter asks of the sign-in. */
interface Demands {
  mfa: boolean;
  acrs: string[];
}

interface AuthorizeRequest {
  tenantSegment: string;
  tid: string;
  app: AppRegistration;
  redirectUri: string;
  scope: string;
  params: Partial<Record<(typeof CARRIED)[number], string>>;
  demands: Demands;
}

type Checked = { ok: true; request: AuthorizeRequest } | { ok: false; response: SimResponse };

// ---------------------------------------------------------------------------------------------
// Pages

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function pageLayout(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    `<body><main>${body}</main></body>`,
    '</html>',
  ].join('\n');
}

function aadstsLines(ctx: SimContext, req: SimRequest, code: number, description: string): string[] {
  return [
    `AADSTS${code}: ${description}`,
    `Trace ID: ${newId()}`,
    `Correlation ID: ${header(req, 'client-request-id') ?? newId()}`,
    `Timestamp: ${entraTimestamp(ctx.state.now())}`,
  ];
}

/** What Entra shows when it cannot send the user back to the app (unknown client, bad redirect URI). */
function errorPage(ctx: SimContext, req: SimRequest, code: number, description: string): SimResponse {
  const lines = aadstsLines(ctx, req, code, description);
  const body = [
    '<h1>Sign in</h1>',
    `<p role="alert">Sorry, but we're having trouble signing you in.</p>`,
    `<p id="error-code">${escapeHtml(lines[0]!)}</p>`,
    `<p>${lines.slice(1).map(escapeHtml).join('<br>')}</p>`,
  ].join('\n');
  return html(400, pageLayout('Sign in to your account', body));
}

/** An error sent back to the app: `redirect_uri?error=…&error_description=…&state=…`. */
function errorRedirect(
  ctx: SimContext,
  req: SimRequest,
  request: Pick<AuthorizeRequest, 'redirectUri' | 'params'>,
  spec: EntraErrorSpec & { subcode?: string },
): SimResponse {
  const target = new URL(request.redirectUri);
  target.searchParams.set('error', spec.error);
  target.searchParams.set('error_description', aadstsLines(ctx, req, spec.code, spec.description).join('\r\n'));
  if (spec.subcode) target.searchParams.set('error_subcode', spec.subcode);
  if (spec.claims) target.searchParams.set('claims', spec.claims);
  if (request.params.state !== undefined) target.searchParams.set('state', request.params.state);
  return { status: 302, headers: { Location: target.toString(), 'Cache-Control': 'no-store' } };
}

function signInPage(ctx: SimContext, request: AuthorizeRequest, selectedUserId: string | undefined, alert?: string, status = 200): SimResponse {
  const users = ctx.state.tenant.users;
  const selected = users.find((u) => u.id === selectedUserId);
  const mfaRequired = request.demands.mfa || selected?.requireMfa === true;
  const hidden = CARRIED.filter((name) => request.params[name] !== undefined).map(
    (name) => `<input type="hidden" name="${name}" value="${escapeHtml(request.params[name]!)}">`,
  );
  const options = users.map(
    (u) => `<option value="${escapeHtml(u.id)}"${u.id === selectedUserId ? ' selected' : ''}>${escapeHtml(`${u.name} (${u.upn})`)}</option>`,
  );
  const why = request.demands.acrs.length > 0 ? `authentication context ${request.demands.acrs.join(', ')}` : 'multi-factor authentication';
  const body = [
    '<h1>Sign in</h1>',
    `<p>to <strong id="app-name">${escapeHtml(request.app.displayName)}</strong></p>`,
    alert ? `<p role="alert" id="sign-in-error">${escapeHtml(alert)}</p>` : '',
    `<form id="sign-in-form" method="post" action="/${encodeURIComponent(request.tenantSegment)}/oauth2/v2.0/authorize">`,
    ...hidden,
    '<p><label for="user">Account</label>',
    `<select id="user" name="user" required>${selected ? '' : '<option value="">Choose an account</option>'}${options.join('')}</select></p>`,
    '<p><input type="checkbox" id="mfa" name="mfa" value="true"' +
      (mfaRequired ? ' checked required aria-describedby="mfa-required"' : '') +
      '> <label for="mfa">Complete multi-factor authentication</label></p>',
    mfaRequired ? `<p id="mfa-required">This sign-in requires ${escapeHtml(why)}.</p>` : '',
    '<p><button type="submit" id="sign-in">Sign in</button> <button type="submit" id="cancel" name="action" value="cancel" formnovalidate>Cancel</button></p>',
    '</form>',
  ]
    .filter((line) => line !== '')
    .join('\n');
  return html(status, pageLayout('Sign in to your account', body));
}

// ---------------------------------------------------------------------------------------------
// Checking the request (GET and POST alike)

/** A loopback redirect URI matches whatever its port (RFC 8252 §7.3; Entra ignores it for localhost). */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  let a: URL;
  let b: URL;
  try {
    a = new URL(registered);
    b = new URL(requested);
  } catch {
    return false;
  }
  if (!LOOPBACK_HOSTS.has(a.hostname) || a.hostname !== b.hostname) return false;
  const withoutPort = (u: URL) => `${u.protocol}//${u.hostname}${u.pathname}${u.search}`;
  return withoutPort(a) === withoutPort(b);
}

function findUser(ctx: SimContext, hint: string | undefined): TenantUser | undefined {
  if (!hint) return undefined;
  const key = hint.toLowerCase();
  return ctx.state.tenant.users.find((u) => u.id.toLowerCase() === key || u.upn.toLowerCase() === key);
}

/**
 * `claims`: `acrs` (value or values) and `amr` with `mfa` or a Conditional Access policy (`capolids`) ask for MFA.
 * An `acrs` demand is Entra's authentication context claims request (`{"access_token":{"acrs":{"essential":true,
 * "value":"c1"}}}`, learn.microsoft.com/entra/identity-platform/claims-challenge and the developer guide to
 * Conditional Access authentication context; docs/api-contracts.md §9). The simulated tenant ties every context to
 * MFA with sign-in frequency "Every time" (concept-session-lifetime): there are no sessions here, so each sign-in
 * asks again and the token's `acrs` and `iat` are those of this sign-in.
 */
function parseDemands(value: string | undefined): Demands | undefined {
  if (!value) return { mfa: false, acrs: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const acrs: string[] = [];
  let mfa = false;
  for (const section of ['access_token', 'id_token']) {
    const claims = parsed[section];
    if (!isRecord(claims)) continue;
    const values = (claim: unknown) => (isRecord(claim) ? [...stringList(claim['value']), ...stringList(claim['values'])] : []);
    acrs.push(...values(claims['acrs']).filter((c) => !acrs.includes(c)));
    if (values(claims['amr']).includes('mfa') || isRecord(claims['capolids'])) mfa = true;
  }
  return { mfa: mfa || acrs.length > 0, acrs };
}

function checkRequest(ctx: SimContext, req: SimRequest, tenantSegment: string, get: (name: string) => string | undefined): Checked {
  const tid = resolveTenant(ctx, tenantSegment);
  if (!tid) {
    return {
      ok: false,
      response: errorPage(
        ctx,
        req,
        90002,
        `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      ),
    };
  }
  const clientId = get('client_id');
  if (!clientId) return { ok: false, response: errorPage(ctx, req, 900144, "The request body must contain the following parameter: 'client_id'.") };
  const app = ctx.state.tenant.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  if (!app) {
    return {
      ok: false,
      response: errorPage(
        ctx,
        req,
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenantSegment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      ),
    };
  }
  const redirectUri = get('redirect_uri');
  if (!redirectUri) return { ok: false, response: errorPage(ctx, req, 900144, "The request body must contain the following parameter: 'redirect_uri'.") };
  if (!(app.redirectUris ?? []).some((registered) => redirectUriMatches(registered, redirectUri))) {
    return {
      ok: false,
      response: errorPage(
        ctx,
        req,
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
      ),
    };
  }
  const params: AuthorizeRequest['params'] = {};
  for (const name of CARRIED) {
    const value = get(name);
    if (value !== undefined) params[name] = value;
  }
  const back = (spec: EntraErrorSpec & { subcode?: string }): Checked => ({ ok: false, response: errorRedirect(ctx, req, { redirectUri, params }, spec) });
  const responseMode = params.response_mode ?? 'query';
  if (responseMode !== 'query') {
    // form_post and fragment are real Entra modes; the simulator (and the harness) only do query.
    return { ok: false, response: errorPage(ctx, req, 900144, `The tenant simulator answers response_mode 'query' only, not '${responseMode}'.`) };
  }
  const responseType = params.response_type;
  if (!responseType) return back(missingParameter('response_type'));
  if (responseType !== 'code') {
    return back({ error: 'unsupported_response_type', code: 700054, description: `response_type '${responseType}' is not enabled for the application.` });
  }
  const scope = params.scope;
  if (!scope) return back(missingParameter('scope'));
  for (const item of scope.split(/\s+/).filter((s) => s !== '' && !OIDC_SCOPES.has(s.toLowerCase()))) {
    const slash = item.lastIndexOf('/');
    const uri = slash < 0 ? 'https://graph.microsoft.com' : item.slice(0, slash);
    if (!resolveResource(ctx, uri)) {
      return back({
        error: 'invalid_resource',
        code: 500011,
        description: `The resource principal named ${uri} was not found in the tenant named ${tenantSegment}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      });
    }
  }
  const demands = parseDemands(params.claims);
  if (!demands) return back({ error: 'invalid_request', code: 90014, description: 'The claims parameter is not valid JSON.' });
  const method = params.code_challenge_method;
  if (params.code_challenge !== undefined && method !== undefined && method !== 'S256' && method !== 'plain') {
    return back({ error: 'invalid_request', code: 90023, description: `The code_challenge_method '${method}' is not supported. Use S256 or plain.` });
  }
  if (params.code_challenge === '') return back({ error: 'invalid_request', code: 90023, description: 'The code_challenge is empty.' });
  if (params.prompt !== undefined && !PROMPTS.has(params.prompt)) {
    return back({ error: 'invalid_request', code: 90023, description: `Invalid value '${params.prompt}' for the 'prompt' parameter.` });
  }
  return { ok: true, request: { tenantSegment, tid, app, redirectUri, scope, params, demands } };
}

// ---------------------------------------------------------------------------------------------
// Handlers

export function showSignIn(ctx: SimContext, req: SimRequest, tenantSegment: string): SimResponse {
  const checked = checkRequest(ctx, req, tenantSegment, (name) => req.query.get(name) ?? undefined);
  if (!checked.ok) return checked.response;
  const { request } = checked;
  if (request.params.prompt === 'none') {
    // No sessions here: a silent request always needs the user.
    return errorRedirect(ctx, req, request, {
      error: 'login_required',
      code: 50058,
      description: 'A silent sign-in request was sent but no user is signed in.',
    });
  }
  return signInPage(ctx, request, findUser(ctx, request.params.login_hint)?.id);
}

function newCode(): string {
  return recordIssued(`0.sim.${randomBytes(48).toString('base64url')}`);
}

export function submitSignIn(ctx: SimContext, req: SimRequest, tenantSegment: string): SimResponse {
  const form: Form = isRecord(req.body) ? (req.body as Form) : {};
  const checked = checkRequest(ctx, req, tenantSegment, (name) => form[name]);
  if (!checked.ok) return checked.response;
  const { request } = checked;
  if (form['action'] === 'cancel') {
    return errorRedirect(ctx, req, request, {
      error: 'access_denied',
      code: 65004,
      description: 'User declined to consent to access the app.',
      subcode: 'cancel',
    });
  }
  const user = ctx.state.tenant.users.find((u) => u.id === form['user']);
  if (!user) return signInPage(ctx, request, undefined, 'Choose an account to sign in with.', 400);
  if (request.tid !== ctx.state.tenant.tenantId) {
    return errorPage(
      ctx,
      req,
      50020,
      `User account '${user.upn}' from identity provider 'https://sts.windows.net/${ctx.state.tenant.tenantId}/' does not exist in tenant '${request.tenantSegment}' and cannot access the application '${request.app.clientId}'(${request.app.displayName}) in that tenant.`,
    );
  }
  if (user.disabled) return errorPage(ctx, req, 50057, 'The user account is disabled.');
  const mfa = ['true', 'on'].includes(form['mfa'] ?? '');
  if ((request.demands.mfa || user.requireMfa) && !mfa) {
    return signInPage(ctx, request, user.id, 'This sign-in requires multi-factor authentication. Complete it and sign in again.', 400);
  }
  // Signing in here is also the consent prompt.
  if (user.consentMissing) delete user.consentMissing;

  const now = ctx.state.now();
  for (const [code, grant] of ctx.state.authorizationCodes) if (grant.expiresAt + CODE_RETENTION_MS < now) ctx.state.authorizationCodes.delete(code);
  const amr = mfa ? ['pwd', 'mfa'] : ['pwd'];
  const { params } = request;
  const grant: AuthorizationCodeGrant = {
    clientId: request.app.clientId,
    tenantId: request.tid,
    redirectUri: request.redirectUri,
    scope: request.scope,
    // `acrs` only for contexts this sign-in satisfied (access-token-claims-reference, docs/api-contracts.md §9): a
    // password-only sign-in for a request without the challenge gets none. [?] for a context no policy targets.
    subject: subjectOf(user, request.tid, amr, mfa ? request.demands.acrs : []),
    expiresAt: now + CODE_LIFETIME_MS,
    redeemed: false,
    ...(params.code_challenge !== undefined
      ? { codeChallenge: params.code_challenge, codeChallengeMethod: params.code_challenge_method === 'S256' ? 'S256' : 'plain' }
      : {}),
    ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
  };
  const code = newCode();
  ctx.state.authorizationCodes.set(code, grant);
  const target = new URL(request.redirectUri);
  target.searchParams.set('code', code);
  if (params.state !== undefined) target.searchParams.set('state', params.state);
  target.searchParams.set('session_state', newId());
  return { status: 302, headers: { Location: target.toString(), 'Cache-Control': 'no-store' } };
}

// ---------------------------------------------------------------------------------------------
// Token endpoint: grant_type=authorization_code

function invalidGrant(code: number, description: string): { ok: false; error: EntraErrorSpec } {
  return fail({ error: 'invalid_grant', code, description });
}

function pkceMatches(grant: AuthorizationCodeGrant, verifier: string | undefined): boolean {
  if (grant.codeChallenge === undefined) return true;
  if (!verifier) return false;
  const computed = grant.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return computed === grant.codeChallenge;
}

/** Only openid/profile/offline_access asked for: Entra issues a Graph token (`User.Read`) with the id token. */
function tokenScope(scope: string): string {
  const parts = scope.split(/\s+/).filter((s) => s !== '');
  return parts.every((s) => OIDC_SCOPES.has(s.toLowerCase())) ? [...parts, 'User.Read'].join(' ') : parts.join(' ');
}

export function redeemAuthorizationCode(ctx: SimContext, form: Form, client: AppRegistration, tid: string, tenantSegment: string): GrantResult {
  const code = form['code'];
  if (!code) return fail(missingParameter('code'));
  const redirectUri = form['redirect_uri'];
  if (!redirectUri) return fail(missingParameter('redirect_uri'));
  const grant = ctx.state.authorizationCodes.get(code);
  if (!grant) return invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.');
  if (grant.clientId !== client.clientId) return invalidGrant(70000, 'The provided grant is invalid or malformed.');
  if (grant.tenantId !== tid) return invalidGrant(700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.');
  if (grant.redeemed) {
    return invalidGrant(54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
  }
  if (grant.expiresAt < ctx.state.now()) {
    return invalidGrant(
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  }
  if (redirectUri !== grant.redirectUri) {
    return invalidGrant(
      500112,
      `The reply address '${redirectUri}' does not match the reply address '${grant.redirectUri}' provided when requesting Authorization code.`,
    );
  }
  if (!pkceMatches(grant, form['code_verifier'])) {
    return invalidGrant(50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.');
  }
  const issued = issueDelegated(ctx, { ...form, scope: tokenScope(form['scope'] || grant.scope) }, client, grant.subject, tenantSegment);
  if (!issued.ok) return issued;
  // A failed attempt (wrong redirect URI, verifier, scope) leaves the code usable; a success spends it.
  grant.redeemed = true;
  if (grant.nonce !== undefined && issued.body['id_token'] !== undefined) {
    issued.body['id_token'] = mintIdToken(ctx, grant.subject, client, { nonce: grant.nonce });
  }
  return issued;
}
