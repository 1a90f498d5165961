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
 * Dataverse Web API of a Power Platform environment (api-contracts §4), always with Elevate's own
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
}
