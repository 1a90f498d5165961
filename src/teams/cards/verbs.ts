/**
 * `Action.Execute` verbs of Elevate's cards (Universal Actions). The card templates in
 * `adaptive-cards/` spell the same strings; `tests/unit/cards` checks that they agree.
 */
export const VERBS = {
  /** Request card: submit role, duration, justification (data `{ requestId, environmentId }`, inputs attached). */
  submit: 'elevate.submit',
  /** Request card: abandon the draft (data `{ requestId, environmentId }`, no inputs). */
  cancel: 'elevate.cancel',
  /** Failure card: start a new request for the same environment (data `{ requestId }`). */
  retry: 'elevate.retry',
  /** Message card suggestion: start a request for an environment (data `{ environmentId, ... }`). */
  start: 'elevate.start',
  /** Reminder card: deactivate the PIM role now and clean up (data `{ requestId }`). */
  deactivate: 'elevate.deactivate',
  /** Reminder card (issue #16): more time for the elevation (data `{ requestId, from, minutes }`; `from` is the end the card showed). */
  extend: 'elevate.extend',
  /** Too-early answer: let Elevate deactivate when PIM allows it (data `{ requestId }`). */
  deactivateLater: 'elevate.deactivateLater',
  /** Approval card: an approver's Approve (data `{ requestId }`). */
  approve: 'elevate.approve',
  /** Approval card: an approver's Deny (data `{ requestId }`, input `reason` required). */
  deny: 'elevate.deny',
  /** Requester card `refresh` (Universal Actions, `userIds` = the requester): the card for the elevation's current state. */
  refreshCard: 'elevate.refreshCard',
  /** Approval card `refresh` (Universal Actions, `userIds`): the card as the viewer should see it now. */
  approvalRefresh: 'elevate.approvalRefresh',
  /** Requester's "Approved" card: start the activation on the requester's own token (data `{ requestId }`). */
  activate: 'elevate.activate',
  /** PIM approval card: approve the PIM request's step with the approver's own token (data `{ requestId }`). */
  pimApprove: 'elevate.pimApprove',
  /** PIM approval card: deny the PIM request's step (data `{ requestId }`, input `reason` required). */
  pimDeny: 'elevate.pimDeny',
  /** Scheduled elevation (issue #16) whose start came without the requester's token: start it now (data `{ requestId }`). */
  startScheduled: 'elevate.startScheduled',
  /** Continue card: resume a wait for Power Platform after signing in again (data `{ requestId }`). */
  continue: 'elevate.continue',
  /** Grant request card: request the chosen Power Platform RBAC role (data `{ draftId, requesterId, app }`, inputs attached). */
  grantSubmit: 'elevate.grantSubmit',
  /** Grant request card: send nothing (data `{ draftId, requesterId }`). */
  grantCancel: 'elevate.grantCancel',
  /** Sweep preview (issue #15): a second member of the security team confirms (data `{ sweepId }`). */
  sweepConfirm: 'elevate.sweepConfirm',
  /** Sweep preview: cancel it (data `{ sweepId }`). */
  sweepCancel: 'elevate.sweepCancel',
  /** Break-glass review card (issue #16): a security-team member other than the requester acknowledges it (data `{ requestId }`). */
  breakGlassAcknowledge: 'elevate.breakGlassAcknowledge',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

const ALL_VERBS: ReadonlySet<string> = new Set(Object.values(VERBS));

/** True when `value` is one of Elevate's verbs (card data is untrusted). */
export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && ALL_VERBS.has(value);
}
