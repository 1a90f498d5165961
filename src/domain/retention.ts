import type { ElevationRecord } from './elevation.js';

/**
 * How long Elevate keeps what it stores for its own bookkeeping (README "What Elevate keeps and for
 * how long"). Elevations that reached PIM, and the audit log, are never removed by Elevate.
 */
export const RETENTION = {
  /**
   * Once-only claims (a redelivered activity, a channel post, a sign-in): kept longer than Teams
   * redelivers an activity, than the outbox retries a post and than an elevation or an approval
   * lasts, so that a pruned claim can never be claimed again by the same event.
   */
  claimDays: 14,
  /** A request card not submitted within this time is removed (its buttons then say it expired). */
  draftHours: 24,
  /** Unsubmitted requests (drafts, and drafts cancelled before submission) kept per requester, newest first. */
  unsubmittedPerRequester: 5,
  /** An interactive sign-in link works this long. */
  pendingSignInMinutes: 15,
  /** Interactive sign-ins waiting per user: a sixth replaces the oldest. */
  pendingSignInsPerUser: 5,
  /** How often housekeeping runs (one durable timer for all instances). */
  housekeepingMinutes: 60,
  /** Claims and drafts removed per kind and run; a run that reached it runs again a minute later. */
  perRun: 500,
} as const;

/**
 * A request that never reached PIM nor the approvers: a draft, or a draft the requester cancelled.
 * It has no audit entry and nothing in the tenant depends on it, so it can be removed.
 */
export function isUnsubmitted(record: ElevationRecord): boolean {
  if (record.state === 'draft') return true;
  return record.state === 'cancelled' && !record.approval && record.history.every((step) => step.state === 'draft' || step.state === 'cancelled');
}
