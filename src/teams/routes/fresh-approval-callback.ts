import type { FreshSignInRefusal } from '../../domain/fresh-sign-in.js';
import type { SignedInUser } from '../../ports/token-broker.js';
import { approveWithFreshSignIn, type FreshApprovalOutcome } from '../../use-cases/fresh-approval.js';
import { approvalCardFor } from '../cards/approval-cards.js';
import type { AdaptiveCard } from '../cards/render.js';
import type { TeamsServices } from '../services.js';
import type { ApprovalContinuation } from '../sign-in/step-up.js';
import { isPersonal } from '../turn.js';
import { refusalText } from './approval-actions.js';
import type { SignInPage } from './sign-in-page.js';

const SIGN_IN_REFUSALS: Record<FreshSignInRefusal, string> = {
  otherUser: 'You signed in as another user than the approver who tapped Approve. Nothing was recorded.',
  missingContext: 'Your sign-in did not satisfy the strong sign-in this approval needs (authentication context). Nothing was recorded.',
  issuedBeforeTap: 'Your sign-in was older than your tap: this approval needs a new sign-in. Nothing was recorded.',
};

/**
 * `/auth/callback` for an approver's Approve that needed a fresh strong sign-in (issue #18): parse
 * what the token says, cast the vote through the use case, show the outcome on the card the
 * approver tapped and on the page. `approverId` is the user the sign-in was started for; `signedIn`
 * whoever actually came back (another user is refused by the use case, and audited).
 */
export async function completeFreshApproval(
  services: TeamsServices,
  approverId: string,
  signedIn: SignedInUser,
  continuation: ApprovalContinuation,
): Promise<SignInPage> {
  const outcome = await approveWithFreshSignIn(services.elevation, {
    elevationId: continuation.elevationId,
    approverId,
    ...(continuation.approverName !== undefined ? { approverName: continuation.approverName } : {}),
    tapAt: continuation.tapAt,
    evidence: { objectId: signedIn.aadObjectId, acrs: signedIn.acrs ?? [], issuedAt: signedIn.issuedAt },
  });
  const card = cardFor(outcome, approverId);
  const chat = card && continuation.cardId ? await services.conversations.find(continuation.conversationId) : undefined;
  // Only a 1:1 card is the approver's own: a channel card is everyone's, and the approval board updates it.
  if (chat && isPersonal({ chat }) && card && continuation.cardId) await services.courier.replace(chat, continuation.cardId, card);
  return pageFor(outcome);
}

function cardFor(outcome: FreshApprovalOutcome, approverId: string): AdaptiveCard | undefined {
  if (!outcome.record) return undefined;
  const viewer = { aadObjectId: approverId, isApprover: !(outcome.kind === 'refused' && outcome.reason === 'notApprover') };
  switch (outcome.kind) {
    case 'recorded':
      return approvalCardFor(outcome.record, viewer, undefined, 'elevate');
    case 'signInRefused':
      return approvalCardFor(outcome.record, viewer, `⛔ ${SIGN_IN_REFUSALS[outcome.reason]} Tap Approve to sign in again.`, 'elevate');
    case 'refused':
      return approvalCardFor(outcome.record, viewer, `⛔ ${refusalText(outcome.reason)}`, 'elevate');
    case 'busy':
    case 'signInNeeded':
      return approvalCardFor(outcome.record, viewer, 'Your approval was not recorded: tap Approve again.', 'elevate');
  }
}

function pageFor(outcome: FreshApprovalOutcome): SignInPage {
  switch (outcome.kind) {
    case 'recorded':
      return { status: 200, title: 'Approval recorded', text: 'Your approval is recorded with your strong sign-in. Close this window and return to Teams.' };
    case 'signInRefused':
      return { status: 403, title: 'Approval not recorded', text: `${SIGN_IN_REFUSALS[outcome.reason]} Close this window and tap Approve again in Teams.` };
    case 'refused':
      return { status: 409, title: 'Approval not recorded', text: `${refusalText(outcome.reason)} Close this window and return to Teams.` };
    case 'busy':
    case 'signInNeeded':
      return { status: 409, title: 'Approval not recorded', text: 'Many approvers were deciding at once. Close this window and tap Approve again in Teams.' };
  }
}
