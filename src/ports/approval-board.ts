import type { ElevationRecord } from '../domain/elevation.js';

/**
 * Where approvers see requests (Teams: the approvals channel and 1:1 chats). Every method is
 * idempotent and never throws: a card that cannot be posted is logged, and the request stays
 * decidable from any card that was posted (and expires on its timeout otherwise).
 */
export interface ApprovalBoard {
  /** Posts the approval card of an `awaitingApproval` record, unless its cards are out already, and remembers where. */
  publish(record: ElevationRecord): Promise<void>;
  /** Posts the approval card of a PIM request waiting for PIM approvers (`pimApprovalId`) once. */
  publishPim(record: ElevationRecord): Promise<void>;
  /** Updates every posted approval card of the record to its current state (votes, outcome, no buttons once decided). */
  refresh(record: ElevationRecord): Promise<void>;
}
