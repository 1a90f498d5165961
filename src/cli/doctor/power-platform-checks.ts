import { POWER_PLATFORM_RESOURCE } from '../../adapters/identity/msal-token-broker.js';
import { RESOURCE_APPS } from '../../adapters/identity/permissions.js';
import { PowerPlatformClient } from '../../adapters/power-platform/power-platform-client.js';
import type { EnvironmentRef } from '../../domain/environment.js';
import { fail, pass, skip, type CheckOutcome } from './catalog.js';
import type { DoctorContext } from './context.js';
import { DirectoryReader } from './directory-reader.js';
import { failureFacts, said } from './failure-text.js';
import { CREATE_POWER_PLATFORM_SP, README, registerManagementApp } from './fixes.js';

/**
 * The Power Platform API (app id 8578e004-…) must have a service principal in the tenant before
 * anyone can consent to it or get a token for it (research-9 §1); and Elevate's identity lists every
 * environment only when it is registered as a management application (docs/api-contracts.md §8), which this
 * checks with the same call the bot makes (`GET /environmentmanagement/environments?api-version=2024-10-01`).
 */
const PP = RESOURCE_APPS.powerPlatform;

export async function powerPlatformServicePrincipal(ctx: DoctorContext): Promise<CheckOutcome> {
  const missing = (why: string) => fail(`the tenant has no service principal for the ${PP.name} (${PP.appId})${why}`, CREATE_POWER_PLATFORM_SP);
  const token = ctx.operatorToken;
  if (token) {
    try {
      const sp = await new DirectoryReader(ctx.deps.http, ctx.graph, token).servicePrincipalByAppId(PP.appId);
      return sp ? pass(`${PP.name} (${PP.appId}) is in the tenant, object id ${sp.id}`) : missing('');
    } catch (error) {
      return fail(`cannot read service principals (${failureFacts(error).text})`, 'the operator needs Application.Read.All (operator.sign-in)');
    }
  }
  if (!ctx.ok('app.credential')) return skip("needs the operator's sign-in or Elevate's app token (app.credential)");
  try {
    await ctx.deps.appToken(POWER_PLATFORM_RESOURCE)();
    return pass(`Entra issues tokens for the ${PP.name} (${PP.appId})`);
  } catch (error) {
    if (said(error, '500011')) return missing(`: ${failureFacts(error).text}`);
    return fail(`no token for the ${PP.name} (${failureFacts(error).text})`, `${README}, pp.service-principal`);
  }
}

export type EnvironmentListing = { ok: true; environments: EnvironmentRef[] } | { ok: false; why: string };

/** The tenant's environments as Elevate's own identity lists them; read once, used by the Dataverse checks. */
export function tenantEnvironments(ctx: DoctorContext): Promise<EnvironmentListing> {
  return ctx.memo('environments', async (): Promise<EnvironmentListing> => {
    const client = new PowerPlatformClient({ baseUrl: ctx.config.powerPlatformApiUrl, http: ctx.deps.http });
    try {
      return { ok: true, environments: await client.listEnvironments(ctx.deps.appToken(POWER_PLATFORM_RESOURCE)) };
    } catch (error) {
      return { ok: false, why: failureFacts(error).text };
    }
  });
}

function names(environments: readonly EnvironmentRef[]): string {
  const shown = environments.slice(0, 5).map((e) => e.displayName);
  return `${shown.join(', ')}${environments.length > shown.length ? ` and ${environments.length - shown.length} more` : ''}`;
}

export async function managementApplication(ctx: DoctorContext): Promise<CheckOutcome> {
  if (ctx.results.get('pp.service-principal')?.status === 'fail') return skip('the Power Platform API is not in the tenant (pp.service-principal)');
  const listing = await tenantEnvironments(ctx);
  if (!listing.ok) return fail(`the Power Platform API refused Elevate's app token (${listing.why})`, registerManagementApp(ctx.config));
  if (listing.environments.length === 0) {
    return fail(
      "Elevate's app token lists no environment: the app is not registered as a Power Platform management application",
      registerManagementApp(ctx.config),
    );
  }
  const count = listing.environments.length;
  return pass(`Elevate's app token lists ${count} environment${count === 1 ? '' : 's'}: ${names(listing.environments)}`);
}
