import { PERMISSIONS, RESOURCE_APPS, type Permission } from '../../adapters/identity/permissions.js';
import { fail, pass, skip, type CheckOutcome } from './catalog.js';
import type { DoctorContext } from './context.js';
import { DirectoryReader, type ServicePrincipal } from './directory-reader.js';
import { failureFacts } from './failure-text.js';
import { grantAdminConsent, OPERATOR_ROLES, README } from './fixes.js';
import { jwtClaims } from './jwt-claims.js';

/**
 * Admin consent for every permission on the list (src/adapters/identity/permissions.ts) that is
 * granted in Entra: delegated ones through tenant-wide `oAuth2PermissionGrant`s (consentType
 * `AllPrincipals`; a requester cannot consent to directory-role permissions alone), application ones
 * through the app's `appRoleAssignments`, mapped to values with each resource's `appRoles`
 * (learn.microsoft.com/graph/api/resources/approleassignment; research-9 §7). Without the operator,
 * the application permissions are read from the `roles` claim of Elevate's own Graph token.
 */
type Kind = Permission['kind'];
const APIS = [RESOURCE_APPS.graph, RESOURCE_APPS.powerPlatform];

function needed(kind: Kind): { api: { appId: string; name: string }; values: string[] }[] {
  return APIS.map((api) => ({
    api,
    values: PERMISSIONS.filter((p) => p.kind === kind && p.grantedBy === 'adminConsent' && RESOURCE_APPS[p.resource as 'graph' | 'powerPlatform'] === api).map(
      (p) => p.value,
    ),
  })).filter((n) => n.values.length > 0);
}

function reader(ctx: DoctorContext): DirectoryReader {
  return new DirectoryReader(ctx.deps.http, ctx.graph, ctx.operatorToken!);
}

function elevateServicePrincipal(ctx: DoctorContext): Promise<ServicePrincipal | undefined> {
  return ctx.memo('elevate-sp', () => reader(ctx).servicePrincipalByAppId(ctx.config.aad.clientId));
}

function resource(ctx: DoctorContext, id: string): Promise<ServicePrincipal | undefined> {
  return ctx.memo(`sp:${id}`, () => reader(ctx).servicePrincipal(id));
}

/** What is granted per resource app id: delegated from the grants, application from the assignments. */
async function granted(ctx: DoctorContext, kind: Kind, sp: ServicePrincipal): Promise<Map<string, Set<string>>> {
  const byApp = new Map<string, Set<string>>();
  const add = (appId: string, values: readonly string[]) => {
    const set = byApp.get(appId.toLowerCase()) ?? new Set<string>();
    for (const v of values) set.add(v.toLowerCase());
    byApp.set(appId.toLowerCase(), set);
  };
  if (kind === 'delegated') {
    for (const grant of (await reader(ctx).grantsOf(sp.id)).filter((g) => g.consentType === 'AllPrincipals')) {
      const api = await resource(ctx, grant.resourceId);
      if (api) add(api.appId, (grant.scope ?? '').split(' ').filter(Boolean));
    }
    return byApp;
  }
  for (const assignment of await reader(ctx).appRoleAssignmentsOf(sp.id)) {
    const api = await resource(ctx, assignment.resourceId);
    const value = api?.appRoles?.find((r) => r.id === assignment.appRoleId)?.value;
    if (api && value) add(api.appId, [value]);
  }
  return byApp;
}

function verdict(ctx: DoctorContext, kind: Kind, have: Map<string, Set<string>>, source: string, appName?: string): CheckOutcome {
  const wanted = needed(kind);
  const missing = wanted
    .map((n) => ({ ...n, values: n.values.filter((v) => !have.get(n.api.appId.toLowerCase())?.has(v.toLowerCase())) }))
    .filter((n) => n.values.length > 0);
  if (missing.length === 0) return pass(`${wanted.map((n) => `${n.api.name}: ${n.values.join(', ')}`).join('; ')} (${source})`);
  const label = kind === 'delegated' ? 'Delegated' : 'Application';
  return fail(
    `missing admin consent for ${missing.map((n) => `${n.api.name} ${n.values.join(', ')}`).join('; ')} (${kind})`,
    `${missing.map((n) => grantAdminConsent(ctx.config, n.api.name, label, n.values, appName)).join('; ')} (${README}, consent.${kind})`,
  );
}

async function consentWithOperator(ctx: DoctorContext, kind: Kind): Promise<CheckOutcome> {
  try {
    const sp = await elevateServicePrincipal(ctx);
    if (!sp) {
      return fail(
        `app ${ctx.config.aad.clientId} has no service principal in the tenant: nothing was ever consented`,
        grantAdminConsent(ctx.config, RESOURCE_APPS.graph.name, kind === 'delegated' ? 'Delegated' : 'Application', needed(kind)[0]?.values ?? []),
      );
    }
    const source = kind === 'delegated' ? 'tenant-wide grants' : "the app's role assignments";
    return verdict(ctx, kind, await granted(ctx, kind, sp), source, sp.displayName);
  } catch (error) {
    const facts = failureFacts(error);
    return fail(
      `cannot read the consent (${facts.text})`,
      `sign in as ${OPERATOR_ROLES}; the doctor's client needs Directory.Read.All and Application.Read.All (operator.sign-in)`,
    );
  }
}

export function delegatedConsent(ctx: DoctorContext): Promise<CheckOutcome> {
  return consentWithOperator(ctx, 'delegated');
}

export async function applicationConsent(ctx: DoctorContext): Promise<CheckOutcome> {
  if (ctx.operatorToken) return consentWithOperator(ctx, 'application');
  if (!ctx.ok('app.credential')) return skip("needs the operator's sign-in or Elevate's app token (app.credential)");
  const roles = jwtClaims(await ctx.graphAppToken())['roles'];
  const values = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  return verdict(ctx, 'application', new Map([[RESOURCE_APPS.graph.appId, new Set(values.map((v) => v.toLowerCase()))]]), "the roles in Elevate's Graph token");
}
