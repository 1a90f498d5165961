import type { AuditActivity } from '../domain/what-changed.js';

/** What Dataverse says about one user's System Administrator role in one environment. */
export interface SystemAdministratorStatus {
  /** The user's `systemuserid`; absent when the user has no systemuser in the environment. */
  systemUserId?: string;
  /** The System Administrator role the user holds (absent when not held). */
  roleId?: string;
  held: boolean;
  /** The systemuser exists but is disabled (`isdisabled`). */
  userDisabled?: boolean;
}

/**
 * Dataverse Web API of a Power Platform environment (docs/api-contracts.md §4), always with Elevate's own
 * application identity (a Dataverse application user), never a user's token. `environmentUrl` is the
 * environment's Dataverse URL as Power Platform lists it (`https://org.crm.dynamics.com`).
 */
export interface Dataverse {
  /** Whether the user (Entra object id) holds System Administrator in the environment. */
  systemAdministratorStatus(environmentUrl: string, userObjectId: string): Promise<SystemAdministratorStatus>;
  /**
   * Removes the System Administrator role from the user; 'notAssigned' when it was not assigned
   * (or the user has no systemuser), so a repeated clean-up is harmless.
   */
  removeSystemAdministrator(environmentUrl: string, userObjectId: string): Promise<'removed' | 'notAssigned'>;
  /**
   * Whether Elevate has an (enabled) application user in the environment, so that it can undo an
   * elevation there: `WhoAmI` answers 403 `0x80072560` "The user is not a member of the organization"
   * otherwise (docs/api-contracts.md §8). Throws on any other failure.
   */
  hasApplicationUser(environmentUrl: string): Promise<boolean>;
  /**
   * What the user (Entra object id) did in the environment between `from` and `to` (ISO instants), read from
   * the Dataverse `audits` table, oldest first and bounded (`truncated` when more rows exist); `{ auditing: 'off' }`
   * when the organization's `isauditenabled` is false (docs/api-contracts.md §4.1). Throws when Dataverse fails.
   * `maxRows` bounds the rows read (every page up to it); the adapter's default suits a summary.
   */
  auditActivity(environmentUrl: string, userObjectId: string, from: string, to: string, options?: { maxRows?: number }): Promise<AuditActivity>;
}
