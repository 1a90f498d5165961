import { sameId } from '../../domain/approval.js';
import { decidePimApproval } from '../../use-cases/decide-pim-approval.js';
import { approvalCardFor } from '../cards/approval-cards.js';
import { messageCard } from '../cards/elevation-cards.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import type { TeamsServices } from '../services.js';
import { turnUser } from '../host/turn-user.js';
import { needsSignIn, text, type VerbHandler } from './card-action-support.js';

/**
 * Approve / Deny on a PIM approval card: decided in Entra with the approver's own token (PIM
 * approvals are delegated only), so an approver without a session signs in first. Entra decides
 * who is an approver (403) and whether someone else was first (409); both become clear answers.
 */
export function pimDecisionHandler(decision: 'approve' | 'deny'): VerbHandler {
  return async (services, context, data) => {
    const user = turnUser(context);
    const requestId = text(data.requestId) ?? '';
    const current = await services.elevation.store.getElevation(requestId);
    if (!user || !current) return messageCard({ title: 'Request not found', text: 'This PIM approval request no longer exists.' });
    const viewer = { aadObjectId: user.aadObjectId, isApprover: !sameId(user.aadObjectId, current.value.requester.aadObjectId) };
    // The requester is refused before any sign-in prompt (the use case refuses and audits it too).
    if (viewer.isApprover) {
      const signInCard = await needsSignIn(services, context, 'status');
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
      services.background.run(`PIM decision ${record.id}`, () => announcePimDecision(services, record));
    }
    if (outcome.kind === 'refused') {
      return outcome.record
        ? approvalCardFor(outcome.record, viewer, `⛔ ${outcome.message}`, 'pim')
        : messageCard({ title: 'Refused', text: outcome.message, tone: 'attention' });
    }
    const record = outcome.record;
    services.background.run(`PIM decision ${record.id}`, () => announcePimDecision(services, record));
    return approvalCardFor(record, { ...viewer, isApprover: false }, `You ${outcome.decision === 'approve' ? 'approved' : 'denied'} this PIM request.`, 'pim');
  };
}

/** Every PIM approval card, the security channel and the requester (a new message: Finish, or why not). */
async function announcePimDecision(services: TeamsServices, record: ElevationRecord): Promise<void> {
  await services.elevation.approvals.refresh(record);
  await services.elevation.notifier.approvalChanged(record);
  await services.elevation.presenter.tell(record);
}
