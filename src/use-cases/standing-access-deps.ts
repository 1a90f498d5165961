import type { EnvironmentRef } from '../domain/environment.js';
import type { RoleHolders } from '../ports/role-holders.js';
import type { ElevationDeps } from './deps.js';
import type { PowerPlatformRbac } from '../ports/power-platform-rbac.js';

/**
 * What the inventory reads Power Platform RBAC role holders with (issue #14's Authorization API client on the
 * separate RBAC identity, read only); absent when ELEVATE_RBAC_CLIENT_ID is not set.
 */
export interface RbacReader {
  api: Pick<PowerPlatformRbac, 'listRoleDefinitions' | 'listAssignments'>;
  /** Object ids of Elevate's own service principals (its RBAC identity holds RBAC Administrator by design). */
  ownPrincipalIds: () => Promise<string[]>;
  /** The tenant's environment groups: listed by the Power Platform API, and those the Elevate policy names. */
  environmentGroups: () => Promise<readonly { id: string; displayName: string }[]>;
}

/** What the standing-access use cases (inventory, sweep, watchdog; issue #15) use, beside the elevation deps. */
export interface StandingAccessDeps extends Pick<ElevationDeps, 'store' | 'audit' | 'clock' | 'logger' | 'settings' | 'tokens' | 'pim' | 'timers'> {
  holders: RoleHolders;
  /** Every environment Elevate can name with its own identity (tenant listing and the policy's). */
  allEnvironments: () => Promise<EnvironmentRef[]>;
  /** How many environments are read at the same time. */
  concurrency: number;
  /** Power Platform RBAC role holders, read with the RBAC identity; absent when ELEVATE_RBAC_CLIENT_ID is not set. */
  rbac?: RbacReader;
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the input order in the result. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
