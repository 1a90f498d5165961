import assert from 'node:assert/strict';
import type { ApprovalState, ApprovalVote } from '../../../../src/domain/approval.js';
import type { ElevationRecord } from '../../../../src/domain/elevation.js';
import { GLOBAL_ADMINISTRATOR } from '../../../../src/domain/roles.js';
import { approvalCardFor } from '../../../../src/teams/cards/approval-cards.js';
import { approvalSignInCard } from '../../../../src/teams/cards/approval-sign-in-card.js';
import { VERBS } from '../../../../src/teams/cards/verbs.js';
import { cardText, findAction, walkCard } from '../../../harness/cards.js';
import { assertWellFormed } from './fixtures.js';

const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
const MEGAN = 'b0000000-0000-4000-8000-00000000e6a0';
const NESTOR = 'b0000000-0000-4000-8000-00000000e570';
const SIGN_IN_URL = 'https://login.example/tenant/oauth2/v2.0/authorize?claims=%7B%7D&state=s';

const strong = (approverId: string, approverName: string, signedInAt: string): ApprovalVote => ({
  approverId,
  approverName,
  decision: 'approve',
  at: '2026-12-06T14:03:00.000Z',
  proof: { method: 'freshSignIn', authenticationContext: 'c1', signedInAt },
});

function record(votes: ApprovalVote[], status: ApprovalState['status'] = 'pending'): ElevationRecord {
  const at = '2026-12-06T14:00:00.000Z';
  return {
    id: 'elevation-7',
    state: 'awaitingApproval',
    requester: { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' },
    environment: { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' },
    options: [],
    roleId: GLOBAL_ADMINISTRATOR,
    roleName: 'Global Administrator',
    duration: 'PT1H',
    approval: {
      policySource: 'prod-global-admin',
      required: 2,
      approverGroupIds: [],
      approverUserIds: [MEGAN, NESTOR],
      votes,
      status,
      expiresAt: '2026-12-06T15:00:00.000Z',
      freshSignIn: { authenticationContext: 'c1' },
    },
    createdAt: at,
    updatedAt: at,
    history: [{ at, state: 'awaitingApproval' }],
  };
}

describe('approval cards of approvals that need a fresh strong sign-in', () => {
  it('shows how each approver proved the vote: the sign-in time and the authentication context', () => {
    const card = approvalCardFor(
      record([strong(MEGAN, 'Megan Bowen', '2026-12-06T14:02:41.000Z'), strong(NESTOR, 'Nestor Wilke', '2026-12-06T14:05:09.000Z')], 'approved'),
    );

    const text = cardText(card);
    // The time is the strong sign-in's, shown in each viewer's zone (DATE()/TIME(), issue #17).
    assert.match(
      text,
      /✔ Megan Bowen approved with strong sign-in \(c1\)\n\{\{DATE\(2026-12-06T14:02:\d\dZ, SHORT\)\}\} \{\{TIME\(2026-12-06T14:02:\d\dZ\)\}\}/,
    );
    assert.match(text, /✔ Nestor Wilke approved with strong sign-in \(c1\)\n\{\{DATE\(2026-12-06T14:05:\d\dZ, SHORT\)\}\}/);
    assertWellFormed(card);
  });

  it("tells the approver their own vote was made with a strong sign-in, and keeps the others' buttons", () => {
    const pending = record([strong(MEGAN, 'Megan Bowen', '2026-12-06T14:02:41.000Z')]);

    const mine = approvalCardFor(pending, { aadObjectId: MEGAN, isApprover: true });
    const nestors = approvalCardFor(pending, { aadObjectId: NESTOR, isApprover: true });

    assert.match(cardText(mine), /You approved this with a strong sign-in \(c1\)\./);
    assert.equal(findAction(mine, VERBS.approve), undefined);
    assert.ok(findAction(nestors, VERBS.approve));
    assert.match(cardText(nestors), /1 of 2 approvals/);
  });

  it('answers an Approve with a sign-in card: what is asked, that nothing is recorded, and the Sign in link', () => {
    const card = approvalSignInCard(record([]), { authenticationContext: 'c1' }, SIGN_IN_URL);

    const text = cardText(card);
    assert.match(text, /Strong sign-in needed to approve/);
    assert.match(text, /Adele Vance's request for Global Administrator in Contoso Prod/);
    assert.match(text, /authentication context c1/);
    assert.match(text, /Nothing is recorded yet/);
    const open = [...walkCard(card)].map(({ node }) => node).find((node) => node.type === 'Action.OpenUrl');
    assert.equal(open?.['title'], 'Sign in');
    assert.equal(open?.['url'], SIGN_IN_URL);
    assertWellFormed(card);
  });
});
