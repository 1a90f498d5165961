import type { Logger } from 'pino';
import type { EnvironmentGroupRef } from '../../domain/environment.js';
import { ElevateError, HttpError } from '../../domain/errors.js';
import type { EnvironmentGroupDirectory } from '../../ports/environment-group-directory.js';
import type { TokenSource } from '../../ports/token-broker.js';

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
  private cached: { at: number; groups: EnvironmentGroupRef[] } | undefined;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TenantEnvironmentGroupsOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  async environmentGroups(): Promise<EnvironmentGroupRef[]> {
    const listed = await this.listed();
    const ids = new Set(listed.map((g) => g.id.toLowerCase()));
    return [...listed, ...(this.options.configured ?? []).filter((g) => !ids.has(g.id.toLowerCase()))];
  }

  private async listed(): Promise<EnvironmentGroupRef[]> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.groups;
    try {
      const groups = await this.options.powerPlatform.listEnvironmentGroups(this.options.appToken);
      this.cached = { at: this.now(), groups };
      return groups;
    } catch (error) {
      if (!(error instanceof ElevateError) || (error instanceof HttpError && (error.status >= 500 || error.status === 429))) throw error;
      if (this.now() - this.lastWarning >= this.ttlMs) {
        this.lastWarning = this.now();
        this.options.logger?.warn(
          { event: 'environmentGroupListing', why: error instanceof HttpError ? `HTTP ${error.status}` : error.code },
          "Elevate cannot list the tenant's environment groups with its own identity (register it as a Power Platform management application: README checklist pp.management-app): only the Elevate policy's rbac.environmentGroups can be granted",
        );
      }
      return [];
    }
  }
}
