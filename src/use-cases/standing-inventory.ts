import type { EnvironmentRef } from '../domain/environment.js';
import { matchEnvironment } from '../domain/environment-match.js';
import { classifyHolders, type ActiveElevation, type ClassifiedHolder } from '../domain/standing-access.js';
import { HttpError, ThrottledError } from '../domain/errors.js';
import { mapLimited, type StandingAccessDeps } from './standing-access-deps.js';
import { rbacInventory, type RbacInventory } from './standing-rbac.js';

/** Dataverse: "The user is not a member of the organization" (docs/api-contracts.md §8.1). */
const NOT_A_MEMBER = '0x80072560';

/** One environment of an inventory: its classified holders, or why Elevate could not read it. */
export type EnvironmentInventory =
  | { environment: EnvironmentRef; status: 'read'; holders: ClassifiedHolder[] }
  | { environment: EnvironmentRef; status: 'noApplicationUser' | 'accessDenied' | 'noUrl' | 'failed'; message: string };

export type InventoryOutcome =
  /** `rbac`: Power Platform RBAC role holders, when asked for (the `inventory` command; a sweep removes System Administrator only). */
  | { kind: 'done'; at: string; environments: EnvironmentInventory[]; rbac?: RbacInventory }
  | { kind: 'notFound'; query: string; suggestions: EnvironmentRef[] }
  | { kind: 'ambiguous'; query: string; candidates: EnvironmentRef[] };

/** The environments a scope names: `all`, or one matched by id, name, domain or URL. */
export async function environmentsInScope(
  deps: StandingAccessDeps,
  scope: string,
): Promise<{ kind: 'ok'; environments: EnvironmentRef[] } | Exclude<InventoryOutcome, { kind: 'done' }>> {
  const all = await deps.allEnvironments();
  if (scope.trim() === '' || scope.trim().toLowerCase() === 'all') return { kind: 'ok', environments: all };
  const match = matchEnvironment(scope, all);
  if (match.kind === 'match') return { kind: 'ok', environments: [match.environment] };
  if (match.kind === 'ambiguous') return { kind: 'ambiguous', query: scope, candidates: match.candidates };
  return { kind: 'notFound', query: scope, suggestions: match.suggestions };
}

/** Active Elevate elevations: who holds System Administrator because Elevate gave it, and until when. */
export async function activeElevations(deps: Pick<StandingAccessDeps, 'store'>): Promise<ActiveElevation[]> {
  const active = await deps.store.listElevationsInStates(['active']);
  return active
    .filter(({ value }) => value.activeUntil !== undefined)
    .map(({ value }) => ({ aadObjectId: value.requester.aadObjectId, environmentId: value.environment.id, until: value.activeUntil! }));
}

/** Reads and classifies one environment; a failure is the environment's status, never the whole inventory's. */
export async function inventoryOf(
  deps: StandingAccessDeps,
  environment: EnvironmentRef,
  elevations: readonly ActiveElevation[],
): Promise<EnvironmentInventory> {
  if (!environment.url) return { environment, status: 'noUrl', message: 'Power Platform lists no Dataverse URL for this environment.' };
  try {
    const records = await deps.holders.systemAdministratorHolders(environment.url);
    const expected = deps.settings.policy.standingAccess?.expected ?? [];
    return { environment, status: 'read', holders: classifyHolders(environment, records, elevations, expected) };
  } catch (error) {
    // 401/403 (DataverseAccessDeniedError): Elevate's application user is missing (0x80072560) or lacks privileges.
    if (error instanceof HttpError && !(error instanceof ThrottledError) && (error.status === 401 || error.status === 403)) {
      const status = error.serviceCode?.toLowerCase() === NOT_A_MEMBER ? 'noApplicationUser' : 'accessDenied';
      return { environment, status, message: error.message };
    }
    deps.logger.warn({ err: error, environmentId: environment.id }, 'standing access: environment not read');
    return { environment, status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `inventory [<environment>|all]` (issue #15): who holds System Administrator in each environment in scope,
 * classified, read with Elevate's application identity a few environments at a time; with `rbac`, also who
 * holds Power Platform RBAC roles (standing-rbac.ts), or why they were not read.
 */
export async function takeInventory(deps: StandingAccessDeps, scope: string, options: { rbac?: boolean } = {}): Promise<InventoryOutcome> {
  const inScope = await environmentsInScope(deps, scope);
  if (inScope.kind !== 'ok') return inScope;
  const elevations = await activeElevations(deps);
  const whole = scope.trim() === '' || scope.trim().toLowerCase() === 'all';
  const [environments, rbac] = await Promise.all([
    mapLimited(inScope.environments, deps.concurrency, (environment) => inventoryOf(deps, environment, elevations)),
    options.rbac ? rbacInventory(deps, inScope.environments, whole) : undefined,
  ]);
  return { kind: 'done', at: deps.clock.now().toISOString(), environments, ...(rbac ? { rbac: named(rbac, environments) } : {}) };
}

/** RBAC principals named after the Dataverse user of the same Entra object id, where the inventory read one. */
function named(rbac: RbacInventory, environments: readonly EnvironmentInventory[]): RbacInventory {
  if (rbac.status !== 'read') return rbac;
  const names = new Map<string, string>();
  for (const e of environments) if (e.status === 'read') for (const h of e.holders) if (h.aadObjectId) names.set(h.aadObjectId.toLowerCase(), h.fullName);
  return {
    ...rbac,
    holders: rbac.holders.map((h) => {
      const name = names.get(h.principalId.toLowerCase());
      return name === undefined ? h : { ...h, name };
    }),
  };
}
