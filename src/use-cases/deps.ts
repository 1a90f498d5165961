import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ElevatePolicy } from '../domain/elevate-policy.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { ElevationPresenter } from '../ports/elevation-presenter.js';
import type { Dataverse } from '../ports/dataverse.js';
import type { EnvironmentDirectory } from '../ports/environment-directory.js';
import type { ElevationStore } from '../ports/elevation-store.js';
import type { ApprovalBoard } from '../ports/approval-board.js';
import type { Notifier } from '../ports/notifier.js';
import type { PimDirectory } from '../ports/pim-directory.js';
import type { PowerPlatform } from '../ports/power-platform.js';
import type { TimerStore } from '../ports/timer-store.js';
import type { TokenBroker } from '../ports/token-broker.js';

/**
 * The settings of the validated configuration the use cases read (see `src/config.ts` for each):
 * `main.ts` picks exactly these, so no secret travels with them.
 */
export const CONFIG_SETTINGS = [
  'roleIds',
  'minJustificationLength',
  'activationTimeoutMs',
  'activationPollMs',
  'propagationWindowMs',
  'propagationRetryMs',
  'reminderMinutes',
  'graphResource',
  'approvalActivationWindowMinutes',
  'instanceId',
] as const;

/** Policy knobs the use cases need. */
export interface ElevationSettings extends Pick<Config, (typeof CONFIG_SETTINGS)[number]> {
  /** Elevate's own policy (ELEVATE_POLICY_FILE), on top of each role's PIM policy. */
  policy: ElevatePolicy;
  /** From this failed clean-up attempt on, the security channel gets an alert. */
  cleanupAlertAfterAttempts: number;
  /**
   * This process (new at every start): leases are owned by `instanceId#bootId`, so a restarted
   * instance recognises the leases its crashed predecessor left (same instance, other boot) and two
   * processes never share a lease owner.
   */
  bootId: string;
}

/** Everything the elevation use cases talk to, injected by `main.ts`. */
export interface ElevationDeps {
  pim: PimDirectory;
  powerPlatform: PowerPlatform;
  /** Where typed environment names are looked up (every environment, not only the requester's). */
  environments: EnvironmentDirectory;
  dataverse: Dataverse;
  tokens: TokenBroker;
  store: ElevationStore;
  audit: AuditLog;
  timers: TimerStore;
  clock: Clock;
  notifier: Notifier;
  presenter: ElevationPresenter;
  /** Approval cards for approvers (Elevate policy approvals and PIM approvals). */
  approvals: ApprovalBoard;
  settings: ElevationSettings;
  newId: () => string;
  logger: Logger;
}
