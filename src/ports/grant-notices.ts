import type { RbacGrantRecord } from '../domain/rbac-grant.js';

/**
 * What people are told about Power Platform RBAC grants (Teams: 1:1 messages, the security channel,
 * approval cards). Every method is keyed by grant and step, so redeliveries, racing instances and
 * retries post once; none throws.
 */
export interface GrantNotices {
  /**
   * The requester is told the grant's current state: their grant card is updated in place (when its
   * message is known), and a new 1:1 message notifies them of the steps they may have looked away
   * from (an approver's decision, an approval that expired, a failure, the end at expiry).
   */
  tellRequester(grant: RbacGrantRecord): Promise<void>;
  /** Only the in-place update of the requester's grant card (no new message); nothing without a known card. */
  showRequester(grant: RbacGrantRecord): Promise<void>;
  /** One security-channel post per step of the grant (requested, each vote, assigned, ended, failed). */
  security(grant: RbacGrantRecord): Promise<void>;
  /** An alert in the security channel that needs a human (removal keeps failing). */
  alert(grant: RbacGrantRecord, message: string): Promise<void>;
  /** Approval cards for a grant that waits for approval: the approvals channel and listed approvers, once. */
  publishApproval(grant: RbacGrantRecord): Promise<void>;
  /**
   * Updates every posted approval card of the grant in place to its newest stored state (votes, the
   * outcome, no buttons once decided, cancelled or expired), in every approver's chat and the channel.
   */
  refreshApproval(grant: RbacGrantRecord): Promise<void>;
  /** 1:1 reminder: the grant ends in `minutesLeft` minutes. */
  remind(grant: RbacGrantRecord, minutesLeft: number): Promise<void>;
}
