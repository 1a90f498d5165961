import { createHash, X509Certificate } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { SimContext } from '../core/state.js';
import type { AppRegistration, KeyCredential } from '../tenant/model.js';
import type { EntraErrorSpec, Form } from './errors.js';
import { entraTimestamp } from './errors.js';
import { verifyEntraToken } from './tokens.js';

/**
 * Client authentication with `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`
 * (RFC 7523 §2.2) at the token endpoint, the two ways Entra accepts it:
 * - a JWT signed with a certificate registered on the app (learn.microsoft.com/entra/identity-platform/
 *   certificate-credentials: header `x5t` (SHA-1) or `x5t#S256` (SHA-256 thumbprint, what msal-node sends
 *   with `thumbprintSha256`, signed PS256 [S]), `aud` the token endpoint, `iss` = `sub` = the client id,
 *   `exp`, `nbf`, `jti`);
 * - a token of another issuer that the app lists as a federated identity credential (learn.microsoft.com
 *   Graph `federatedIdentityCredential`: `issuer`, `subject`, `audiences` must all match, case-sensitive),
 *   here a managed identity's token for `api://AzureADTokenExchange`.
 * Refusals carry Entra's codes as reported by its users (all 401 `invalid_client` [3P, status ?]):
 * AADSTS700027 unknown or expired certificate, bad signature; AADSTS700024 outside its validity;
 * AADSTS50012 wrong audience; AADSTS700021 `iss`/`sub` not the client; AADSTS700211/700212/700213 no
 * federated credential for the issuer, audience or subject.
 */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Entra's public authority, as registered in a federated credential; the simulator's tokens carry its own base URL. */
const ENTRA_AUTHORITY = 'https://login.microsoftonline.com';

const CLOCK_SKEW_SECONDS = 300;

type Checked = { ok: true } | { ok: false; error: EntraErrorSpec };

function refuse(code: number, description: string): Checked {
  return { ok: false, error: { status: 401, error: 'invalid_client', code, description } };
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function certificateOf(key: KeyCredential): X509Certificate {
  return new X509Certificate(Buffer.from(key.certificate, 'base64'));
}

/** The registered certificate the header names by `x5t#S256` or `x5t`, and its hex SHA-1 thumbprint for messages. */
function findKey(app: AppRegistration, header: jwt.JwtHeader & Record<string, unknown>): { key?: KeyCredential; thumbprint: string } {
  const sha256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const sha1 = typeof header.x5t === 'string' ? header.x5t : undefined;
  for (const key of app.keyCredentials ?? []) {
    const der = Buffer.from(key.certificate, 'base64');
    if (sha256 && base64url(createHash('sha256').update(der).digest()) === sha256)
      return { key, thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase() };
    if (sha1 && base64url(createHash('sha1').update(der).digest()) === sha1)
      return { key, thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase() };
  }
  const named = sha256 ?? sha1 ?? '';
  return { thumbprint: Buffer.from(named, 'base64url').toString('hex').toUpperCase() };
}

function timeRange(nowMs: number, claims: jwt.JwtPayload): string {
  const at = (s: number | undefined) => (s === undefined ? 'unset' : new Date(s * 1000).toISOString());
  return `Current time: ${new Date(nowMs).toISOString()}, assertion valid from ${at(claims.nbf)}, expiry time of assertion ${at(claims.exp)}.`;
}

function verifyCertificateAssertion(ctx: SimContext, assertion: string, app: AppRegistration, tokenEndpoints: string[]): Checked {
  const decoded = jwt.decode(assertion, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') return refuse(50027, 'JWT token is invalid or malformed.');
  const { key, thumbprint } = findKey(app, decoded.header as jwt.JwtHeader & Record<string, unknown>);
  const keysNote = `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.`;
  if (!key) {
    return refuse(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', ${keysNote}]`,
    );
  }
  const now = ctx.state.now();
  if (Date.parse(key.endDateTime) <= now || Date.parse(key.startDateTime) > now) {
    return refuse(
      700027,
      `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${thumbprint}', Found key 'Start=${entraTimestamp(Date.parse(key.startDateTime))}, End=${entraTimestamp(Date.parse(key.endDateTime))}']`,
    );
  }
  let claims: jwt.JwtPayload;
  try {
    // Five minutes of clock skew, as for Entra's own tokens [?: Entra's tolerance on assertions is not documented].
    claims = jwt.verify(assertion, certificateOf(key).publicKey, {
      algorithms: ['RS256', 'PS256'],
      clockTimestamp: Math.floor(now / 1000),
      clockTolerance: CLOCK_SKEW_SECONDS,
    }) as jwt.JwtPayload;
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError || error instanceof jwt.NotBeforeError) {
      return refuse(700024, `Client assertion is not within its valid time range. ${timeRange(now, jwt.decode(assertion) as jwt.JwtPayload)}`);
    }
    return refuse(
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}']`,
    );
  }
  if (claims.exp === undefined) return refuse(700024, `Client assertion is not within its valid time range. ${timeRange(now, claims)}`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (audiences.length !== 1 || !tokenEndpoints.includes(String(audiences[0]).toLowerCase())) {
    return refuse(50012, 'Client assertion audience claim does not match Realm issuer.');
  }
  if (claims.iss !== app.clientId || claims.sub !== app.clientId) {
    return refuse(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  }
  return { ok: true };
}

function verifyFederatedAssertion(ctx: SimContext, assertion: string, app: AppRegistration): Checked {
  const verified = verifyEntraToken(ctx, assertion);
  if (!verified.ok) {
    if (verified.failure === 'expired' || verified.failure === 'not_yet_valid') {
      return refuse(700024, `Client assertion is not within its valid time range. ${timeRange(ctx.state.now(), jwt.decode(assertion) as jwt.JwtPayload)}`);
    }
    return refuse(700027, `Client assertion contains an invalid signature. [Reason - ${verified.message}]`);
  }
  const { iss, sub, aud } = verified.claims as { iss: string; sub: string; aud: string };
  // Registered with Entra's public authority; this simulator's tokens carry its own base URL.
  const registered = (app.federatedIdentityCredentials ?? []).map((c) => ({ ...c, issuer: c.issuer.replace(ENTRA_AUTHORITY, ctx.baseUrl) }));
  const check = `Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`;
  const byIssuer = registered.filter((c) => c.issuer === iss);
  if (byIssuer.length === 0) return refuse(700211, `No matching federated identity record found for presented assertion issuer '${iss}'. ${check}`);
  const bySubject = byIssuer.filter((c) => c.subject === sub);
  if (bySubject.length === 0) return refuse(700213, `No matching federated identity record found for presented assertion subject '${sub}'. ${check}`);
  if (!bySubject.some((c) => c.audiences.includes(aud))) {
    return refuse(700212, `No matching federated identity record found for presented assertion audience '${aud}'. ${check}`);
  }
  return { ok: true };
}

/**
 * Checks `client_assertion` for `app`. An assertion issued by this simulator's Entra (a managed
 * identity's token) is a federated credential; anything else must be signed by a registered certificate.
 */
export function verifyClientAssertion(ctx: SimContext, form: Form, app: AppRegistration, tenantSegment: string, tid: string): Checked {
  if (form['client_assertion_type'] !== JWT_BEARER_ASSERTION) {
    return {
      ok: false,
      error: { error: 'invalid_request', code: 90014, description: "The request body must contain the following parameter: 'client_assertion_type'." },
    };
  }
  const assertion = form['client_assertion'] ?? '';
  const issuer = (jwt.decode(assertion) as jwt.JwtPayload | null)?.iss;
  if (typeof issuer === 'string' && issuer.startsWith(`${ctx.baseUrl}/`)) return verifyFederatedAssertion(ctx, assertion, app);
  const tokenEndpoints = [...new Set([tenantSegment, tid])].map((t) => `${ctx.baseUrl}/${t}/oauth2/v2.0/token`.toLowerCase());
  return verifyCertificateAssertion(ctx, assertion, app, tokenEndpoints);
}
