import { randomBytes, randomInt } from 'node:crypto';
import { issueDelegated } from './delegated.js';
import { entraError, fail, missingParameter, type EntraErrorSpec, type Form, type GrantResult } from './errors.js';
import { resolveTenant, subjectOf } from './tokens.js';
import { isRecord, json, type SimRequest, type SimResponse } from '../core/http.js';
import { parseScopes } from './scopes.js';
import type { DeviceCodeGrant, SimContext } from '../core/state.js';
import type { AppRegistration, TenantUser } from '../tenant/model.js';

/**
 * The OAuth 2.0 device authorization grant as Entra ID plays it (learn.microsoft.com/entra/identity-platform/
 * v2-oauth2-device-code; research-9 §6): `POST /{tenant}/oauth2/v2.0/devicecode` with `client_id` and
 * `scope` answers `device_code`, `user_code`, `verification_uri`, `expires_in` (900: "the user has 15
 * minutes to sign in"), `interval` and `message` (no `verification_uri_complete`: "not included or
 * supported at this time"). The client polls the token endpoint with
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code` (msal-node sends `device_code`) and gets `authorization_pending` until the
 * user signs in (here: the control API or the `/devicelogin` page), then the tokens; or
 * `authorization_declined`, `expired_token`, `bad_verification_code`. msal-node finds this endpoint by
 * replacing `/token` with `/devicecode` in the metadata's `token_endpoint` [S: msal-common Authority].
 */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** What msal-node sends as `grant_type` [S: msal-common Constants.GrantType.DEVICE_CODE_GRANT]; Entra takes both. */
export const MSAL_DEVICE_CODE_GRANT = 'device_code';
const EXPIRES_IN_SECONDS = 15 * 60;
/** User codes: letters and digits without look-alikes; Entra's are 8-9 characters [?]. */
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function unknownClient(clientId: string, tenantSegment: string): EntraErrorSpec {
  return {
    error: 'unauthorized_client',
    code: 700016,
    description: `Application with identifier '${clientId}' was not found in the directory '${tenantSegment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  };
}

function newUserCode(): string {
  return Array.from({ length: 9 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
}

export function verificationUri(ctx: SimContext): string {
  return `${ctx.baseUrl}/devicelogin`;
}

/** `POST /{tenant}/oauth2/v2.0/devicecode`: no client secret here; the token request authenticates the client. */
export function requestDeviceCode(ctx: SimContext, req: SimRequest, tenantSegment: string): SimResponse {
  const form: Form = isRecord(req.body) ? (req.body as Form) : {};
  const tid = resolveTenant(ctx, tenantSegment);
  if (!tid) return entraError(ctx, req, { error: 'invalid_request', code: 90002, description: `Tenant '${tenantSegment}' not found.` });
  const clientId = form['client_id'];
  if (!clientId) return entraError(ctx, req, missingParameter('client_id'));
  const app = ctx.state.tenant.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  if (!app) return entraError(ctx, req, unknownClient(clientId, tenantSegment));
  if (!form['scope']) return entraError(ctx, req, missingParameter('scope'));
  const parsed = parseScopes(ctx, form['scope'], tenantSegment);
  if (!parsed.ok) return entraError(ctx, req, parsed.error);
  const grant: DeviceCodeGrant = {
    deviceCode: `DAQABAAEAAAD${randomBytes(48).toString('base64url')}`,
    userCode: newUserCode(),
    clientId: app.clientId,
    tenantId: tid,
    scope: form['scope'],
    expiresAt: ctx.state.now() + EXPIRES_IN_SECONDS * 1000,
    status: 'pending',
  };
  ctx.state.deviceCodes.set(grant.deviceCode, grant);
  const uri = verificationUri(ctx);
  return json(
    200,
    {
      user_code: grant.userCode,
      device_code: grant.deviceCode,
      verification_uri: uri,
      expires_in: EXPIRES_IN_SECONDS,
      interval: ctx.state.settings.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${uri} and enter the code ${grant.userCode} to authenticate.`,
    },
    { 'Cache-Control': 'no-store' },
  );
}

/** The token endpoint's device code grant. The error codes of the declined and reused cases are [?]. */
export function redeemDeviceCode(ctx: SimContext, form: Form, client: AppRegistration, tid: string, tenantSegment: string): GrantResult {
  const code = form['device_code'];
  if (!code) return fail(missingParameter('device_code'));
  const grant = ctx.state.deviceCodes.get(code);
  if (!grant || grant.clientId !== client.clientId || grant.tenantId !== tid) {
    return fail({ error: 'bad_verification_code', code: 70000, description: "The provided value for the input parameter 'device_code' is not valid." });
  }
  if (grant.expiresAt <= ctx.state.now()) {
    ctx.state.deviceCodes.delete(code);
    return fail({ error: 'expired_token', code: 70019, description: 'Verification code expired.' });
  }
  switch (grant.status) {
    case 'pending':
      return fail({ error: 'authorization_pending', code: 70016, description: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.' });
    case 'declined':
      ctx.state.deviceCodes.delete(code);
      return fail({ error: 'authorization_declined', code: 70000, description: 'The end user denied the authorization request.' });
    case 'redeemed':
      return fail({ error: 'invalid_grant', code: 70000, description: 'The provided device code has already been redeemed.' });
    case 'approved':
      grant.status = 'redeemed';
      // The token is for what the device code request asked, whatever the poll repeats (MSAL repeats it).
      return issueDelegated(ctx, { ...form, scope: grant.scope }, client, grant.subject!, tenantSegment);
  }
}

export type DeviceCodeDecision = { ok: true; grant: DeviceCodeGrant; user: TenantUser } | { ok: false; status: number; code: string; message: string };

function normalizeUserCode(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase();
}

/**
 * What the sign-in page does when a user enters the code: `approve` signs the user in for that
 * request (with `mfa`, `amr` gets `mfa`), `decline` refuses it. A disabled user cannot sign in.
 */
export function decideDeviceCode(
  ctx: SimContext,
  userCode: string,
  user: TenantUser | undefined,
  decision: 'approve' | 'decline',
  mfa = false,
): DeviceCodeDecision {
  const wanted = normalizeUserCode(userCode);
  const grant = [...ctx.state.deviceCodes.values()].find((g) => g.userCode === wanted);
  if (!grant) return { ok: false, status: 404, code: 'UnknownUserCode', message: `No device sign-in waits for the code '${userCode}'.` };
  if (grant.expiresAt <= ctx.state.now()) return { ok: false, status: 400, code: 'ExpiredUserCode', message: 'That code has expired.' };
  if (grant.status !== 'pending') return { ok: false, status: 409, code: 'UserCodeUsed', message: 'That code was already used.' };
  if (!user) return { ok: false, status: 404, code: 'UserNotFound', message: 'No such user in the tenant.' };
  if (user.disabled) return { ok: false, status: 400, code: 'UserDisabled', message: 'AADSTS50057: The user account is disabled.' };
  if (decision === 'decline') {
    grant.status = 'declined';
  } else {
    grant.status = 'approved';
    grant.subject = subjectOf(user, grant.tenantId, mfa ? ['pwd', 'mfa'] : ['pwd']);
  }
  return { ok: true, grant, user };
}

/** Pending device sign-ins, for the control API (never the device code, which redeems the tokens). */
export function pendingDeviceCodes(ctx: SimContext): { userCode: string; clientId: string; scope: string; expiresAt: string; status: string }[] {
  return [...ctx.state.deviceCodes.values()].map((g) => ({
    userCode: g.userCode,
    clientId: g.clientId,
    scope: g.scope,
    expiresAt: new Date(g.expiresAt).toISOString(),
    status: g.status,
  }));
}
