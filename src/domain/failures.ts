import type { ElevationFailure } from './elevation.js';

/** What each policy rule failure means for the requester (docs/api-contracts.md §2). */
const RULE_HINTS: Record<string, string> = {
  ExpirationRule: 'Choose a shorter duration: it is longer than the role allows.',
  JustificationRule: 'Give a justification: this role requires one.',
  TicketingRule: 'Give a ticket number: this role requires one.',
  MfaRule: 'Sign in again with multi-factor authentication: this role requires it.',
  EligibilityRule: 'You are no longer eligible for this role in PIM. Ask your PIM administrator.',
};

/** Maps a PIM error code (and failed rule names) to a message that says what happened and what to do. */
export function describePimError(code: string, rules: readonly string[] = [], correlationId?: string): ElevationFailure {
  const withId = (f: ElevationFailure): ElevationFailure => (correlationId ? { ...f, correlationId } : f);
  switch (code) {
    case 'RoleAssignmentRequestPolicyValidationFailed':
      return withId({
        code,
        message: `PIM refused the activation: ${rules.length > 0 ? rules.join(', ') : 'a policy rule'} failed.`,
        hint: rules.map((r) => RULE_HINTS[r] ?? `Check the role's PIM settings (${r}).`).join(' '),
      });
    case 'ActiveDurationTooShort':
      return withId({ code, message: 'PIM refused the activation: the duration is under its 5-minute minimum.', hint: 'Choose at least 30 minutes.' });
    case 'RoleAssignmentRequestAcrsValidationFailed':
      return withId({
        code,
        message: 'PIM requires a stronger sign-in (authentication context) for this role.',
        hint: 'Sign in again when asked, then retry.',
      });
    case 'Authorization_RequestDenied':
    case 'Forbidden':
      return withId({
        code,
        message: 'Microsoft Graph refused the request for your account.',
        hint: 'Check that Elevate has been granted its PIM permissions (see the README) and that you are still eligible.',
      });
    default:
      return withId({
        code,
        message: `PIM could not activate the role (${code}).`,
        hint: 'Try again in a few minutes; if it keeps failing, activate the role in the Entra portal and say "retry".',
      });
  }
}

/** A PIM request that ended without activating. */
export function describePimStatus(status: string, requestId: string): ElevationFailure {
  return {
    code: `Pim${status}`,
    message: `PIM answered "${status}" for request ${requestId}: the role was not activated.`,
    hint: status === 'Denied' ? 'An approver denied the request.' : 'Try again, or check the request in the Entra portal (My roles).',
  };
}

/** Failure codes of Elevate's approvals. */
export const APPROVAL_DENIED = 'ApprovalDenied';
export const APPROVAL_EXPIRED = 'ApprovalExpired';
export const APPROVAL_LAPSED = 'ApprovalLapsed';
/** Failure codes of a record whose PIM request needs (or got) a PIM approver's decision. */
export const PIM_APPROVAL_PENDING = 'PendingApproval';
export const PIM_APPROVAL_APPROVED = 'PimApproved';
export const PIM_APPROVAL_DENIED = 'PimApprovalDenied';

/** A scheduled elevation that did not start (eligibility or policy changed, or no sign-in in time, issue #16): a new request is needed. */
export const SCHEDULED_START_REFUSED = 'ScheduledStartRefused';

/** Failures a retry can never fix: the approvers said no, the approval ran out, a scheduled start was refused (a new request is needed). */
export const FINAL_FAILURES: ReadonlySet<string> = new Set([APPROVAL_DENIED, APPROVAL_EXPIRED, APPROVAL_LAPSED, PIM_APPROVAL_DENIED, SCHEDULED_START_REFUSED]);

/** An approved request whose requester did not activate within the window. */
export function lapsedFailure(windowMinutes: number): ElevationFailure {
  return {
    code: APPROVAL_LAPSED,
    message: `The request was approved, but not activated within ${windowMinutes} minutes of the approval.`,
    hint: 'Start a new request when you need the role; it needs a new approval.',
  };
}
