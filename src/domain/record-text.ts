/**
 * Words that use cases store on a record (a failure, the note of an ending) and several readers see
 * later, each in their own language: stored as a catalogue key and its values, rendered per reader
 * from the catalogues (src/teams/locale, section `records`). These English templates are that
 * section's English text; German and French have the same keys (the compiler and
 * tests/unit/teams/locale/catalogues.test.ts check it). The English rendering is stored next to the
 * key as well: the audit log keeps it (its entries are hashed and read by operators), and a record
 * whose key this version does not know (written by a newer one) still shows it.
 */
export const RECORD_TEXTS_EN = {
  pimPolicyRefused: 'PIM refused the activation: {rules} failed.',
  pimPolicyRefusedAnyRule: 'PIM refused the activation: a policy rule failed.',
  ruleExpiration: 'Choose a shorter duration: it is longer than the role allows.',
  ruleJustification: 'Give a justification: this role requires one.',
  ruleTicketing: 'Give a ticket number: this role requires one.',
  ruleMfa: 'Sign in again with multi-factor authentication: this role requires it.',
  ruleEligibility: 'You are no longer eligible for this role in PIM. Ask your PIM administrator.',
  ruleOther: "Check the role's PIM settings ({rule}).",
  pimTooShort: 'PIM refused the activation: the duration is under its 5-minute minimum.',
  pimTooShortHint: 'Choose at least 30 minutes.',
  pimStrongSignIn: 'PIM requires a stronger sign-in (authentication context) for this role.',
  pimStrongSignInHint: 'Sign in again when asked, then retry.',
  graphRefused: 'Microsoft Graph refused the request for your account.',
  graphRefusedHint: 'Check that Elevate has been granted its PIM permissions (see the README) and that you are still eligible.',
  pimCouldNotActivate: 'PIM could not activate the role ({code}).',
  pimCouldNotActivateHint: 'Try again in a few minutes; if it keeps failing, activate the role in the Entra portal and say "retry".',
  pimAnswered: 'PIM answered "{status}" for request {requestId}: the role was not activated.',
  pimAnsweredDenied: 'An approver denied the request.',
  pimAnsweredHint: 'Try again, or check the request in the Entra portal (My roles).',
  approvalLapsed: 'The request was approved, but not activated within {minutes} minutes of the approval.',
  approvalLapsedHint: 'Start a new request when you need the role; it needs a new approval.',
  approvalExpired: 'No decision from the approvers in time ({approvals} of {required} approvals).',
  approvalExpiredHint: 'Start a new request when an approver is available.',
  approvalDenied: '{name} denied the request: {reason}',
  approvalDeniedByAnApprover: 'An approver denied the request: {reason}',
  approvalDeniedHint: 'Talk to the approver; a new request needs a new approval.',
  pimPending: "PIM sent request {requestId} to the role's approvers: it is not active yet.",
  pimPendingHint:
    'Its approvers get an approval card in Teams; when one approves (there or in PIM), select Try again or say "retry" to finish the Power Platform step.',
  pimApprovalDenied: '{name} denied the PIM request: {reason}',
  pimApprovalApproved: '{name} approved the PIM request: PIM is activating the role.',
  pimApprovalApprovedHint: 'Say "retry" to finish the Power Platform step.',
  activationTimeout: 'PIM accepted the request but the role was not active after {minutes} minutes.',
  activationTimeoutHint: 'Check "My roles" in the Entra portal; once the role shows as active, say "retry".',
  notAdmin: 'Your PIM role is active, but Power Platform still does not recognise you as an administrator.',
  notAdminHint: 'Role changes can take a while to reach Power Platform. Say "retry" in a few minutes.',
  notAdminAfter: 'Your PIM role is active, but Power Platform still did not recognise you as an administrator after {minutes} minutes.',
  notAdminAfterHint: 'Role changes can take a while to reach Power Platform. Say "retry" later: Elevate will not activate the role again.',
  notAdminPimEnded: 'Your PIM activation ended before Power Platform recognised it, so you were not made System Administrator.',
  notAdminPimEndedHint: 'Request a new elevation; if this keeps happening, ask your administrator to check the role reaches Power Platform.',
  signInRenew: 'Your sign-in expired or needs to be renewed before Elevate can continue.',
  signInRenewHint: 'Say "retry" and sign in when asked.',
  signInWaitRanOut: 'Elevate needed you to sign in again to finish making you System Administrator, and the wait ran out.',
  signInWaitRanOutHint: 'Say "retry": Elevate continues without activating the PIM role again.',
  noAnswer: 'A Microsoft service did not answer in time, and Elevate could not confirm that the step was done.',
  noAnswerHint: 'Say "retry" in a few minutes: Elevate checks what was done first and never activates the role twice.',
  tryLater: 'Try again in a few minutes.',
  unexpected: 'Something unexpected went wrong while elevating.',
  unexpectedHint: 'Try again; if it keeps failing, give the security team the request id.',
  interruptedRestart: 'Elevate restarted while activating your PIM role; it may already be active.',
  interruptedInstanceGone: 'The Elevate instance activating your PIM role stopped; it may already be active.',
  interruptedHint: 'Tap Try again (or say "retry"): Elevate continues where it stopped and does not activate the role twice.',
  endedRoleInactive: 'Your PIM role is no longer active.',
  endedStays: 'System Administrator in {environment} stays while your other elevation there runs (until {until}).',
  endedStaysNoEnd: 'System Administrator in {environment} stays while your other elevation there runs (until its end).',
  endedRemoved: 'System Administrator was removed from you in {environment}.',
  endedRemovedBeforeRestart: "System Administrator was removed from you in {environment} (by Elevate's clean-up, before Elevate restarted).",
  endedAlreadyGone:
    'System Administrator was already gone from you in {environment} (Microsoft removes it when a PIM activation ends, or an administrator did); nothing left to remove.',
  endedHeldBefore: 'You held System Administrator in {environment} before this elevation, so it was kept.',
  endedUnknownBefore:
    'Elevate could not tell whether you held System Administrator in {environment} before, so it was kept; an administrator should review it.',
  grantThrottled: 'Power Platform kept answering "too many requests" (429) beyond the time Elevate waits, as Retry-After asked.',
  grantAskInMinutes: 'Ask again in a few minutes.',
  grantInvalidScope: 'Power Platform says {scope} is not a valid scope (400 InvalidScope): it may have been deleted or renamed.',
  grantCheckName: 'Check the name and ask again.',
  grantPrincipalNotFound: 'Power Platform does not find {name} in the tenant (400 PrincipalNotFound).',
  grantNeedsServicePrincipal: 'The app needs a service principal (enterprise application) in this tenant.',
  grantNewAccount: 'New accounts can take a while to reach Power Platform; try again later.',
  grantIdentityNotAllowed:
    "Power Platform refused Elevate's RBAC identity (403): it does not hold the role-based access control administrator role for {scope}.",
  grantAssignIdentity: 'An administrator must assign it that role (npm run doctor, check pp.rbac-identity).',
  grantServerFailed: 'Power Platform failed ({status}) and Elevate found no assignment when it read back.',
  grantAskLater: 'Ask again later.',
  grantRefused: 'Power Platform refused the assignment ({status}).',
  grantNoAnswer: 'Power Platform did not answer in time, and reading back showed the role was not assigned.',
  grantCouldNotAssign: 'Elevate could not assign the role.',
  /** Elevate's own diagnosis of a step that failed (an ElevateError), English as written; other languages introduce it. */
  stepFailed: '{detail}',
};

export type RecordTextKey = keyof typeof RECORD_TEXTS_EN;
export type RecordTextParams = Readonly<Record<string, string | number>>;

/** One sentence stored on a record as a catalogue key and its values. */
export interface RecordText {
  key: RecordTextKey;
  params?: RecordTextParams;
}

/** The sentences of a stored text, rendered per reader; joined with spaces. */
export type RecordWords = readonly RecordText[];

/** `template` with each `{name}` replaced by `params[name]` (unknown names stay as they are). */
export function fillTemplate(template: string, params: RecordTextParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A sentence to store: its key and values. */
export function said(key: RecordTextKey, params?: RecordTextParams): RecordText {
  return params ? { key, params } : { key };
}

/** The English of stored words (what the audit log and older records carry). */
export function inEnglish(words: RecordWords): string {
  return words.map((w) => fillTemplate(RECORD_TEXTS_EN[w.key] ?? '', w.params)).join(' ');
}
