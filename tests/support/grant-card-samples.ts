import type { ApprovalState } from '../../src/domain/approval.js';
import { RBAC_OWNER, RBAC_READER } from '../../src/domain/rbac.js';
import type { RbacGrantRecord } from '../../src/domain/rbac-grant.js';
import { grantApprovalCard } from '../../src/teams/cards/grant-approval-card.js';
import { grantCard, grantChannelCard, grantReminderCard, grantStatusCard } from '../../src/teams/cards/grant-cards.js';
import type { AdaptiveCard } from '../../src/teams/cards/render.js';
import type { Texts } from '../../src/teams/locale/texts.js';

/** A card and the name it is known by in the gallery and the every-card checks. */
interface GrantCardSample {
  name: string;
  card: AdaptiveCard;
}

const NOW = Date.parse('2026-03-02T13:00:00.000Z');
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();
export const GRANT_REQUESTER = { aadObjectId: '00000000-0000-4000-8000-00000000ad01', name: 'Adele Vance', tenantId: 't' };
export const GRANT_APPROVERS = { megan: 'a0000000-0000-4000-8000-0000000e6a00', alex: 'a0000000-0000-4000-8000-00000000a1e5' };

/** A grant of Power Platform reader on environment group Finance, in `state`. */
export function sampleGrant(extra: Partial<RbacGrantRecord> = {}): RbacGrantRecord {
  return {
    id: 'g-0001',
    state: 'active',
    requester: GRANT_REQUESTER,
    principal: { type: 'User', id: GRANT_REQUESTER.aadObjectId, name: GRANT_REQUESTER.name },
    role: { id: RBAC_READER, name: 'Power Platform reader' },
    scope: { kind: 'environmentGroup', id: '6e000000-0000-4000-8000-0000000f1a00', displayName: 'Finance' },
    duration: 'PT4H',
    justification: 'CHG-7 read the release configuration',
    ticketNumber: 'CHG-7',
    policySource: 'people',
    assignmentId: 'ra-0001',
    activeUntil: at(240),
    createdAt: at(-5),
    updatedAt: at(-1),
    history: [{ at: at(-5), state: 'assigning' }],
    card: { conversationId: 'a:1adele-chat', activityId: '1' },
    ...extra,
  };
}

export function sampleApproval(status: ApprovalState['status'], votes: ApprovalState['votes'] = []): ApprovalState {
  return {
    policySource: 'owner-needs-approval',
    required: 1,
    approverGroupIds: [],
    approverUserIds: [GRANT_APPROVERS.megan, GRANT_APPROVERS.alex],
    votes,
    status,
    expiresAt: at(60),
  };
}

/** An Owner grant for an app, waiting for (or decided by) approvers. */
export function sampleOwnerGrant(approval: ApprovalState, extra: Partial<RbacGrantRecord> = {}): RbacGrantRecord {
  return sampleGrant({
    state: 'awaitingApproval',
    role: { id: RBAC_OWNER, name: 'Power Platform owner' },
    scope: { kind: 'environment', id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod' },
    principal: { type: 'ApplicationUser', id: 'de910e00-5e00-4000-8000-00000000de91', name: 'Contoso Deploy Pipeline' },
    approval,
    assignmentId: undefined,
    activeUntil: undefined,
    ...extra,
  } as Partial<RbacGrantRecord>);
}

/** Every card of a Power Platform RBAC grant (issue #14) for one reader. */
export function grantCardSamples(texts: Texts): GrantCardSample[] {
  const approve = { approverId: GRANT_APPROVERS.megan, approverName: 'Megan Bowen', decision: 'approve' as const, at: at(-2) };
  const deny = { approverId: GRANT_APPROVERS.alex, approverName: 'Alex Wilber', decision: 'deny' as const, reason: 'not during the freeze', at: at(-2) };
  const pending = sampleOwnerGrant(sampleApproval('pending'));
  const denied = sampleOwnerGrant(sampleApproval('denied', [deny]), {
    state: 'failed',
    failure: { code: 'Denied', message: 'Alex Wilber denied the request' },
  });
  const ended = sampleGrant({ state: 'ended', ending: { reason: 'expired', at: at(240), removed: true, note: 'Elevate removed the role assignment.' } });
  return [
    { name: 'grant-waiting', card: grantCard(pending, texts) },
    { name: 'grant-granted', card: grantCard(sampleGrant(), texts) },
    { name: 'grant-pre-existing', card: grantCard(sampleGrant({ preExisting: true }), texts) },
    { name: 'grant-ended', card: grantCard(ended, texts) },
    { name: 'grant-denied', card: grantCard(denied, texts) },
    {
      name: 'grant-failed',
      card: grantCard(
        sampleGrant({
          state: 'failed',
          failure: { code: 'InvalidScope', message: 'Power Platform says this is not a valid scope (400 InvalidScope).', correlationId: 'corr-1' },
        }),
        texts,
      ),
    },
    { name: 'grant-cancelled', card: grantCard(sampleOwnerGrant(sampleApproval('pending'), { state: 'cancelled' }), texts) },
    { name: 'grant-reminder', card: grantReminderCard(sampleGrant(), 15, texts) },
    { name: 'grant-status', card: grantStatusCard([sampleGrant(), pending, ended], texts) },
    { name: 'grant-channel-approved', card: grantChannelCard(sampleOwnerGrant(sampleApproval('approved', [approve]), { state: 'assigning' }), texts) },
    { name: 'grant-channel-ended', card: grantChannelCard(ended, texts) },
    { name: 'grant-approval-pending', card: grantApprovalCard(pending, undefined, texts) },
    { name: 'grant-approval-requester-view', card: grantApprovalCard(pending, { aadObjectId: GRANT_REQUESTER.aadObjectId, isApprover: false }, texts) },
    {
      name: 'grant-approval-approved',
      card: grantApprovalCard(sampleOwnerGrant(sampleApproval('approved', [approve]), { state: 'assigning' }), undefined, texts),
    },
    { name: 'grant-approval-denied', card: grantApprovalCard(denied, undefined, texts) },
    { name: 'grant-approval-cancelled', card: grantApprovalCard(sampleOwnerGrant(sampleApproval('pending'), { state: 'cancelled' }), undefined, texts) },
  ];
}
