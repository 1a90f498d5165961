import assert from 'node:assert/strict';
import { InvalidGrantTransitionError, sameGrant, transitionGrant, type RbacGrantRecord } from '../../../src/domain/rbac-grant.js';

const AT = new Date('2026-03-02T10:00:00Z');

function grant(extra: Partial<RbacGrantRecord> = {}): RbacGrantRecord {
  return {
    id: 'g1',
    state: 'awaitingApproval',
    requester: { aadObjectId: 'u1', name: 'Adele', tenantId: 't' },
    principal: { type: 'User', id: 'u1', name: 'Adele' },
    role: { id: 'r1', name: 'Power Platform contributor' },
    scope: { kind: 'tenant', displayName: 'Contoso' },
    duration: 'PT1H',
    justification: 'CHG-7 release',
    policySource: 'rule',
    createdAt: AT.toISOString(),
    updatedAt: AT.toISOString(),
    history: [{ at: AT.toISOString(), state: 'awaitingApproval' }],
    ...extra,
  };
}

describe('domain: RBAC grant state machine', () => {
  it('goes awaitingApproval → assigning → active → ended, keeping a history', () => {
    const approved = grant({
      approval: { policySource: 'r', required: 1, approverGroupIds: [], approverUserIds: [], votes: [], status: 'approved', expiresAt: AT.toISOString() },
    });
    const assigning = transitionGrant(approved, 'assigning', AT);
    const active = transitionGrant(assigning, 'active', AT, { assignmentId: 'a1', activeUntil: AT.toISOString() });
    const ended = transitionGrant(active, 'ended', AT, {}, 'expired');
    assert.deepEqual(
      ended.history.map((h) => h.state),
      ['awaitingApproval', 'assigning', 'active', 'ended'],
    );
    assert.equal(ended.assignmentId, 'a1');
  });

  it('refuses to assign a grant whose approval is still pending, and to leave an end state', () => {
    const pending = grant({
      approval: { policySource: 'r', required: 1, approverGroupIds: [], approverUserIds: [], votes: [], status: 'pending', expiresAt: AT.toISOString() },
    });
    assert.throws(() => transitionGrant(pending, 'assigning', AT), InvalidGrantTransitionError);
    assert.throws(() => transitionGrant(grant({ state: 'ended' }), 'active', AT), InvalidGrantTransitionError);
  });

  it('recognises the same principal, role and scope regardless of id case', () => {
    const a = grant();
    const b = grant({ principal: { type: 'User', id: 'U1', name: 'x' } });
    assert.equal(sameGrant(a, b), true);
    assert.equal(sameGrant(a, grant({ scope: { kind: 'environment', id: 'e', displayName: 'E' } })), false);
  });
});
