import type { ElevationRecord } from '../../src/domain/elevation.js';
import { APPROVAL_DENIED, PIM_APPROVAL_APPROVED, PIM_APPROVAL_PENDING } from '../../src/domain/failures.js';
import { DYNAMICS_365_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, POWER_PLATFORM_ADMINISTRATOR } from '../../src/domain/roles.js';
import { approvalCardFor, type ApprovalViewer } from '../../src/teams/cards/approval-cards.js';
import {
  channelCard,
  continueCard,
  elevationCard,
  endedCard,
  helpCard,
  messageCard,
  reminderCard,
  signInNeededCard,
  tooSoonCard,
} from '../../src/teams/cards/elevation-cards.js';
import type { AdaptiveCard } from '../../src/teams/cards/render.js';
import { renderGrantRequestCard } from '../../src/teams/cards/grant-request-card.js';
import { grantCardSamples } from './grant-card-samples.js';
import { noticeCardSamples } from './notice-card-samples.js';
import { RBAC_CONTRIBUTOR, RBAC_READER } from '../../src/domain/rbac.js';
import { statusCard } from '../../src/teams/cards/status-card.js';
import { VERBS } from '../../src/teams/cards/verbs.js';
import { ENGLISH, type Texts } from '../../src/teams/locale/texts.js';
import { inventoryCard } from '../../src/teams/cards/inventory-card.js';
import { sweepCard, sweepPreviewCard } from '../../src/teams/cards/sweep-card.js';
import type { SweepRecord } from '../../src/use-cases/sweep-record.js';
import { renderBreakGlassCard } from '../../src/teams/cards/break-glass-card.js';

/**
 * Every card Elevate sends, in every state, from fixed data: the accessibility, time and text tests
 * walk them all, and `npm run cards` (scripts/cards.ts) writes them as JSON and PNG for review.
 */
export interface CardSample {
  /** kebab-case, unique: the gallery's file name. */
  name: string;
  card: AdaptiveCard;
}

export const SAMPLE_NOW = new Date('2026-03-02T13:00:00.000Z');
const at = (minutes: number): string => new Date(SAMPLE_NOW.getTime() + minutes * 60_000).toISOString();

const PROD = { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod', type: 'Production', url: 'https://contosoprod.crm.dynamics.com' };
const DEV = { id: 'e0000000-0000-4000-8000-000000000002', displayName: 'Contoso Dev', type: 'Sandbox' };
const OPTIONS = [
  {
    roleId: POWER_PLATFORM_ADMINISTRATOR,
    roleName: 'Power Platform Administrator',
    maximumDuration: 'PT8H',
    justificationRequired: true,
    ticketRequired: false,
    mfaRequired: false,
  },
  {
    roleId: DYNAMICS_365_ADMINISTRATOR,
    roleName: 'Dynamics 365 Administrator',
    maximumDuration: 'PT4H',
    justificationRequired: false,
    ticketRequired: true,
    mfaRequired: false,
    activeUntil: at(45),
  },
  {
    roleId: GLOBAL_ADMINISTRATOR,
    roleName: 'Global Administrator',
    maximumDuration: 'PT2H',
    justificationRequired: true,
    ticketRequired: true,
    mfaRequired: true,
  },
];
const ADELE = { aadObjectId: '00000000-0000-4000-8000-00000000ad01', name: 'Adele Vance', tenantId: 't' };

function record(changes: Partial<ElevationRecord>): ElevationRecord {
  return {
    id: 'req-0001',
    state: 'draft',
    requester: ADELE,
    environment: PROD,
    options: OPTIONS,
    createdAt: at(-10),
    updatedAt: at(-1),
    history: [],
    ...changes,
  };
}

const CHOSEN: Partial<ElevationRecord> = {
  roleId: POWER_PLATFORM_ADMINISTRATOR,
  roleName: 'Power Platform Administrator',
  duration: 'PT2H',
  justification: 'INC0012345 fix a broken flow',
  ticketNumber: 'INC0012345',
};
const APPROVAL = {
  policySource: 'production',
  required: 2,
  approverGroupIds: [],
  approverUserIds: ['approver-1', 'approver-2'],
  votes: [{ approverId: 'approver-1', approverName: 'Megan Bowen', decision: 'approve' as const, at: at(-5) }],
  status: 'pending' as const,
  expiresAt: at(60),
};

/** The requester's card in every state of an elevation. */
function requesterCards(texts: Texts): CardSample[] {
  const options = { activationWindowMinutes: 60, texts };
  const states: [string, ElevationRecord, Partial<Parameters<typeof elevationCard>[1]>?][] = [
    ['request', record({ applicationUserMissing: false })],
    ['request-refused', record({ ...CHOSEN, applicationUserMissing: true }), { error: 'Give a justification: say what you will change and why.' }],
    ['request-dev', record({ environment: DEV, options: OPTIONS.slice(0, 2) })],
    ['awaiting-approval', record({ ...CHOSEN, state: 'awaitingApproval', approval: APPROVAL })],
    [
      'approved',
      record({
        ...CHOSEN,
        state: 'awaitingApproval',
        approval: {
          ...APPROVAL,
          status: 'approved',
          decidedAt: at(-1),
          votes: [...APPROVAL.votes, { approverId: 'approver-2', approverName: 'Alex Wilber', decision: 'approve', at: at(-1) }],
        },
      }),
    ],
    ['activating', record({ ...CHOSEN, state: 'activating' })],
    ['elevating', record({ ...CHOSEN, state: 'elevating' }), { progress: { detail: 'Asking Power Platform to make you System Administrator.' } }],
    [
      'waiting-for-power-platform',
      record({ ...CHOSEN, state: 'elevating', activeUntil: at(120), propagation: { since: at(-3), attempts: 2, nextTryAt: at(1), deadline: at(117) } }),
      { progress: { detail: 'Power Platform does not see your PIM role yet (attempt 2).' } },
    ],
    ['active', record({ ...CHOSEN, state: 'active', activeUntil: at(120), pimRequestId: 'pim-0001' })],
    ['active-standing-access', record({ ...CHOSEN, state: 'active', activeUntil: at(120), heldSystemAdminBefore: true })],
    ['active-no-end', record({ ...CHOSEN, state: 'active' })],
    [
      'failed',
      record({
        ...CHOSEN,
        state: 'failed',
        failure: {
          code: 'RoleAssignmentRequestPolicyValidationFailed',
          message: 'PIM refused the activation.',
          hint: 'Choose a shorter duration.',
          correlationId: 'c-1',
        },
      }),
    ],
    [
      'failed-sign-in',
      record({ ...CHOSEN, state: 'failed', failure: { code: 'MfaRequired', message: 'This role needs MFA.' }, stepUp: { reason: 'mfa' } }),
      { signInUrl: 'https://elevate.example/auth/start?s=1' },
    ],
    ['denied', record({ ...CHOSEN, state: 'failed', failure: { code: APPROVAL_DENIED, message: 'Megan Bowen denied your request: use the sandbox first.' } })],
    [
      'pim-pending',
      record({
        ...CHOSEN,
        state: 'failed',
        pimApprovalId: 'pa-1',
        failure: { code: PIM_APPROVAL_PENDING, message: 'PIM sent your request to the role approvers.' },
      }),
    ],
    [
      'pim-approved',
      record({
        ...CHOSEN,
        state: 'failed',
        pimApprovalId: 'pa-1',
        pimDecision: { approverId: 'a', name: 'Megan Bowen', decision: 'approve', at: at(-2) },
        failure: { code: PIM_APPROVAL_APPROVED, message: '' },
      }),
    ],
    ['cancelled', record({ ...CHOSEN, state: 'cancelled' })],
    [
      'ended',
      record({
        ...CHOSEN,
        state: 'ended',
        ending: { reason: 'expired', at: at(0), systemAdminRemoved: true, removedBy: 'elevate', note: 'Elevate removed System Administrator.' },
      }),
    ],
  ];
  return states.map(([name, r, extra]) => ({ name: `requester-${name}`, card: elevationCard(r, { ...options, ...(extra ?? {}) }) }));
}

function approvalCards(texts: Texts): CardSample[] {
  const card = (r: ElevationRecord, viewer?: ApprovalViewer, kind: 'elevate' | 'pim' = 'elevate') => approvalCardFor(r, viewer, undefined, kind, texts);
  const pending = record({ ...CHOSEN, state: 'awaitingApproval', approval: APPROVAL });
  const denied = record({
    ...CHOSEN,
    state: 'failed',
    failure: { code: APPROVAL_DENIED, message: 'Denied.' },
    approval: {
      ...APPROVAL,
      status: 'denied',
      votes: [...APPROVAL.votes, { approverId: 'approver-2', approverName: 'Alex Wilber', decision: 'deny', reason: 'Use the sandbox first', at: at(-1) }],
    },
  });
  const pim = record({ ...CHOSEN, state: 'failed', pimApprovalId: 'pa-1', failure: { code: PIM_APPROVAL_PENDING, message: 'Pending.' } });
  return [
    { name: 'approval-pending', card: card(pending) },
    { name: 'approval-pending-requester-view', card: card(pending, { aadObjectId: ADELE.aadObjectId, isApprover: false }) },
    { name: 'approval-voted-view', card: card(pending, { aadObjectId: 'approver-1', isApprover: true }) },
    { name: 'approval-denied', card: card(denied) },
    { name: 'approval-pim-pending', card: card(pim, undefined, 'pim') },
  ];
}

function channelCards(texts: Texts): CardSample[] {
  const channel = (r: ElevationRecord): AdaptiveCard => channelCard(r, texts);
  const base = record({ ...CHOSEN });
  return [
    { name: 'channel-requested', card: channel({ ...base, state: 'activating' }) },
    { name: 'channel-elevated', card: channel({ ...base, state: 'active', activeUntil: at(120), pimRequestId: 'pim-0001' }) },
    { name: 'channel-elevated-cannot-undo', card: channel({ ...base, state: 'active', activeUntil: at(120), applicationUserMissing: true }) },
    {
      name: 'channel-failed',
      card: channel({ ...base, state: 'failed', failure: { code: 'X', message: 'PIM refused the activation.', hint: 'Shorter duration.' } }),
    },
    { name: 'channel-cancelled', card: channel({ ...base, state: 'cancelled' }) },
    {
      name: 'channel-deactivated',
      card: channel({
        ...base,
        state: 'ended',
        ending: { reason: 'deactivated', at: at(0), systemAdminRemoved: true, note: 'Deactivated by the requester.' },
      }),
    },
    {
      name: 'channel-expired',
      card: channel({ ...base, state: 'ended', ending: { reason: 'expired', at: at(0), systemAdminRemoved: false, note: 'Standing access kept.' } }),
    },
    ...breakGlassCards(texts),
  ];
}

/** The security channel's break-glass review (issue #16): open with the tag mention, posted again, refused tap, acknowledged. */
function breakGlassCards(texts: Texts): CardSample[] {
  const used = record({ ...CHOSEN, state: 'active', breakGlass: true, activeUntil: at(60), duration: 'PT1H', justification: 'INC0099999 payments down' });
  const review = { elevationId: used.id, requesterId: used.requester.aadObjectId, openedAt: at(0) };
  const mentionTag = { id: 'dGFnLXNlY3VyaXR5', name: 'Security team' };
  const acknowledged = { ...review, acknowledged: { aadObjectId: 'a0000000-0000-4000-8000-00000000e570', name: 'Nestor Wilke', at: at(5) } };
  return [
    { name: 'break-glass-review', card: renderBreakGlassCard({ record: used, review, mentionTag, round: 0 }, texts) },
    { name: 'break-glass-review-reposted-no-tag', card: renderBreakGlassCard({ record: used, review, round: 2 }, texts) },
    { name: 'break-glass-review-own-use', card: renderBreakGlassCard({ record: used, review, mentionTag, round: 0, note: texts.c.breakGlass.ownUse }, texts) },
    { name: 'break-glass-review-acknowledged', card: renderBreakGlassCard({ record: used, review: acknowledged, mentionTag, round: 1 }, texts) },
  ];
}

function messageCards(texts: Texts): CardSample[] {
  const active = record({ ...CHOSEN, state: 'active', activeUntil: at(120) });
  const draft = record({ id: 'req-0002', environment: DEV, createdAt: at(-30) });
  return [
    { name: 'help', card: helpCard(texts) },
    { name: 'status', card: statusCard([active, draft], SAMPLE_NOW, ['Power Platform Administrator', 'Global Administrator'], { [active.id]: at(4) }, texts) },
    { name: 'status-empty', card: statusCard([], SAMPLE_NOW, [], {}, texts) },
    { name: 'reminder', card: reminderCard(active, 15, texts) },
    {
      name: 'ended',
      card: endedCard(
        {
          ...active,
          state: 'ended',
          ending: { reason: 'deactivated', at: at(0), systemAdminRemoved: true, note: 'Elevate removed System Administrator.' },
        },
        texts,
      ),
    },
    { name: 'too-early-to-deactivate', card: tooSoonCard(active, new Date(at(4)), texts) },
    { name: 'sign-in-needed', card: signInNeededCard('mfa', 'https://elevate.example/auth/start?s=2', texts) },
    { name: 'continue', card: continueCard(active, texts) },
    {
      name: 'did-you-mean',
      card: messageCard({
        title: 'I could not find "Contso Prod"',
        text: 'Did you mean one of these?',
        buttons: [{ title: 'Contoso Prod', verb: VERBS.start, data: { environmentId: PROD.id } }],
      }),
    },
    { name: 'refusal', card: messageCard({ title: 'Refused', text: 'Only the person who was elevated can deactivate.', tone: 'attention' }) },
  ];
}

/** Standing access (issue #15): the inventory, a sweep's preview, progress and summary. */
function standingCards(texts: Texts): CardSample[] {
  const UAT = { id: 'e0000000-0000-4000-8000-000000000003', displayName: 'Contoso UAT', type: 'Sandbox', url: 'https://contosouat.crm.dynamics.com' };
  const holder = { roleId: '7e000000-0000-4000-8000-000000000001', disabled: false };
  const inventory = inventoryCard(
    {
      kind: 'done',
      at: at(0),
      environments: [
        {
          environment: PROD,
          status: 'read',
          holders: [
            { ...holder, systemUserId: '5e000000-0000-4000-8000-000000000001', fullName: 'Adele Vance', kind: 'elevation', until: at(60) },
            {
              ...holder,
              systemUserId: '5e000000-0000-4000-8000-000000000002',
              fullName: 'Lee Gu',
              kind: 'unexplained',
              team: { teamId: '7ea00000-0000-4000-8000-000000000001', name: 'Dev Admins', teamType: 2 },
            },
          ],
        },
        { environment: UAT, status: 'noApplicationUser', message: 'not a member' },
      ],
      rbac: {
        status: 'read',
        holders: [
          {
            assignmentId: '5a000000-0000-4000-8000-000000000010',
            principalId: 'a0000000-0000-4000-8000-00000000011e',
            principalType: 'User',
            roleId: '0cb07c69-1631-4725-ab35-e59e001c51ea',
            roleName: 'Power Platform owner',
            scope: { kind: 'tenant', displayName: 'Tenant' },
            name: 'Lee Gu',
            kind: 'unexplained',
          },
          {
            assignmentId: '5a000000-0000-4000-8000-000000000020',
            principalId: 'a0000000-0000-4000-8000-000000000ade',
            principalType: 'User',
            roleId: 'ff954d61-a89a-4fbe-ace9-01c367b89f87',
            roleName: 'Power Platform contributor',
            scope: { kind: 'environment', id: PROD.id, displayName: PROD.displayName },
            name: 'Adele Vance',
            kind: 'grant',
            until: at(120),
          },
        ],
        unread: [],
      },
    },
    {
      csv: 'https://elevate.example/exports/standing-access/AAAAAAAAAAAAAAAAAAAAAA.csv',
      json: 'https://elevate.example/exports/standing-access/AAAAAAAAAAAAAAAAAAAAAA.json',
      until: at(15),
    },
    texts,
  );
  const item = { environmentId: UAT.id, environmentName: UAT.displayName, environmentUrl: UAT.url, roleId: holder.roleId };
  const sweep: SweepRecord = {
    id: 'sweep-1',
    scope: 'all',
    requestedBy: { aadObjectId: 'a0000000-0000-4000-8000-00000000e570', name: 'Nestor Wilke' },
    createdAt: at(0),
    expiresAt: at(60),
    state: 'preview',
    items: [
      { ...item, systemUserId: '5e000000-0000-4000-8000-000000000003', name: 'Diego Siciliani', status: 'pending' },
      { ...item, systemUserId: '5e000000-0000-4000-8000-000000000004', name: 'Alex Wilber', status: 'pending' },
    ],
    kept: [
      { environmentName: UAT.displayName, name: 'Break Glass', reason: 'expected' },
      { environmentName: PROD.displayName, name: 'Lee Gu', reason: 'team', team: 'Dev Admins' },
    ],
  };
  const confirmedBy = { aadObjectId: 'a0000000-0000-4000-8000-0000000e6a00', name: 'Megan Bowen' };
  const [first, second] = sweep.items as [SweepRecord['items'][number], SweepRecord['items'][number]];
  return [
    { name: 'standing-inventory', card: inventory },
    { name: 'sweep-preview', card: sweepPreviewCard(sweep, texts) },
    { name: 'sweep-running', card: sweepCard({ ...sweep, state: 'running', confirmedBy, items: [{ ...first, status: 'removed' }, second] }, texts) },
    {
      name: 'sweep-done',
      card: sweepCard(
        {
          ...sweep,
          state: 'done',
          confirmedBy,
          items: [
            { ...first, status: 'removed' },
            { ...second, status: 'kept', note: 'lastAdministrator' },
          ],
        },
        texts,
      ),
    },
  ];
}

/** Every card in every state, for one reader (language, locale and zone). */
/** The grant request card (issue #14): for oneself, and for an app after a refused submission. */
function grantRequestCards(texts: Texts): CardSample[] {
  const roles = [
    { id: RBAC_CONTRIBUTOR, name: 'Power Platform contributor' },
    { id: RBAC_READER, name: 'Power Platform reader' },
  ];
  const scopes = [
    { key: 'tenant', scope: { kind: 'tenant' as const, displayName: 'the tenant' } },
    {
      key: 'environmentGroup:6e000000-0000-4000-8000-0000000f1a00',
      scope: { kind: 'environmentGroup' as const, id: '6e000000-0000-4000-8000-0000000f1a00', displayName: 'Finance' },
    },
    { key: `environment:${PROD.id}`, scope: { kind: 'environment' as const, id: PROD.id, displayName: PROD.displayName } },
  ];
  const base = { draftId: 'draft-0001', requester: ADELE, roles, scopes, maximumMinutes: 480, minJustificationLength: 10 };
  return [
    {
      name: 'grant-request',
      card: renderGrantRequestCard({ ...base, principal: { type: 'User', id: ADELE.aadObjectId, name: ADELE.name }, ticket: 'none' }, texts),
    },
    {
      name: 'grant-request-app-refused',
      card: renderGrantRequestCard(
        {
          ...base,
          principal: {
            type: 'ApplicationUser',
            id: 'de910e00-5e00-4000-8000-00000000de91',
            appId: 'de910e00-0000-4000-8000-00000000de91',
            name: 'Contoso Deploy Pipeline',
          },
          ticket: 'all',
          roleId: RBAC_CONTRIBUTOR,
          scopeKey: 'tenant',
          duration: 'PT10H',
          justification: 'release 42',
          error: 'That is longer than the policy allows for this grant: at most 8 h.',
        },
        texts,
      ),
    },
  ];
}

export function cardSamples(texts: Texts = ENGLISH): CardSample[] {
  return [
    ...requesterCards(texts),
    ...approvalCards(texts),
    ...channelCards(texts),
    ...messageCards(texts),
    ...grantRequestCards(texts),
    ...grantCardSamples(texts),
    ...standingCards(texts),
    ...noticeCardSamples(texts),
  ];
}
