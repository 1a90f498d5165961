import type { ElevationFailure } from './elevation.js';
import { inEnglish, said, type RecordText, type RecordWords } from './record-text.js';

/**
 * A failure to store: its words as catalogue keys (each reader sees them in their language) and, for
 * the audit log and earlier versions, in English.
 */
export function failure(code: string, message: RecordWords, hint?: RecordWords, correlationId?: string): ElevationFailure {
  return {
    code,
    message: inEnglish(message),
    ...(hint && hint.length > 0 ? { hint: inEnglish(hint) } : {}),
    ...(correlationId ? { correlationId } : {}),
    words: { message, ...(hint && hint.length > 0 ? { hint } : {}) },
  };
}

/** What each policy rule failure means for the requester (docs/api-contracts.md §2). */
const RULE_HINTS: Record<string, RecordText> = {
  ExpirationRule: said('ruleExpiration'),
  JustificationRule: said('ruleJustification'),
  TicketingRule: said('ruleTicketing'),
  MfaRule: said('ruleMfa'),
  EligibilityRule: said('ruleEligibility'),
};

/** Maps a PIM error code (and failed rule names) to a message that says what happened and what to do. */
export function describePimError(code: string, rules: readonly string[] = [], correlationId?: string): ElevationFailure {
  switch (code) {
    case 'RoleAssignmentRequestPolicyValidationFailed':
      return failure(
        code,
        [rules.length > 0 ? said('pimPolicyRefused', { rules: rules.join(', ') }) : said('pimPolicyRefusedAnyRule')],
        rules.map((r) => RULE_HINTS[r] ?? said('ruleOther', { rule: r })),
        correlationId,
      );
    case 'ActiveDurationTooShort':
      return failure(code, [said('pimTooShort')], [said('pimTooShortHint')], correlationId);
    case 'RoleAssignmentRequestAcrsValidationFailed':
      return failure(code, [said('pimStrongSignIn')], [said('pimStrongSignInHint')], correlationId);
    case 'Authorization_RequestDenied':
    case 'Forbidden':
      return failure(code, [said('graphRefused')], [said('graphRefusedHint')], correlationId);
    default:
      return failure(code, [said('pimCouldNotActivate', { code })], [said('pimCouldNotActivateHint')], correlationId);
  }
}

/** A PIM request that ended without activating. */
export function describePimStatus(status: string, requestId: string): ElevationFailure {
  return failure(`Pim${status}`, [said('pimAnswered', { status, requestId })], [said(status === 'Denied' ? 'pimAnsweredDenied' : 'pimAnsweredHint')]);
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
  return failure(APPROVAL_LAPSED, [said('approvalLapsed', { minutes: windowMinutes })], [said('approvalLapsedHint')]);
}
