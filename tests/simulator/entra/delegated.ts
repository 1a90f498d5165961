import { fail, missingParameter, type EntraErrorSpec, type Form, type GrantResult } from './errors.js';
import { ACCESS_TOKEN_SECONDS, clientInfo, mintDelegatedToken, mintIdToken, newRefreshToken, stringList, verifyEntraToken, type Subject } from './tokens.js';
import { isRecord } from '../core/http.js';
import { parseScopes, type ScopeRequest } from './scopes.js';
import type { SimContext } from '../core/state.js';
import type { AppRegistration } from '../tenant/model.js';

/**
 * Delegated tokens: the on-behalf-of exchange (docs/api-contracts.md §1) and its refresh tokens. The
 * assertion must be a user token this simulator issued, unexpired, for this client; the new token
 * keeps the user's `oid`, `tid`, `name`, `preferred_username`, `amr` and `acrs`.
 */
const REFRESH_TOKEN_MS = 24 * 60 * 60_000;
/** The Conditional Access policy named in MFA claims challenges. */
const MFA_POLICY_ID = 'ca000000-0000-4000-8000-000000000001';

type SubjectResult = { ok: true; subject: Subject } | { ok: false; error: EntraErrorSpec };

function invalidGrant(code: number, description: string): { ok: false; error: EntraErrorSpec } {
  return fail({ error: 'invalid_grant', code, description });
}

export function issueOnBehalfOf(ctx: SimContext, form: Form, client: AppRegistration, tid: string, tenantSegment: string): GrantResult {
  const use = form['requested_token_use'];
  if (!use) return fail(missingParameter('requested_token_use'));
  if (use !== 'on_behalf_of') return fail({ error: 'invalid_request', code: 50049, description: `Unknown or invalid requested_token_use '${use}'.` });
  if (!form['assertion']) return fail(missingParameter('assertion'));
  const checked = checkAssertion(ctx, form['assertion'], client, tid);
  return checked.ok ? issueDelegated(ctx, form, client, checked.subject, tenantSegment) : checked;
}

function checkAssertion(ctx: SimContext, assertion: string, client: AppRegistration, tid: string): SubjectResult {
  const verified = verifyEntraToken(ctx, assertion);
  if (!verified.ok) {
    if (verified.failure === 'expired') {
      return invalidGrant(
        500133,
        `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${new Date(ctx.state.now()).toISOString()}.`,
      );
    }
    if (verified.failure === 'malformed') return invalidGrant(50027, 'JWT token is invalid or malformed.');
    return invalidGrant(50013, `Assertion failed signature validation. [Reason - ${verified.message}]`);
  }
  const claims = verified.claims;
  const aud = typeof claims['aud'] === 'string' ? claims['aud'] : '';
  const audiences = [client.clientId, ...client.identifierUris].map((a) => a.toLowerCase());
  if (!audiences.includes(aud.toLowerCase())) {
    return invalidGrant(
      50013,
      `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${aud}' and the expected audience is '${client.clientId}' or one of the Application Id URIs of this application.`,
    );
  }
  if (claims['tid'] !== tid) return invalidGrant(50013, `Assertion failed signature validation. [Reason - The assertion was not issued for tenant '${tid}'.]`);
  if (claims['idtyp'] === 'app' || typeof claims['scp'] !== 'string' || typeof claims['oid'] !== 'string') {
    return invalidGrant(50013, 'Assertion failed signature validation. [Reason - The assertion is not a delegated user token.]');
  }
  const subject: Subject = {
    oid: claims['oid'],
    tid,
    name: String(claims['name'] ?? ''),
    preferred_username: String(claims['preferred_username'] ?? ''),
    amr: stringList(claims['amr']),
    acrs: stringList(claims['acrs']),
  };
  return { ok: true, subject };
}

export function issueFromRefreshToken(ctx: SimContext, form: Form, client: AppRegistration, tid: string, tenantSegment: string): GrantResult {
  const token = form['refresh_token'];
  if (!token) return fail(missingParameter('refresh_token'));
  const grant = ctx.state.refreshTokens.get(token);
  if (!grant) return invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.');
  if (grant.expiresAt < ctx.state.now()) return invalidGrant(700082, 'The refresh token has expired due to inactivity.');
  if (grant.clientId !== client.clientId || grant.tenantId !== tid) return invalidGrant(70000, 'The provided grant is invalid or malformed.');
  return issueDelegated(ctx, form, client, grant.subject, tenantSegment);
}

interface ClaimsRequest {
  acrs: string[];
  xmsCc: string[];
}

/** The `claims` parameter: an `acrs` demand (step-up) and client capabilities (`xms_cc`, MSAL's `cp1`). */
function parseClaimsRequest(value: string | undefined): ClaimsRequest | undefined {
  if (!value) return { acrs: [], xmsCc: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const accessToken = isRecord(parsed) && isRecord(parsed['access_token']) ? parsed['access_token'] : {};
  const acrs = isRecord(accessToken['acrs']) ? accessToken['acrs'] : {};
  const xmsCc = isRecord(accessToken['xms_cc']) ? accessToken['xms_cc'] : {};
  return { acrs: [...stringList(acrs['value']), ...stringList(acrs['values'])], xmsCc: stringList(xmsCc['values']) };
}

function interactionRequired(resource: string, claims: unknown): { ok: false; error: EntraErrorSpec } {
  return fail({
    error: 'interaction_required',
    code: 50076,
    description: `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resource}'.`,
    claims: JSON.stringify(claims),
    suberror: 'basic_action',
  });
}

function checkUserAndPolicy(ctx: SimContext, client: AppRegistration, subject: Subject, request: ScopeRequest, claims: ClaimsRequest): GrantResult | undefined {
  const user = ctx.state.tenant.users.find((u) => u.id === subject.oid);
  if (!user) return invalidGrant(50034, `The user account ${subject.oid} does not exist in the '${subject.tid}' directory.`);
  if (user.disabled) return invalidGrant(50057, 'The user account is disabled.');
  const consented = client.delegatedPermissions[request.resource.name] ?? [];
  const lower = consented.map((p) => p.toLowerCase());
  const granted = request.isDefault ? consented.length > 0 : request.permissions.every((p) => lower.includes(p.toLowerCase()));
  if (user.consentMissing || !granted) {
    return fail({
      error: 'invalid_grant',
      code: 65001,
      description: `The user or administrator has not consented to use the application with ID '${client.clientId}' named '${client.displayName}'. Send an interactive authorization request for this user and resource.`,
      suberror: 'consent_required',
    });
  }
  if (user.requireMfa && !subject.amr.includes('mfa')) {
    return interactionRequired(request.resource.audience, { access_token: { capolids: { essential: true, values: [MFA_POLICY_ID] } } });
  }
  const missingAcrs = claims.acrs.filter((c) => !subject.acrs.includes(c));
  if (missingAcrs.length > 0) return interactionRequired(request.resource.audience, { access_token: { acrs: { essential: true, value: missingAcrs[0] } } });
  return undefined;
}

export function issueDelegated(ctx: SimContext, form: Form, client: AppRegistration, subject: Subject, tenantSegment: string): GrantResult {
  if (!form['scope']) return fail(missingParameter('scope'));
  const parsed = parseScopes(ctx, form['scope'], tenantSegment);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const claims = parseClaimsRequest(form['claims']);
  if (!claims) return fail({ error: 'invalid_request', code: 90014, description: 'The claims parameter is not valid JSON.' });
  const refused = checkUserAndPolicy(ctx, client, subject, request, claims);
  if (refused) return refused;
  const consented = client.delegatedPermissions[request.resource.name] ?? [];
  const scp = request.isDefault ? consented : request.permissions.map((p) => consented.find((c) => c.toLowerCase() === p.toLowerCase()) ?? p);
  const audience = request.resource.audience;
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: [...scp.map((p) => `${audience}/${p}`), ...(request.isDefault ? [`${audience}/.default`] : [])].join(' '),
    expires_in: ACCESS_TOKEN_SECONDS - 1,
    ext_expires_in: ACCESS_TOKEN_SECONDS - 1,
    access_token: mintDelegatedToken(ctx, { subject, client, audience, scp, xmsCc: claims.xmsCc }),
  };
  if (request.oidc.includes('offline_access')) {
    const refreshToken = newRefreshToken();
    ctx.state.refreshTokens.set(refreshToken, {
      clientId: client.clientId,
      tenantId: subject.tid,
      subject: { ...subject },
      expiresAt: ctx.state.now() + REFRESH_TOKEN_MS,
    });
    body['refresh_token'] = refreshToken;
  }
  if (request.oidc.includes('openid')) body['id_token'] = mintIdToken(ctx, subject, client);
  if (form['client_info'] === '1') body['client_info'] = clientInfo(subject);
  return { ok: true, body };
}
