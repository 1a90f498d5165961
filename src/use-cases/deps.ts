import type { Logger } from 'pino';
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

/** Policy knobs the use cases need, taken from the validated config. */
export interface ElevationSettings {
  /** Elevate's own policy (ELEVATE_POLICY_FILE), on top of each role's PIM policy. */
  policy: ElevatePolicy;
  roleIds: string[];
  minJustificationLength: number;
  activationTimeoutMs: number;
  activationPollMs: number;
  /** How long a "not ... admin" answer after a successful activation is treated as propagation delay. */
  propagationWindowMs: number;
  /** First wait before asking Power Platform again; doubles up to a minute. */
  propagationRetryMs: number;
  /** Reminder lead times before expiry, in minutes. */
  reminderMinutes: number[];
  /** From this failed clean-up attempt on, the security channel gets an alert. */
  cleanupAlertAfterAttempts: number;
  /** Graph's token audience, for the bot's own Graph tokens (`https://graph.microsoft.com` in the public cloud). */
  graphResource: string;
  /** How long an approved request may wait for the requester's Activate tap, in minutes. */
  approvalActivationWindowMinutes: number;
  /** This bot instance (stable across restarts of the same instance). */
  instanceId: string;
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
