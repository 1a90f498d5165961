import { TEAMS_CLIENTS } from '../../adapters/identity/permissions.js';
import { fail, pass, warn, type CheckOutcome } from './catalog.js';
import type { DoctorContext } from './context.js';
import { DirectoryReader, type Application, type Credential } from './directory-reader.js';
import { failureFacts, said } from './failure-text.js';
import { appRegistration, newClientSecret, README } from './fixes.js';

/**
 * Elevate's Entra app registration: its credential works (client credentials), its secret is not
 * about to expire, and what Teams SSO and the interactive sign-in need is registered (application ID
 * URI, `access_as_user` with the Teams clients pre-authorised, v2 tokens, the redirect URI). All but
 * the first read the application object with the operator's token (`Application.Read.All`).
 */
const DAY_MS = 24 * 60 * 60_000;
const EXPIRY_WARNING_DAYS = 30;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export async function appCredential(ctx: DoctorContext): Promise<CheckOutcome> {
  const { clientId, tenantId } = ctx.config.aad;
  try {
    await ctx.graphAppToken();
    return pass(`Entra issued app ${clientId} a Microsoft Graph token with AAD_APP_CLIENT_SECRET`);
  } catch (error) {
    const facts = failureFacts(error);
    if (said(error, '7000215')) return fail(`AAD_APP_CLIENT_SECRET is not a secret of app ${clientId} (${facts.text})`, newClientSecret(ctx.config));
    if (said(error, '7000222')) return fail(`the client secret has expired (${facts.text})`, newClientSecret(ctx.config));
    if (said(error, '700016', '90002')) {
      return fail(
        `Entra does not know app ${clientId} in tenant ${tenantId} (${facts.text})`,
        `set AAD_APP_CLIENT_ID to the app's Application (client) ID and AAD_APP_TENANT_ID to its Directory (tenant) ID: ${appRegistration(ctx.config)} → Overview`,
      );
    }
    return fail(
      `no app token (${facts.text})`,
      `check AAD_APP_OAUTH_AUTHORITY_HOST (${ctx.config.aad.authorityHost}) and the network; ${README}, app.credential`,
    );
  }
}

/** The application object, read once with the operator's token. */
export function elevateApplication(ctx: DoctorContext): Promise<Application | undefined> {
  return ctx.memo('application', () => new DirectoryReader(ctx.deps.http, ctx.graph, ctx.operatorToken!).application(ctx.config.aad.clientId));
}

async function withApplication(ctx: DoctorContext, check: (app: Application) => CheckOutcome): Promise<CheckOutcome> {
  let app: Application | undefined;
  try {
    app = await elevateApplication(ctx);
  } catch (error) {
    return fail(`cannot read the app registration (${failureFacts(error).text})`, `the operator needs Application.Read.All (operator.sign-in); ${README}`);
  }
  if (!app)
    return fail(`no app registration with application id ${ctx.config.aad.clientId} in the tenant`, `check AAD_APP_CLIENT_ID; ${appRegistration(ctx.config)}`);
  return check(app);
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function earliest(credentials: Credential[]): Credential | undefined {
  return [...credentials].sort((a, b) => Date.parse(a.endDateTime ?? '9999') - Date.parse(b.endDateTime ?? '9999'))[0];
}

function latest(credentials: Credential[]): Credential | undefined {
  return [...credentials].sort((a, b) => Date.parse(b.endDateTime ?? '9999') - Date.parse(a.endDateTime ?? '9999'))[0];
}

/** Graph's `hint` is the secret's first three characters: it tells which secret AAD_APP_CLIENT_SECRET is. */
export function secretExpiry(ctx: DoctorContext): Promise<CheckOutcome> {
  return withApplication(ctx, (app) => {
    const secrets = app.passwordCredentials ?? [];
    const configured = ctx.config.aad.clientSecret;
    const matching = secrets.filter((c) => c.hint && configured.startsWith(c.hint));
    const secret = matching.length > 0 ? earliest(matching) : latest(secrets);
    if (!secret) return fail('the app has no client secret', newClientSecret(ctx.config, app.displayName));
    const name = `"${secret.displayName ?? secret.hint ?? 'secret'}"${matching.length > 0 ? '' : ' (the latest; none starts like AAD_APP_CLIENT_SECRET)'}`;
    const fix = `before it ends, ${newClientSecret(ctx.config, app.displayName)}, then delete the old one`;
    if (!secret.endDateTime) return pass(`client secret ${name} has no end date`);
    const days = Math.floor((Date.parse(secret.endDateTime) - ctx.deps.now()) / DAY_MS);
    if (days < 0) return fail(`client secret ${name} expired on ${day(secret.endDateTime)}`, newClientSecret(ctx.config, app.displayName));
    const soonCertificates = (app.keyCredentials ?? []).filter(
      (c) => c.endDateTime && Date.parse(c.endDateTime) - ctx.deps.now() < EXPIRY_WARNING_DAYS * DAY_MS,
    );
    if (days <= EXPIRY_WARNING_DAYS) return warn(`client secret ${name} expires on ${day(secret.endDateTime)}, in ${days} days`, fix);
    if (soonCertificates.length > 0) {
      const ends = soonCertificates.map((c) => day(c.endDateTime!)).join(', ');
      return warn(
        `client secret ${name} ends on ${day(secret.endDateTime)}, but a certificate of the app (not used by Elevate) ends on ${ends}`,
        `${appRegistration(ctx.config, app.displayName)} → Certificates & secrets → Certificates`,
      );
    }
    return pass(`client secret ${name} ends on ${day(secret.endDateTime)}, in ${days} days`);
  });
}

export function identifierUri(ctx: DoctorContext): Promise<CheckOutcome> {
  const expected = ctx.config.aad.ssoAudiences[1] ?? `api://${ctx.config.aad.clientId}`;
  return withApplication(ctx, (app) => {
    const uris = app.identifierUris ?? [];
    if (uris.some((u) => u.replace(/\/+$/, '').toLowerCase() === expected.toLowerCase())) return pass(`${expected} is the app's application ID URI`);
    return fail(
      `${expected} (AAD_APP_ID_URI, default api://botid-<BOT_ID>) is not among the app's identifier URIs [${uris.join(', ')}]: Teams SSO tokens for it would be refused`,
      `${appRegistration(ctx.config, app.displayName)} → Expose an API → Application ID URI → ${expected} (or set AAD_APP_ID_URI to the registered one; the Teams manifest's webApplicationInfo.resource must match)`,
    );
  });
}

export function exposedApi(ctx: DoctorContext): Promise<CheckOutcome> {
  return withApplication(ctx, (app) => {
    const scope = app.api?.oauth2PermissionScopes?.find((s) => s.value === 'access_as_user' && s.isEnabled !== false);
    const problems: string[] = [];
    const fixes: string[] = [];
    if (!scope) {
      problems.push('no enabled scope access_as_user');
      fixes.push('Add a scope "access_as_user" (Admins and users)');
    }
    const missing = TEAMS_CLIENTS.filter(
      (c) => !app.api?.preAuthorizedApplications?.some((p) => p.appId === c.appId && (!scope || p.delegatedPermissionIds?.includes(scope.id))),
    );
    if (missing.length > 0) {
      problems.push(`not pre-authorised: ${missing.map((c) => `${c.name} ${c.appId}`).join(', ')}`);
      fixes.push(`Add a client application ${missing.map((c) => c.appId).join(' and ')} for access_as_user`);
    }
    if (app.api?.requestedAccessTokenVersion !== 2) {
      problems.push(`access tokens are v${app.api?.requestedAccessTokenVersion ?? 1}, Elevate validates v2 SSO tokens`);
      fixes.push('Manifest: "requestedAccessTokenVersion": 2 (accessTokenAcceptedVersion in the old manifest)');
    }
    if (problems.length === 0) return pass(`access_as_user, pre-authorised for ${TEAMS_CLIENTS.map((c) => c.name).join(' and ')}, v2 tokens`);
    return fail(problems.join('; '), `${appRegistration(ctx.config, app.displayName)} → Expose an API: ${fixes.join('; ')}`);
  });
}

/** Where the bot sends Entra's interactive sign-in back (src/main.ts: ELEVATE_PUBLIC_URL, else the listening address). */
export function expectedRedirectUri(ctx: DoctorContext): string {
  const { publicUrl, host, port } = ctx.config;
  return `${publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`}/auth/callback`;
}

/** Entra matches redirect URIs exactly, except that it ignores the port of a loopback URI (RFC 8252 §7.3). */
export function redirectUriRegistered(registered: readonly string[], wanted: string): boolean {
  const want = new URL(wanted);
  return registered.some((uri) => {
    if (uri === wanted) return true;
    const have = new URL(uri);
    return LOOPBACK.has(want.hostname) && have.protocol === want.protocol && have.hostname === want.hostname && have.pathname === want.pathname;
  });
}

export function redirectUri(ctx: DoctorContext): Promise<CheckOutcome> {
  const wanted = expectedRedirectUri(ctx);
  const loopback = LOOPBACK.has(new URL(wanted).hostname);
  const portless = wanted.replace(/:\d+\//, '/');
  const shown = loopback ? `${portless} (loopback: any port)` : wanted;
  return withApplication(ctx, (app) => {
    const registered = app.web?.redirectUris ?? [];
    if (redirectUriRegistered(registered, wanted)) return pass(`${shown} is a Web redirect URI`);
    return fail(
      `${shown} is not among the app's Web redirect URIs [${registered.join(', ')}]: consent, MFA and step-up sign-ins would fail (AADSTS50011)`,
      `${appRegistration(ctx.config, app.displayName)} → Authentication → Web → Add URI ${loopback ? portless : wanted}`,
    );
  });
}
