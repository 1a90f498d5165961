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
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, textsFor, type Texts } from '../locale/texts.js';

const SIGN_IN_REFUSALS: Record<FreshSignInRefusal, keyof Catalogue['strongSignIn']> = {
  otherUser: 'otherUser',
  missingContext: 'missingContext',
  issuedBeforeTap: 'issuedBeforeTap',
};

/**
 * `/auth/callback` for an approver's Approve that needed a fresh strong sign-in (issue #18): parse
 * what the token says, cast the vote through the use case, show the outcome on the card the
 * approver tapped (in the language of their chat, as stored) and on the page (in `page`'s language,
 * the browser's Accept-Language). `approverId` is the user the sign-in was started for; `signedIn`
 * whoever actually came back (another user is refused by the use case, and audited).
 */
export async function completeFreshApproval(
  services: TeamsServices,
  approverId: string,
  signedIn: SignedInUser,
  continuation: ApprovalContinuation,
  page: Texts = ENGLISH,
): Promise<SignInPage> {
  const outcome = await approveWithFreshSignIn(services.elevation, {
    elevationId: continuation.elevationId,
    approverId,
    ...(continuation.approverName !== undefined ? { approverName: continuation.approverName } : {}),
    tapAt: continuation.tapAt,
    evidence: { objectId: signedIn.aadObjectId, acrs: signedIn.acrs ?? [], issuedAt: signedIn.issuedAt },
  });
  const chat = continuation.cardId ? await services.conversations.find(continuation.conversationId) : undefined;
  const card = cardFor(outcome, approverId, textsFor(chat));
  // Only a 1:1 card is the approver's own: a channel card is everyone's, and the approval board updates it.
  if (chat && isPersonal({ chat }) && card && continuation.cardId) await services.courier.replace(chat, continuation.cardId, card);
  return pageFor(outcome, page);
}

function cardFor(outcome: FreshApprovalOutcome, approverId: string, texts: Texts): AdaptiveCard | undefined {
  if (!outcome.record) return undefined;
  const s = texts.c.strongSignIn;
  const viewer = { aadObjectId: approverId, isApprover: !(outcome.kind === 'refused' && outcome.reason === 'notApprover') };
  switch (outcome.kind) {
    case 'recorded':
      return approvalCardFor(outcome.record, viewer, undefined, 'elevate', texts);
    case 'signInRefused':
      return approvalCardFor(outcome.record, viewer, `⛔ ${texts.fill(s.signInAgain, { reason: s[SIGN_IN_REFUSALS[outcome.reason]] })}`, 'elevate', texts);
    case 'refused':
      return approvalCardFor(outcome.record, viewer, `⛔ ${refusalText(outcome.reason, texts)}`, 'elevate', texts);
    case 'busy':
    case 'signInNeeded':
      return approvalCardFor(outcome.record, viewer, s.notRecorded, 'elevate', texts);
  }
}

function pageFor(outcome: FreshApprovalOutcome, texts: Texts): SignInPage {
  const p = texts.c.signInPage;
  const base = { lang: texts.language, title: p.approvalNotRecordedTitle };
  switch (outcome.kind) {
    case 'recorded':
      return { ...base, status: 200, title: p.approvalRecordedTitle, text: p.approvalRecordedText };
    case 'signInRefused':
      return { ...base, status: 403, text: texts.fill(p.closeAndTapAgain, { reason: texts.c.strongSignIn[SIGN_IN_REFUSALS[outcome.reason]] }) };
    case 'refused':
      return { ...base, status: 409, text: texts.fill(p.closeAndReturn, { reason: refusalText(outcome.reason, texts) }) };
    case 'busy':
    case 'signInNeeded':
      return { ...base, status: 409, text: p.busy };
  }
}
