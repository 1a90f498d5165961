import type { Logger } from 'pino';
import type { EnvironmentRef } from '../../domain/environment.js';
import { HttpError } from '../../domain/errors.js';
import type { EnvironmentDirectory } from '../../ports/environment-directory.js';
import type { PowerPlatform } from '../../ports/power-platform.js';
import type { TokenSource } from '../../ports/token-broker.js';
import { AppListing, withConfigured } from './app-listing.js';

export interface TenantEnvironmentsOptions {
  powerPlatform: PowerPlatform;
  /** Elevate's own client-credentials token for the Power Platform API. */
  appToken: TokenSource;
  /** The Elevate policy's `environments` (optional, on top of the listings). */
  configured?: readonly EnvironmentRef[];
  /** How long a tenant-wide listing is reused; environments change rarely. */
  ttlMs?: number;
  now?: () => number;
  logger?: Logger;
}

const DEFAULT_TTL_MS = 5 * 60_000;

/**
 * The tenant's environments, listed with Elevate's identity (a registered management application
 * sees every environment) and kept for a few minutes; when that listing is refused or empty, the
 * requester's own listing. The Elevate policy's environments are added either way; a listed
 * environment's details win over the configured copy.
 */
export class TenantEnvironments implements EnvironmentDirectory {
  private readonly listing: AppListing<EnvironmentRef>;

  constructor(private readonly options: TenantEnvironmentsOptions) {
    this.listing = new AppListing({
      list: () => options.powerPlatform.listEnvironments(options.appToken),
      ttlMs: options.ttlMs ?? DEFAULT_TTL_MS,
      now: options.now ?? Date.now,
      emptyIsUnavailable: true,
      unavailable: (why) =>
        options.logger?.warn(
          { event: 'environmentListing', why },
          "Elevate cannot list the tenant's environments with its own identity (register it as a Power Platform management application: README checklist pp.management-app, checked by npm run doctor): requesters are offered only the environments their own token lists",
        ),
    });
  }

  async environmentsFor(userToken: TokenSource): Promise<EnvironmentRef[]> {
    const tenant = await this.listing.get();
    const listed = tenant ?? (await this.options.powerPlatform.listEnvironments(userToken).catch((error: unknown) => this.userListingFailed(error)));
    return withConfigured(listed, this.options.configured ?? []);
  }

  /**
   * Every environment Elevate itself can name, without a user: the tenant-wide listing (when Elevate is a
   * registered management application) plus the policy's `environments` (the standing-access inventory, issue #15).
   */
  async allEnvironments(): Promise<EnvironmentRef[]> {
    return withConfigured((await this.listing.get()) ?? [], this.options.configured ?? []);
  }

  /** A user token without the listing scope (or any refusal): nothing listed, the configured ones remain. */
  private userListingFailed(error: unknown): EnvironmentRef[] {
    if (!(error instanceof HttpError) || error.status >= 500 || error.status === 429) throw error;
    this.options.logger?.warn({ event: 'environmentListing', status: error.status }, "the requester's own environment listing was refused");
    return [];
  }
}
