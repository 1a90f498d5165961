import type { RoleHolderRecord } from '../domain/standing-access.js';

export type { HoldingTeam, RoleHolderRecord } from '../domain/standing-access.js';

/**
 * Who holds System Administrator in a Power Platform environment, read and changed with Elevate's application
 * identity through the Dataverse Web API (docs/api-contracts.md §10), paged and throttled.
 */
export interface RoleHolders {
  /**
   * Every direct and team-based holder of System Administrator (any business unit's copy). Throws
   * `DataverseAccessDeniedError` when Elevate has no (privileged) application user there.
   */
  systemAdministratorHolders(environmentUrl: string): Promise<RoleHolderRecord[]>;
  /** Removes one direct assignment; 'notAssigned' when it is already gone (a repeated removal is harmless). */
  removeDirectAssignment(environmentUrl: string, systemUserId: string, roleId: string): Promise<'removed' | 'notAssigned'>;
  /** The `fullname` of a systemuser (who last changed a holder's row), or undefined when it cannot be read. */
  systemUserName(environmentUrl: string, systemUserId: string): Promise<string | undefined>;
}
