import type { Logger } from 'pino';
import type { EnvironmentGroupRef } from '../../domain/environment.js';
import type { EnvironmentGroupDirectory } from '../../ports/environment-group-directory.js';
import type { TokenSource } from '../../ports/token-broker.js';
import { AppListing, withConfigured } from './app-listing.js';

export interface TenantEnvironmentGroupsOptions {
  powerPlatform: { listEnvironmentGroups(token: TokenSource): Promise<EnvironmentGroupRef[]> };
  /** Elevate's own client-credentials token for the Power Platform API (the one that lists every environment). */
  appToken: TokenSource;
  /** The Elevate policy's `rbac.environmentGroups` (optional, on top of the listing). */
  configured?: readonly EnvironmentGroupRef[];
  ttlMs?: number;
  now?: () => number;
  logger?: Logger;
}

const DEFAULT_TTL_MS = 5 * 60_000;

/**
 * The tenant's environment groups, listed with Elevate's identity and kept for a few minutes, as
 * `TenantEnvironments` lists environments. A refusal (an app that is not a registered management
 * application: 403) means "not available": only the policy's groups are offered then, and the log
 * says why once per listing period. Throttling and 5xx are passing faults and are thrown.
 * There is no fallback to the requester's own token: the groups are an admin-centre feature, and
 * reading them as the user would need one more delegated permission for little gain.
 */
export class TenantEnvironmentGroups implements EnvironmentGroupDirectory {
  private readonly listing: AppListing<EnvironmentGroupRef>;

  constructor(private readonly options: TenantEnvironmentGroupsOptions) {
    this.listing = new AppListing({
      list: () => options.powerPlatform.listEnvironmentGroups(options.appToken),
      ttlMs: options.ttlMs ?? DEFAULT_TTL_MS,
      now: options.now ?? Date.now,
      unavailable: (why) =>
        options.logger?.warn(
          { event: 'environmentGroupListing', why },
          "Elevate cannot list the tenant's environment groups with its own identity (register it as a Power Platform management application: README checklist pp.management-app): only the Elevate policy's rbac.environmentGroups can be granted",
        ),
    });
  }

  async environmentGroups(): Promise<EnvironmentGroupRef[]> {
    return withConfigured((await this.listing.get()) ?? [], this.options.configured ?? []);
  }
}
