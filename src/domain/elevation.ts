/**
 * The elevation record and its state machine. Pure: no I/O, no clock reads.
 *
 * States:
 *   draft       request card shown, nothing done in the tenant yet
 *   scheduled   submitted for a later start (`schedule`, issue #16) without Elevate approval; nothing done
 *               in the tenant until a durable timer starts it. One that needs approval waits in
 *               `awaitingApproval` (with `schedule`) instead and starts from there once approved.
 *   awaitingApproval  Elevate policy needs approvers' votes (`approval`); nothing done in the tenant yet.
 *                     It stays here once approved (`approval.status` approved) until the requester's
 *                     activation starts; denied or expired goes to `failed`.
 *   activating  PIM selfActivate sent / waiting for the assignment instance
 *   elevating   PIM role active, Power Platform applyAdminRole in progress
 *   active      System Administrator granted until `activeUntil`
 *   failed      stopped with `failure` describing what happened and what to do
 *   cancelled   the requester abandoned the draft
 *   ended       the PIM assignment ended (expiry or early deactivation) and clean-up ran
 *
 * An extension request (`extends`, issue #16) uses draft → awaitingApproval like any request and is
 * closed as `cancelled` (with `extends.appliedAt`) once applied to its elevation: it never runs on its own.
 */
import type { ApprovalState, ApprovalStatus } from './approval.js';
import type { EnvironmentRef } from './environment.js';
import { allowsMove, moveRecord, type StateMachine } from './state-machine.js';
import type { ChangeSummary } from './what-changed.js';
import type { RecordWords } from './record-text.js';

/** How Elevate lengthened the PIM side of an extension (docs/api-contracts.md §2.1). */
export type ExtensionPath = 'scheduled' | 'reactivated';

/** One extension of an elevation, as kept on its record (issue #16; extension.ts). */
export interface ElevationExtension {
  /** When it was applied (ISO). */
  readonly at: string;
  readonly minutes: number;
  /** The end it extended (ISO) and the new end. */
  readonly from: string;
  readonly until: string;
  readonly path: ExtensionPath;
  readonly pimRequestId?: string;
  /** The approved extension request (a record with `extends`), when the policy asked for approval. */
  readonly approvedRequestId?: string;
}

export type ElevationState = 'draft' | 'scheduled' | 'awaitingApproval' | 'activating' | 'elevating' | 'active' | 'failed' | 'cancelled' | 'ended';

/** What an interactive sign-in must satisfy; `claims` is the Entra claims challenge (JSON, not a secret). */
export interface StepUp {
  reason: 'consent' | 'mfa' | 'authenticationContext' | 'interaction';
  claims?: string;
}

/** How an active elevation ended, and what clean-up did. */
export interface ElevationEnding {
  reason: 'expired' | 'deactivated';
  at: string;
  /** True when Elevate removed System Administrator; false when it was kept (held before, or unknown) or already gone. */
  systemAdminRemoved: boolean;
  /**
   * Who removed System Administrator: `elevate` at this clean-up, or `someoneElse` when Dataverse
   * showed it already gone (Microsoft removes it when the PIM activation ends, or an administrator
   * did); absent when it was kept.
   */
  removedBy?: 'elevate' | 'someoneElse';
  /** In English (as the audit log and earlier versions have it); `noteWords` renders it per reader. */
  note: string;
  noteWords?: RecordWords;
  /** What the requester did in the environment during the elevation (Dataverse auditing), bounded. */
  changes?: ChangeSummary;
}

export interface EligibleRoleOption {
  roleId: string;
  roleName: string;
  /** ISO 8601 duration from the role's PIM policy (Expiration_EndUser_Assignment.maximumDuration). */
  maximumDuration: string;
  justificationRequired: boolean;
  ticketRequired: boolean;
  mfaRequired: boolean;
  /** Already active for this user until this instant (ISO), if so. */
  activeUntil?: string;
}

/** A later start of an elevation (issue #16, scheduled-start.ts). */
export interface ScheduledStart {
  /** ISO instant the elevation starts; the requested duration counts from the activation, never from approval. */
  startAt: string;
  /** The requester's IANA zone (or `UTC+hh:mm`) when it was typed, for plain-text times. */
  timeZone?: string;
  /**
   * The start was reached without the requester's token: Elevate asked Teams for one (a sign-in card,
   * which the Teams client answers silently) and sent a **Start** card. Absent until then.
   */
  signInRequestedAt?: string;
  /** Earlier starts, oldest first, one per move. */
  movedFrom?: string[];
}

export interface ElevationFailure {
  code: string;
  /** What happened, in English: what the audit log keeps, and all that records of earlier versions carry. */
  message: string;
  /** What the user can do about it, in one sentence (English, as `message`). */
  hint?: string;
  /** Graph request-id / Power Platform x-ms-correlation-id, for support. */
  correlationId?: string;
  /** `message` and `hint` as catalogue keys and values, rendered in each reader's language (record-text.ts). */
  words?: { message?: RecordWords; hint?: RecordWords };
}

export interface ElevationRecord {
  id: string;
  state: ElevationState;
  requester: { aadObjectId: string; name: string; tenantId: string };
  environment: EnvironmentRef;
  /** The roles offered on the request card (server-side truth; card data is never trusted). */
  options: EligibleRoleOption[];
  roleId?: string;
  roleName?: string;
  /** ISO 8601 duration requested, e.g. PT2H. */
  duration?: string;
  justification?: string;
  ticketNumber?: string;
  ticketSystem?: string;
  pimRequestId?: string;
  pimStatus?: string;
  /** PIM's approval of the activation request (`approvalId` of a `PendingApproval` answer). */
  pimApprovalId?: string;
  /** The PIM approver's decision made through Elevate (who, what, why), once made. */
  pimDecision?: { approverId: string; name: string; decision: 'approve' | 'deny'; reason?: string; at: string };
  ppCorrelationId?: string;
  /**
   * Elevate had no Dataverse application user in the environment when the request was made, so it
   * cannot remove System Administrator at expiry; the Elevate policy said `warn`, and the requester
   * and the security channel are told.
   */
  applicationUserMissing?: boolean;
  /**
   * Break glass (issue #16): an on-call member's elevation without Elevate's approval, capped by the
   * policy's break-glass maximum, never extended (`canExtend` in break-glass.ts), reviewed by the
   * security team. Absent on every other elevation (the weekly digest counts `breakGlass === true`).
   */
  breakGlass?: boolean;
  /** Issue #16: the extensions applied to this elevation, oldest first (extension.ts); `activeUntil` is the latest end. */
  extensions?: ElevationExtension[];
  /**
   * Set (compare-and-swap) while an instance lengthens the PIM side of this elevation: a double tap, a
   * second instance and the expiry timer wait for it instead of acting on an end that is about to move.
   */
  extending?: { owner: string; until: string; from: string; minutes: number };
  /**
   * Issue #16: an extension's fallback deactivated the PIM role and neither the new activation nor giving
   * back what was left went through (`detail`: PIM's answers). The end was moved to `at` so that the
   * clean-up runs at once; the security channel was alerted.
   */
  pimRoleLost?: { at: string; detail: string };
  /**
   * Issue #16: this record is a request to extend another elevation by `minutes` from its end `from`,
   * put through the Elevate approval flow; once approved, **Activate** applies it to that elevation.
   */
  extends?: { elevationId: string; minutes: number; from: string; appliedAt?: string };
  /** True when Dataverse showed System Administrator before this elevation (standing access). */
  heldSystemAdminBefore?: boolean;
  activeUntil?: string;
  failure?: ElevationFailure;
  ending?: ElevationEnding;
  /** Set when the failure needs an interactive sign-in (consent, MFA, authentication context) before a retry. */
  stepUp?: StepUp;
  /** The bot instance running the activation/elevation (ELEVATE_INSTANCE_ID), so a restart resumes only its own work. */
  worker?: string;
  /**
   * Power Platform does not see the active PIM role yet (sync from Entra can take up to two hours,
   * docs/api-contracts.md §8): a durable timer retries `applyAdminRole` at `nextTryAt`, until
   * `deadline` (the configured limit, or the PIM end if sooner). `signInRequestedAt`: the requester's
   * token was gone (a restart, another instance) and Elevate asked Teams for one.
   */
  propagation?: { since: string; attempts: number; nextTryAt: string; deadline: string; signInRequestedAt?: string };
  /** Set (compare-and-swap) by the instance running the clean-up, so a racing expiry and deactivation clean up once. */
  cleanupLease?: { owner: string; until: string };
  /** A later start (issue #16): the record waits in `scheduled` or `awaitingApproval` until then. */
  schedule?: ScheduledStart;
  /** Present when Elevate policy required approval; never removed once set. */
  approval?: ApprovalState;
  /** Where the requester's card lives, to update it in place. */
  card?: { conversationId: string; activityId: string };
  /**
   * The requester's chat, for new messages, on a record without a card of its own: an extension request
   * (its elevation's card stays the elevation's; issue #16).
   */
  chat?: { conversationId: string };
  createdAt: string;
  updatedAt: string;
  history: { at: string; state: ElevationState; note?: string }[];
}

const TRANSITIONS: Record<ElevationState, readonly ElevationState[]> = {
  draft: ['scheduled', 'awaitingApproval', 'activating', 'elevating', 'failed', 'cancelled'],
  // At its start: activation (or elevation, when the role is already active), or not started (`failed`: eligibility or policy changed).
  scheduled: ['activating', 'elevating', 'failed', 'cancelled'],
  // `elevating` too: like a draft, an approved request whose role is already active in PIM skips activation.
  awaitingApproval: ['activating', 'elevating', 'failed', 'cancelled'],
  activating: ['elevating', 'failed'],
  elevating: ['active', 'failed'],
  active: ['ended'],
  // A failed elevation may be retried by its requester: back to PIM activation (which first
  // checks whether the role is already active, so nothing is activated twice).
  // ...or, once its PIM end has passed, closed by the clean-up of whatever the failed step granted.
  failed: ['activating', 'ended'],
  cancelled: [],
  ended: [],
};

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: ElevationState,
    readonly to: ElevationState,
  ) {
    super(`An elevation cannot go from ${from} to ${to}.`);
    this.name = 'InvalidTransitionError';
  }
}

/** A record that needed approval reaches the tenant (activation or elevation) only once approved. */
export class ApprovalNotGrantedError extends Error {
  constructor(readonly status: ApprovalStatus) {
    super(`An elevation whose approval is ${status} cannot be activated.`);
    this.name = 'ApprovalNotGrantedError';
  }
}

/** The elevation state machine, run by the shared transition step (state-machine.ts). */
const ELEVATION_MACHINE: StateMachine<ElevationState> = {
  moves: TRANSITIONS,
  needApproval: ['activating', 'elevating'],
  invalid: (from, to) => new InvalidTransitionError(from, to),
  unapproved: (_from, _to, status) => new ApprovalNotGrantedError(status),
};

export function canTransition(from: ElevationState, to: ElevationState): boolean {
  return allowsMove(ELEVATION_MACHINE, from, to);
}

/**
 * Returns the next record; throws InvalidTransitionError when the state machine forbids it and
 * ApprovalNotGrantedError when it would reach the tenant without the approval it needs.
 */
export function transition(
  record: ElevationRecord,
  to: ElevationState,
  at: Date,
  changes: Partial<Omit<ElevationRecord, 'id' | 'state' | 'history' | 'createdAt'>> = {},
  note?: string,
): ElevationRecord {
  return moveRecord(ELEVATION_MACHINE, record, to, at, changes, note);
}
