import type { RbacGrantRecord } from '../domain/rbac-grant.js';

/**
 * What people are told about Power Platform RBAC grants (Teams: 1:1 messages, the security channel,
 * approval cards). Every method is keyed by grant and step, so redeliveries, racing instances and
 * retries post once; none throws.
 */
export interface GrantNotices {
  /** A 1:1 message to the requester with the grant's current state. */
  tellRequester(grant: RbacGrantRecord): Promise<void>;
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
