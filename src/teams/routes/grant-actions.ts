import { decideGrant, grantApprovalView, type GrantDecisionOutcome } from '../../use-cases/grants/decide-grant.js';
import { deactivateGrant } from '../../use-cases/grants/grant-status.js';
import { cancelGrant } from '../../use-cases/grants/cancel-grant.js';
import { grantApprovalCard } from '../cards/grant-approval-card.js';
import { grantCard } from '../cards/grant-cards.js';
import { renderMessageCard } from '../cards/message-card.js';
import type { AdaptiveCard } from '../cards/render.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { textsFor } from '../locale/texts.js';
import { turnUser } from '../turn.js';
import { deactivationOutcomeCard } from './grant-command.js';
import { text, type VerbHandler } from './card-action-support.js';

/** Where the catalogue says what an approver is told when a tap on a grant's card is refused (the refusal is audited by the use case). */
const REFUSED: Record<Extract<GrantDecisionOutcome, { kind: 'refused' }>['reason'], keyof Catalogue['chat']> = {
  selfApproval: 'selfApproval',
  notApprover: 'notApprover',
  alreadyVoted: 'alreadyVoted',
  alreadyDecided: 'alreadyDecided',
  expired: 'approvalExpired',
  reasonRequired: 'reasonRequired',
  unknownGrant: 'unknownRequest',
  noApprovalNeeded: 'noApprovalNeeded',
  freshSignInRequired: 'freshSignInRequired',
};

/** Approve / Deny on a grant's approval card: who decides comes from the activity, only the grant id from the card. */
export function decideGrantTap(decision: 'approve' | 'deny'): VerbHandler {
  return async (services, turn, data): Promise<AdaptiveCard> => {
    const user = turnUser(turn);
    const texts = textsFor(turn.chat);
    const c = texts.c.chat;
    if (!user || !services.grants) return renderMessageCard({ title: c.refused, text: texts.c.grant.cannotDecide, tone: 'attention' });
    const outcome = await decideGrant(services.grants, {
      grantId: text(data.requestId) ?? '',
      approverId: user.aadObjectId,
      approverName: user.name,
      decision,
      ...(decision === 'deny' ? { reason: text(data.reason) ?? '' } : {}),
    });
    const viewer = { aadObjectId: user.aadObjectId, isApprover: true };
    if (outcome.kind === 'recorded') return grantApprovalCard(outcome.grant, viewer, texts);
    if (outcome.kind === 'busy') return grantApprovalCard(outcome.grant, { ...viewer, note: c.busyApprovers }, texts);
    if (!outcome.grant) return renderMessageCard({ title: c.refused, text: c[REFUSED[outcome.reason]], tone: 'attention' });
    const isApprover = outcome.reason !== 'notApprover' && outcome.reason !== 'selfApproval';
    return grantApprovalCard(outcome.grant, { aadObjectId: user.aadObjectId, isApprover, note: `⛔ ${c[REFUSED[outcome.reason]]}` }, texts);
  };
}

/**
 * Universal Actions refresh of a grant's approval card: the card as this viewer should see it now,
 * buttons only for an approver (checked on the server) who may still vote. Read-only.
 */
export const refreshGrantApprovalTap: VerbHandler = async (services, turn, data) => {
  const texts = textsFor(turn.chat);
  const user = turnUser(turn);
  const view = await grantApprovalView(services.grants, text(data.requestId) ?? '', user?.aadObjectId ?? '');
  if (!view) return renderMessageCard({ title: texts.c.chat.requestNotFound, text: texts.c.chat.approvalGone });
  // Without a known user: the card as posted (its buttons are re-checked on every tap).
  return grantApprovalCard(view.grant, user ? { aadObjectId: user.aadObjectId, isApprover: view.isApprover } : undefined, texts);
};

/** **End now** on a grant card or the `status` card. */
export const deactivateGrantTap: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  const texts = textsFor(turn.chat);
  if (!user) return renderMessageCard({ title: texts.c.chat.refused, text: texts.c.chat.whoAreYou, tone: 'attention' });
  return deactivationOutcomeCard(await deactivateGrant(services.grants, user.aadObjectId, text(data.requestId) ?? ''), texts);
};

/** **Cancel request** on the requester's card of a grant waiting for approval (the tapper from the activity). */
export const cancelGrantRequestTap: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  const texts = textsFor(turn.chat);
  const g = texts.c.grant;
  const outcome = user ? await cancelGrant(services.grants, user.aadObjectId, text(data.requestId) ?? '') : { kind: 'notYours' as const };
  if (outcome.kind === 'cancelled' || outcome.kind === 'notPending') return grantCard(outcome.grant, texts);
  if (outcome.kind === 'notYours') return renderMessageCard({ title: texts.c.chat.refused, text: g.onlyRequesterCancels, tone: 'attention' });
  return renderMessageCard({ title: g.nothingToCancel, text: g.requestGone });
};
