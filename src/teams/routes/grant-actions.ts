import { decideGrant, type GrantDecisionOutcome } from '../../use-cases/grants/decide-grant.js';
import { deactivateGrant } from '../../use-cases/grants/grant-status.js';
import { cancelGrant } from '../../use-cases/grants/cancel-grant.js';
import { grantApprovalCard, grantCard } from '../cards/grant-cards.js';
import { renderMessageCard } from '../cards/message-card.js';
import type { AdaptiveCard } from '../cards/render.js';
import { turnUser } from '../turn.js';
import { deactivationOutcomeCard } from './grant-command.js';
import { text, type VerbHandler } from './card-action-support.js';

const REFUSED: Record<Extract<GrantDecisionOutcome, { kind: 'refused' }>['reason'], string> = {
  selfApproval: 'You requested this: you cannot approve or deny your own request.',
  notApprover: 'You are not an approver of this request (Elevate checks your Entra object id against the policy).',
  alreadyVoted: 'You already decided on this request; each approver decides once.',
  alreadyDecided: 'This request was already decided.',
  expired: 'This request expired before enough approvers decided.',
  reasonRequired: 'A Deny needs a reason: the requester sees it.',
  unknownGrant: 'This request does not exist.',
  noApprovalNeeded: 'This request does not need approval.',
  freshSignInRequired: 'This approval needs a fresh strong sign-in.',
};

/** Approve / Deny on a grant's approval card: who decides comes from the activity, only the grant id from the card. */
export function decideGrantTap(decision: 'approve' | 'deny'): VerbHandler {
  return async (services, turn, data): Promise<AdaptiveCard> => {
    const user = turnUser(turn);
    if (!user || !services.grants) return renderMessageCard({ title: 'Refused', text: 'Elevate could not take this decision.', tone: 'attention' });
    const outcome = await decideGrant(services.grants, {
      grantId: text(data.requestId) ?? '',
      approverId: user.aadObjectId,
      approverName: user.name,
      decision,
      ...(decision === 'deny' ? { reason: text(data.reason) ?? '' } : {}),
    });
    const viewer = { aadObjectId: user.aadObjectId };
    if (outcome.kind === 'recorded') return grantApprovalCard(outcome.grant, viewer);
    if (outcome.kind === 'busy')
      return grantApprovalCard(outcome.grant, { ...viewer, note: 'Many approvers are deciding at once: your tap was not recorded. Tap again.' });
    if (!outcome.grant) return renderMessageCard({ title: 'Refused', text: REFUSED[outcome.reason], tone: 'attention' });
    return grantApprovalCard(outcome.grant, { ...viewer, note: `⛔ ${REFUSED[outcome.reason]}` });
  };
}

/** **End now** on a grant card or the `status` card. */
export const deactivateGrantTap: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  if (!user) return renderMessageCard({ title: 'Refused', text: 'Elevate could not tell who you are.', tone: 'attention' });
  return deactivationOutcomeCard(await deactivateGrant(services.grants, user.aadObjectId, text(data.requestId) ?? ''));
};

/** **Cancel request** on the requester's card of a grant waiting for approval (the tapper from the activity). */
export const cancelGrantRequestTap: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  const outcome = user ? await cancelGrant(services.grants, user.aadObjectId, text(data.requestId) ?? '') : { kind: 'notYours' as const };
  if (outcome.kind === 'cancelled' || outcome.kind === 'notPending') return grantCard(outcome.grant);
  if (outcome.kind === 'notYours') return renderMessageCard({ title: 'Refused', text: 'Only the requester can cancel this request.', tone: 'attention' });
  return renderMessageCard({ title: 'Nothing to cancel', text: 'This grant request no longer exists.' });
};
