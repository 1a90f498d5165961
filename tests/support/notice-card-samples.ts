import type { ElevationRecord } from '../../src/domain/elevation.js';
import { approvalSignInCard } from '../../src/teams/cards/approval-sign-in-card.js';
import {
  approvalStepNotice,
  auditAlertNotice,
  auditAnchorNotice,
  deliveryFailingNotice,
  elevationAlertNotice,
  pimDecisionNotice,
} from '../../src/teams/channels/security-notices.js';
import type { Texts } from '../../src/teams/locale/texts.js';
import type { CardSample } from './card-samples.js';

const AT = '2026-03-02T07:55:00.000Z';

/** An elevation as the security channel's notices see it (approval with one vote, a PIM denial). */
const RECORD = {
  id: 'req-0042',
  state: 'awaitingApproval',
  requester: { aadObjectId: 'a0000000-0000-4000-8000-00000000ade1', name: 'Adele Vance', tenantId: 't' },
  environment: { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' },
  options: [],
  roleName: 'Power Platform Administrator',
  approval: {
    policySource: 'prod',
    required: 2,
    approverGroupIds: [],
    approverUserIds: [],
    votes: [{ approverId: 'b0000000-0000-4000-8000-00000000e6a0', approverName: 'Megan Bowen', decision: 'approve', at: AT }],
    status: 'pending',
    expiresAt: '2026-03-02T09:00:00.000Z',
  },
  pimDecision: { approverId: 'b0000000-0000-4000-8000-00000000e570', name: 'Nestor Wilke', decision: 'deny', reason: 'Change freeze', at: AT },
  createdAt: AT,
  updatedAt: AT,
  history: [],
} as unknown as ElevationRecord;

/** The security channel's own notices and the strong sign-in answer to an approver, in `texts`' language. */
export function noticeCardSamples(texts: Texts): CardSample[] {
  return [
    { name: 'security-approval-step', card: approvalStepNotice(RECORD, texts).card },
    { name: 'security-pim-decision', card: pimDecisionNotice(RECORD, texts).card },
    {
      name: 'security-cleanup-alert',
      card: elevationAlertNotice(RECORD, { kind: 'cleanupFailing', attempts: 5, error: 'Dataverse answered 403' }, texts).card,
    },
    { name: 'security-audit-anchor', card: auditAnchorNotice({ seq: 120, hash: 'ab'.repeat(32), count: 120, keyId: 'audit-2026' }, texts).card },
    { name: 'security-audit-broken', card: auditAlertNotice({ key: 'k', kind: 'verifyFailed', seq: 7, reason: 'hash mismatch' }, texts).card },
    { name: 'security-delivery-failing', card: deliveryFailingNotice({ op: 'send', status: 403, attempts: 6 }, texts).card },
    {
      name: 'approval-strong-sign-in',
      card: approvalSignInCard(RECORD, { authenticationContext: 'c1' }, 'https://elevate.example/auth/start?s=3', texts),
    },
  ];
}
