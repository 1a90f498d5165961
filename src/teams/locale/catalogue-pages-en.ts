/**
 * The browser pages after an interactive sign-in (`signInPage`, language from the browser's
 * Accept-Language) and the strong sign-in an approval needs (`strongSignIn`, the approver's Teams
 * language): sections of the catalogue (catalogue-en.ts). German and French have exactly these keys.
 */
export const SIGN_IN_PAGE_EN = {
  noCodeTitle: 'Sign-in did not complete',
  noCodeText: 'Entra ID did not return a sign-in code. Close this window and try again from Teams.',
  signedInTitle: 'Signed in',
  signedInText: 'You are signed in. Close this window and return to Teams: Elevate continues where it stopped.',
  refusedTitle: 'Sign-in could not be used',
  refusedText: 'Close this window and start again from Teams.',
  approvalRecordedTitle: 'Approval recorded',
  approvalRecordedText: 'Your approval is recorded with your strong sign-in. Close this window and return to Teams.',
  approvalNotRecordedTitle: 'Approval not recorded',
  closeAndTapAgain: '{reason} Close this window and tap Approve again in Teams.',
  closeAndReturn: '{reason} Close this window and return to Teams.',
  busy: 'Many approvers were deciding at once. Close this window and tap Approve again in Teams.',
};

export const STRONG_SIGN_IN_EN = {
  title: 'Strong sign-in needed to approve',
  message:
    "Your approval of {requester}'s request for {role} in {environment} counts only after a fresh strong sign-in (Conditional Access authentication context {context}). Nothing is recorded yet.",
  hint: 'Select Sign in and complete the sign-in in the browser: your approval is recorded when you come back. The link works once. A Deny needs no sign-in.',
  otherUser: 'You signed in as another user than the approver who tapped Approve. Nothing was recorded.',
  missingContext: 'Your sign-in did not satisfy the strong sign-in this approval needs (authentication context). Nothing was recorded.',
  issuedBeforeTap: 'Your sign-in was older than your tap: this approval needs a new sign-in. Nothing was recorded.',
  signInAgain: '{reason} Tap Approve to sign in again.',
  notRecorded: 'Your approval was not recorded: tap Approve again.',
};
