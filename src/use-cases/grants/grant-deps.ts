import type { Logger } from 'pino';
import type { RbacPolicy } from '../../domain/rbac-policy.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { Clock } from '../../ports/clock.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { EnvironmentDirectory } from '../../ports/environment-directory.js';
import type { EnvironmentGroupDirectory } from '../../ports/environment-group-directory.js';
import type { GrantNotices } from '../../ports/grant-notices.js';
import type { PowerPlatformRbac, ServicePrincipalDirectory } from '../../ports/power-platform-rbac.js';
import type { TimerStore } from '../../ports/timer-store.js';

/** Everything the Power Platform RBAC grant use cases talk to (issue #14), built by `main.ts` when ELEVATE_RBAC_CLIENT_ID is set. */
export interface GrantDeps {
  rbac: PowerPlatformRbac;
  servicePrincipals: ServicePrincipalDirectory;
  environments: EnvironmentDirectory;
  /** Environment groups by name, from the Power Platform API (Elevate's identity) and the policy's optional list. */
  environmentGroups: EnvironmentGroupDirectory;
  /** Of `groupIds`, those the user is a transitive member of (Graph `checkMemberGroups`, Elevate's identity). */
  memberOf(userId: string, groupIds: readonly string[]): Promise<string[]>;
  /** Up to `max` user ids of a group's (transitive) members (Graph, Elevate's identity): each gets their own view of an approval card. */
  groupUserIds(groupId: string, max: number): Promise<string[]>;
  store: Pick<ElevationStore, 'getDocument' | 'putDocument'>;
  timers: TimerStore;
  audit: AuditLog;
  clock: Clock;
  notices: GrantNotices;
  settings: GrantSettings;
  newId: () => string;
  logger: Logger;
}

export interface GrantSettings {
  /** The Elevate policy's `rbac` section; absent: no grant can be requested. */
  policy: RbacPolicy | undefined;
  tenantId: string;
  /** Elevate's own app ids (its app, the bot, the RBAC identity): never granted anything. */
  ownAppIds: readonly string[];
  minJustificationLength: number;
  reminderMinutes: readonly number[];
  /** From this failed removal attempt on, the security channel is alerted (once). */
  removalAlertAfterAttempts: number;
  /** Create attempts that could not be confirmed before the grant is given up as failed. */
  maxAssignAttempts: number;
}
