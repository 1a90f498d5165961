import type { RecordWords } from './record-text.js';
/**
 * A just-in-time Power Platform RBAC grant (issue #14) and its state machine. Pure.
 *
 *   awaitingApproval  the Elevate policy wants approvers' votes; nothing assigned yet
 *   assigning         Elevate's RBAC identity is creating the assignment (the one instance that moved it here)
 *   active            the role is assigned until `activeUntil` (`preExisting`: it was there before, left in place)
 *   ended             expired or deactivated; the assignment Elevate created was removed (or was already gone)
 *   failed            stopped with `failure`; nothing is left assigned by Elevate
 *   cancelled         the requester withdrew it while it waited for approval
 */
import type { ApprovalState } from './approval.js';
import type { RbacPrincipal, RbacScope } from './rbac.js';
import { allowsMove, moveRecord, type StateMachine } from './state-machine.js';

export type RbacGrantState = 'awaitingApproval' | 'assigning' | 'active' | 'ended' | 'failed' | 'cancelled';

export interface RbacGrantFailure {
  code: string;
  message: string;
  hint?: string;
  /** The same as catalogue words, for each reader's language (absent on records of earlier versions). */
  words?: { message: RecordWords; hint?: RecordWords };
  correlationId?: string;
}

export interface RbacGrantEnding {
  reason: 'expired' | 'deactivated';
  at: string;
  /** True when Elevate deleted the assignment; false when it was already gone or was pre-existing (kept). */
  removed: boolean;
  note: string;
}

export interface RbacGrantRecord {
  id: string;
  state: RbacGrantState;
  requester: { aadObjectId: string; name: string; tenantId: string };
  principal: RbacPrincipal;
  role: { id: string; name: string };
  scope: RbacScope;
  /** ISO 8601 duration, e.g. PT4H. */
  duration: string;
  justification: string;
  ticketNumber?: string;
  /** The Elevate policy rule that allowed it. */
  policySource: string;
  approval?: ApprovalState;
  /**
   * Assignments of this principal, role and scope that existed before Elevate created one: written
   * before the create call, so that after a crash or a timeout an assignment found by reading back is
   * known to be Elevate's own (not in this list) or someone else's (in it).
   */
  existingBefore?: string[];
  assignmentId?: string;
  /** The assignment existed before this grant: it is recorded and never removed by Elevate. */
  preExisting?: boolean;
  activeUntil?: string;
  /** The instance creating the assignment (resume after a restart). */
  worker?: string;
  failure?: RbacGrantFailure;
  ending?: RbacGrantEnding;
  /** Removal attempts at expiry; the security channel is alerted once after repeated failures. */
  removal?: { attempts: number; lastError?: string; alerted?: boolean };
  /**
   * Where the request was made: `activityId` names the request (a redelivered message or card tap makes
   * the same grant); `messageId` is the requester's own grant card (Elevate's message), updated in place
   * at every later step, as elevation cards are.
   */
  card?: { conversationId: string; activityId: string; messageId?: string };
  createdAt: string;
  updatedAt: string;
  history: { at: string; state: RbacGrantState; note?: string }[];
}

const TRANSITIONS: Record<RbacGrantState, readonly RbacGrantState[]> = {
  awaitingApproval: ['assigning', 'failed', 'cancelled'],
  assigning: ['active', 'failed'],
  active: ['ended'],
  ended: [],
  failed: [],
  cancelled: [],
};

export class InvalidGrantTransitionError extends Error {
  constructor(
    readonly from: RbacGrantState,
    readonly to: RbacGrantState,
  ) {
    super(`A grant cannot go from ${from} to ${to}.`);
    this.name = 'InvalidGrantTransitionError';
  }
}

/** The grant state machine, run by the shared transition step (state-machine.ts), as elevations are. */
const GRANT_MACHINE: StateMachine<RbacGrantState> = {
  moves: TRANSITIONS,
  needApproval: ['assigning'],
  invalid: (from, to) => new InvalidGrantTransitionError(from, to),
  unapproved: (from, to) => new InvalidGrantTransitionError(from, to),
};

export function canGrantTransition(from: RbacGrantState, to: RbacGrantState): boolean {
  return allowsMove(GRANT_MACHINE, from, to);
}

/**
 * The next record. Throws when the state machine forbids the move, or when a grant that needs
 * approval would be assigned without being approved.
 */
export function transitionGrant(
  record: RbacGrantRecord,
  to: RbacGrantState,
  at: Date,
  changes: Partial<Omit<RbacGrantRecord, 'id' | 'state' | 'history' | 'createdAt'>> = {},
  note?: string,
): RbacGrantRecord {
  return moveRecord(GRANT_MACHINE, record, to, at, changes, note);
}

/** Grants that still hold (or may be about to hold) a role: listed by `status`, checked for overlaps. */
export const OPEN_GRANT_STATES: readonly RbacGrantState[] = ['awaitingApproval', 'assigning', 'active'];

/** The same principal, role and scope: a second request for it while one is open is refused. */
export function sameGrant(a: Pick<RbacGrantRecord, 'principal' | 'role' | 'scope'>, b: Pick<RbacGrantRecord, 'principal' | 'role' | 'scope'>): boolean {
  return (
    a.principal.id.toLowerCase() === b.principal.id.toLowerCase() &&
    a.role.id === b.role.id &&
    a.scope.kind === b.scope.kind &&
    (a.scope.id ?? '').toLowerCase() === (b.scope.id ?? '').toLowerCase()
  );
}
