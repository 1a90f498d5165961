import { submissionText } from '../locale/submission-words.js';
import { sameId } from '../../domain/approval.js';
import { elevationById } from '../../use-cases/requester-status.js';
import { activateApproved } from '../../use-cases/approved-activation.js';
import { applyApprovedExtension } from '../../use-cases/extension-approval.js';
import { extendOutcomeCard } from '../cards/extend-card.js';
import { decideApproval, isListedApprover, type DecisionRefusal } from '../../use-cases/request-approval.js';
import { runElevation } from '../../use-cases/run-elevation.js';
import { approvalCardFor, isPimApproval } from '../cards/approval-cards.js';
import { VERBS } from '../cards/verbs.js';
import { messageCard } from '../cards/elevation-cards.js';
import { approvalSignInCard } from '../cards/approval-sign-in-card.js';
import { claimsChallenge } from '../../domain/fresh-sign-in.js';
import { turnUser } from '../turn.js';
import { needsSignIn, recordCard, refuseNotYours, text, type VerbHandler } from './card-action-support.js';
import { pimDecisionHandler } from './pim-approval-actions.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, textsFor, type Texts } from '../locale/texts.js';
import { isGrantId } from '../cards/grant-cards.js';
import { decideGrantTap, refreshGrantApprovalTap } from './grant-actions.js';

/** Where the catalogue says what an approver is told when a tap is refused (the refusal is audited by the use case). */
const REFUSALS: Record<DecisionRefusal, keyof Catalogue['chat']> = {
  selfApproval: 'selfApproval',
  notApprover: 'notApprover',
  alreadyVoted: 'alreadyVoted',
  alreadyDecided: 'alreadyDecided',
  expired: 'approvalExpired',
  reasonRequired: 'reasonRequired',
  unknownRequest: 'unknownRequest',
  invalidDecision: 'invalidDecision',
  noApprovalNeeded: 'noApprovalNeeded',
  freshSignInRequired: 'freshSignInRequired',
};

/** An approver's refusal in a language (the sign-in pages use the browser's Accept-Language). */
export function refusalText(reason: DecisionRefusal, texts: Texts = ENGLISH): string {
  return texts.c.chat[REFUSALS[reason]];
}

function decide(decision: 'approve' | 'deny'): VerbHandler {
  const grantTap = decideGrantTap(decision);
  return async (services, turn, data) => {
    // Power Platform RBAC grants share the approval card and its verbs; their ids start with `g-`.
    if (isGrantId(text(data.requestId))) return grantTap(services, turn, data);
    const user = turnUser(turn);
    const texts = textsFor(turn.chat);
    const c = texts.c.chat;
    if (!user) return messageCard({ title: c.refused, text: c.whoAreYou });
    // Who decides comes from the activity; only the request id comes from the (untrusted) card.
    const outcome = await decideApproval(services.elevation, {
      elevationId: text(data.requestId) ?? '',
      approverId: user.aadObjectId,
      approverName: user.name,
      decision,
      ...(decision === 'deny' ? { reason: text(data.reason) ?? '' } : {}),
    });
    const viewer = { aadObjectId: user.aadObjectId, isApprover: true };
    switch (outcome.kind) {
      case 'recorded':
        return approvalCardFor(outcome.record, viewer, undefined, 'elevate', texts);
      case 'busy':
        return approvalCardFor(outcome.record, viewer, c.busyApprovers, 'elevate', texts);
      case 'signInNeeded': {
        const continuation = {
          kind: 'approval' as const,
          elevationId: outcome.record.id,
          tapAt: outcome.tapAt.toISOString(),
          approverName: user.name,
          conversationId: turn.chat.conversationId,
          ...(turn.replyToId ? { cardId: turn.replyToId } : {}),
        };
        const claims = claimsChallenge(outcome.requirement);
        const url = await services.stepUp.url(user.aadObjectId, continuation, { reason: 'authenticationContext', claims });
        return approvalSignInCard(outcome.record, outcome.requirement, url, texts);
      }
      case 'refused':
        if (!outcome.record || outcome.reason === 'unknownRequest')
          return messageCard({ title: c.refused, text: c[REFUSALS[outcome.reason]], tone: 'attention' });
        return approvalCardFor(
          outcome.record,
          { aadObjectId: user.aadObjectId, isApprover: outcome.reason !== 'notApprover' },
          `⛔ ${c[REFUSALS[outcome.reason]]}`,
          'elevate',
          texts,
        );
    }
  };
}

/**
 * Universal Actions refresh: the approval card as this viewer should see it now (buttons only for
 * an approver who may still decide). Read-only: Teams calls it automatically for `refresh.userIds`.
 */
const refreshApproval: VerbHandler = async (services, turn, data) => {
  if (isGrantId(text(data.requestId))) return refreshGrantApprovalTap(services, turn, data);
  const current = await elevationById(services.elevation, text(data.requestId) ?? '');
  const texts = textsFor(turn.chat);
  if (!current) return messageCard({ title: texts.c.chat.requestNotFound, text: texts.c.chat.approvalGone });
  const record = current;
  const user = turnUser(turn);
  if (!user) return approvalCardFor(record, undefined, undefined, text(data.kind) === 'pim' && record.pimApprovalId ? 'pim' : 'elevate', texts);
  const approval = record.approval;
  const mayStillVote =
    approval?.status === 'pending' &&
    record.state === 'awaitingApproval' &&
    !sameId(user.aadObjectId, record.requester.aadObjectId) &&
    !approval.votes.some((v) => sameId(v.approverId, user.aadObjectId));
  // The card says which approval it shows (only the view depends on it; every tap is re-checked).
  const kind =
    text(data.kind) === 'pim' && record.pimApprovalId ? 'pim' : text(data.kind) === 'elevate' ? 'elevate' : isPimApproval(record) ? 'pim' : 'elevate';
  // A PIM approval is decided by Entra: anyone but the requester sees the buttons; Graph checks the tap.
  const isApprover =
    kind === 'pim'
      ? !sameId(user.aadObjectId, record.requester.aadObjectId)
      : mayStillVote && approval
        ? await isListedApprover(services.elevation, approval, record.requester.aadObjectId, user.aadObjectId)
        : false;
  return approvalCardFor(record, { aadObjectId: user.aadObjectId, isApprover }, undefined, kind, texts);
};

/** **Activate** on the requester's "Approved" card: PIM activation and elevation on the requester's own token. */
const activate: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  const requestId = text(data.requestId) ?? '';
  const current = await elevationById(services.elevation, requestId);
  const texts = textsFor(turn.chat);
  const c = texts.c.chat;
  if (!user || !current) return messageCard({ title: c.requestNotFound, text: c.requestGone });
  if (!sameId(current.requester.aadObjectId, user.aadObjectId)) return refuseNotYours(services, user.aadObjectId, requestId, texts);
  const signInCard = await needsSignIn(services, turn, 'status');
  if (signInCard) return signInCard;
  // Issue #16: an approved extension request is applied to its elevation, not activated on its own.
  if (current.extends) return extendOutcomeCard(await applyApprovedExtension(services.elevation, user.aadObjectId, requestId), texts);
  const outcome = await activateApproved(services.elevation, user.aadObjectId, requestId);
  switch (outcome.kind) {
    case 'started':
      services.background.run(`elevation ${outcome.record.id}`, () => runElevation(services.elevation, outcome.record.id));
      return recordCard(services, outcome.record, texts);
    case 'notActivatable':
      return recordCard(services, outcome.record, texts);
    case 'invalid':
      return messageCard({ title: c.cannotActivate, text: outcome.words ? submissionText(outcome.words, texts) : outcome.message, tone: 'attention' });
    case 'notYours':
      return refuseNotYours(services, user.aadObjectId, requestId, texts);
    case 'notFound':
      return messageCard({ title: c.requestNotFound, text: c.requestGone });
  }
};

/** Approval cards' verbs (Elevate policy approvals and PIM approvals). */
export const APPROVAL_HANDLERS: Record<string, VerbHandler> = {
  [VERBS.approve]: decide('approve'),
  [VERBS.deny]: decide('deny'),
  [VERBS.approvalRefresh]: refreshApproval,
  [VERBS.activate]: activate,
  [VERBS.pimApprove]: pimDecisionHandler('approve'),
  [VERBS.pimDeny]: pimDecisionHandler('deny'),
};
