import { sameId } from '../../domain/approval.js';
import { elevationById } from '../../use-cases/requester-status.js';
import { announcePimDecision, decidePimApproval } from '../../use-cases/decide-pim-approval.js';
import { approvalCardFor } from '../cards/approval-cards.js';
import { messageCard } from '../cards/elevation-cards.js';
import { turnUser } from '../turn.js';
import { textsFor } from '../locale/texts.js';
import { needsSignIn, text, type VerbHandler } from './card-action-support.js';

/**
 * Approve / Deny on a PIM approval card: decided in Entra with the approver's own token (PIM
 * approvals are delegated only), so an approver without a session signs in first. Entra decides
 * who is an approver (403) and whether someone else was first (409); both become clear answers.
 */
export function pimDecisionHandler(decision: 'approve' | 'deny'): VerbHandler {
  return async (services, turn, data) => {
    const user = turnUser(turn);
    const requestId = text(data.requestId) ?? '';
    const current = await elevationById(services.elevation, requestId);
    const texts = textsFor(turn.chat);
    const c = texts.c.chat;
    if (!user || !current) return messageCard({ title: c.requestNotFound, text: c.pimApprovalGone });
    const viewer = { aadObjectId: user.aadObjectId, isApprover: !sameId(user.aadObjectId, current.requester.aadObjectId) };
    // The requester is refused before any sign-in prompt (the use case refuses and audits it too).
    if (viewer.isApprover) {
      const signInCard = await needsSignIn(services, turn, 'status');
      if (signInCard) return signInCard;
    }
    const outcome = await decidePimApproval(services.elevation, {
      elevationId: requestId,
      approverId: user.aadObjectId,
      approverName: user.name,
      decision,
      ...(decision === 'deny' ? { reason: text(data.reason) ?? '' } : {}),
    });
    if (outcome.kind === 'refused' && outcome.decidedElsewhere && outcome.record) {
      const record = outcome.record;
      services.background.run(`PIM decision ${record.id}`, () => announcePimDecision(services.elevation, record));
    }
    if (outcome.kind === 'refused') {
      const why = texts.c.pimRefusal[outcome.reason];
      return outcome.record
        ? approvalCardFor(outcome.record, viewer, `⛔ ${why}`, 'pim', texts)
        : messageCard({ title: c.refused, text: why, tone: 'attention' });
    }
    const record = outcome.record;
    services.background.run(`PIM decision ${record.id}`, () => announcePimDecision(services.elevation, record));
    return approvalCardFor(record, { ...viewer, isApprover: false }, outcome.decision === 'approve' ? c.youApprovedPim : c.youDeniedPim, 'pim', texts);
  };
}
