import { NOT_A_MEMBER } from '../../adapters/dataverse/dataverse-errors.js';
import { DATAVERSE_HEADERS, dataverseQueries, environmentRoot, SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID } from '../../adapters/dataverse/dataverse-queries.js';
import type { EnvironmentRef } from '../../domain/environment.js';
import { HttpError } from '../../domain/errors.js';
import { fail, pass, skip, warn, type CheckOutcome } from './catalog.js';
import type { DoctorContext } from './context.js';
import { failureFacts } from './failure-text.js';
import { dataverseApplicationUser, README } from './fixes.js';
import { tenantEnvironments } from './power-platform-checks.js';

/**
 * Elevate's Dataverse application user in every environment it may serve (Elevate's own listing
 * plus the policy file's `environments:`): `WhoAmI` with the app token (403 `0x80072560`: not a
 * member, docs/api-contracts.md §4), then its roles. It needs System Administrator: the only role Microsoft
 * documents as able to assign (and so remove) System Administrator (learn.microsoft.com/power-platform/
 * admin/assign-security-roles; research-9 §2).
 */
type Probe =
  | { environment: EnvironmentRef; state: 'present'; userId: string }
  | { environment: EnvironmentRef; state: 'missing' }
  | { environment: EnvironmentRef; state: 'error'; why: string };

interface Targets {
  environments: EnvironmentRef[];
  /** Why some were left out or where they came from, for the detail. */
  notes: string[];
}

async function targets(ctx: DoctorContext): Promise<Targets> {
  const listing = await tenantEnvironments(ctx);
  const notes: string[] = [];
  let configured: readonly EnvironmentRef[] = [];
  try {
    configured = ctx.deps.loadPolicy(ctx.config.policyFile).environments ?? [];
  } catch {
    notes.push('the policy file did not load (policy.file)');
  }
  if (!listing.ok) notes.push('the tenant listing failed (pp.management-app)');
  const listed = listing.ok ? listing.environments : [];
  const ids = new Set(listed.map((e) => e.id.toLowerCase()));
  const all = [...listed, ...configured.filter((e) => !ids.has(e.id.toLowerCase()))];
  const withoutDataverse = all.filter((e) => !e.url);
  if (withoutDataverse.length > 0) notes.push(`no Dataverse in ${withoutDataverse.map((e) => e.displayName).join(', ')}`);
  return { environments: all.filter((e) => e.url), notes };
}

async function probe(ctx: DoctorContext, environment: EnvironmentRef): Promise<Probe> {
  try {
    const root = environmentRoot(environment.url!);
    const response = await ctx.deps.http.request<{ UserId?: string }>({
      method: 'GET',
      url: `${root}/api/data/v9.2/WhoAmI`,
      token: ctx.deps.appToken(root),
      headers: { ...DATAVERSE_HEADERS },
    });
    return { environment, state: 'present', userId: response.body?.UserId ?? '' };
  } catch (error) {
    if (error instanceof HttpError && error.status === 403 && error.serviceCode?.toLowerCase() === NOT_A_MEMBER) return { environment, state: 'missing' };
    return { environment, state: 'error', why: failureFacts(error).text };
  }
}

function probes(ctx: DoctorContext): Promise<{ probes: Probe[]; notes: string[] }> {
  return ctx.memo('dataverse', async () => {
    const { environments, notes } = await targets(ctx);
    const results: Probe[] = [];
    for (const environment of environments) results.push(await probe(ctx, environment));
    return { probes: results, notes };
  });
}

const list = (items: readonly Probe[]) => items.map((p) => p.environment.displayName).join(', ');
const noted = (notes: readonly string[]) => (notes.length > 0 ? ` (${notes.join('; ')})` : '');

export async function applicationUser(ctx: DoctorContext): Promise<CheckOutcome> {
  const { probes: found, notes } = await probes(ctx);
  if (found.length === 0) return skip(`no environment with Dataverse to check${noted(notes)}`);
  const missing = found.filter((p) => p.state === 'missing');
  const errors = found.filter((p): p is Extract<Probe, { state: 'error' }> => p.state === 'error');
  if (missing.length === 0 && errors.length === 0)
    return pass(`present in ${found.length} environment${found.length === 1 ? '' : 's'}: ${list(found)}${noted(notes)}`);
  const problems = [
    ...(missing.length > 0 ? [`no application user for Elevate in ${list(missing)}`] : []),
    ...errors.map((e) => `${e.environment.displayName}: ${e.why}`),
  ];
  return fail(
    `${problems.join('; ')}${noted(notes)}`,
    `${dataverseApplicationUser(ctx.config, missing.length > 0 ? list(missing) : list(errors))} (${README}, dataverse.app-user)`,
  );
}

type Roles = { environment: EnvironmentRef; held: boolean } | { environment: EnvironmentRef; unreadable: string };

async function roles(ctx: DoctorContext, p: Extract<Probe, { state: 'present' }>): Promise<Roles> {
  try {
    const root = environmentRoot(p.environment.url!);
    const response = await ctx.deps.http.request<{ value?: { _roletemplateid_value?: string | null; name?: string }[] }>({
      method: 'GET',
      url: `${root}/api/data/v9.2/${dataverseQueries.userRoles(p.userId)}`,
      token: ctx.deps.appToken(root),
      headers: { ...DATAVERSE_HEADERS },
    });
    const held = (response.body?.value ?? []).some((r) => r._roletemplateid_value?.toLowerCase() === SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID);
    return { environment: p.environment, held };
  } catch (error) {
    return { environment: p.environment, unreadable: failureFacts(error).text };
  }
}

export async function systemAdministrator(ctx: DoctorContext): Promise<CheckOutcome> {
  const { probes: found } = await probes(ctx);
  const present = found.filter((p): p is Extract<Probe, { state: 'present' }> => p.state === 'present');
  if (present.length === 0) return skip('no environment where Elevate has an application user (dataverse.app-user)');
  const read: Roles[] = [];
  for (const p of present) read.push(await roles(ctx, p));
  const names = (items: Roles[]) => items.map((r) => r.environment.displayName).join(', ');
  const lacking = read.filter((r) => 'held' in r && !r.held);
  const unreadable = read.filter((r): r is Extract<Roles, { unreadable: string }> => 'unreadable' in r);
  const notChecked =
    found.length > present.length ? ` (not checked where there is no application user: ${list(found.filter((p) => p.state !== 'present'))})` : '';
  const fix = `${dataverseApplicationUser(ctx.config, names(lacking.length > 0 ? lacking : unreadable))}: Edit security roles → System Administrator, the only role Microsoft documents as able to remove System Administrator`;
  if (lacking.length > 0)
    return fail(`Elevate's application user lacks System Administrator in ${names(lacking)}: clean-up at expiry would fail${notChecked}`, fix);
  if (unreadable.length > 0)
    return warn(`could not read the application user's roles in ${unreadable.map((u) => `${u.environment.displayName} (${u.unreadable})`).join(', ')}`, fix);
  return pass(`System Administrator in ${names(read)}${notChecked}`);
}
