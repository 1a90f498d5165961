import assert from 'node:assert/strict';
import { decideRbacGrant, rbacPolicyProblems, type RbacPolicy, type RbacRequest } from '../../../src/domain/rbac-policy.js';
import { RBAC_ADMINISTRATOR, RBAC_CONTRIBUTOR, RBAC_OWNER, findRole, scopePath } from '../../../src/domain/rbac.js';

const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
const MEGAN = 'a0000000-0000-4000-8000-0000000e6a00';
const APPROVERS = 'a99a0e00-0000-4000-8000-000000000002';
const FINANCE = { kind: 'environmentGroup' as const, id: '6e000000-0000-4000-8000-0000000f1a00', displayName: 'Finance' };
const TENANT = { kind: 'tenant' as const, displayName: 'Contoso' };
const approval = { required: true, approverGroupIds: [APPROVERS], approverUserIds: [], approvalsRequired: 1, pendingTimeoutMinutes: 60 };

const policy: RbacPolicy = {
  rules: [
    { name: 'owners', match: { roleIds: [RBAC_OWNER, RBAC_ADMINISTRATOR] }, maximumDuration: 'PT1H', approval },
    { name: 'finance', match: { scopeNamePattern: 'Fin*' }, requesterUserIds: [ADELE], maximumDuration: 'PT4H', ticketRequired: true },
    { name: 'apps', match: { principalTypes: ['ApplicationUser'] }, maximumDuration: 'PT2H' },
  ],
};

function request(extra: Partial<RbacRequest> = {}): RbacRequest {
  return {
    roleId: RBAC_CONTRIBUTOR,
    scope: FINANCE,
    principal: { type: 'User', id: ADELE, name: 'Adele' },
    requesterId: ADELE,
    requesterGroupIds: [],
    requesterOwnsPrincipal: false,
    ...extra,
  };
}

describe('domain: RBAC grant policy', () => {
  it('allows a listed requester the first matching rule, with its maximum and ticket setting', () => {
    assert.deepEqual(decideRbacGrant(policy, request()), {
      allowed: true,
      source: 'finance',
      maximumMinutes: 240,
      ticketRequired: true,
      approval: { required: false, approverGroupIds: [], approverUserIds: [], approvalsRequired: 0, pendingTimeoutMinutes: 0 },
    });
  });

  it('refuses what no rule allows, and a requester the rule does not name', () => {
    assert.deepEqual(decideRbacGrant(undefined, request()), { allowed: false, reason: 'noRule' });
    const megan = request({ requesterId: MEGAN, principal: { type: 'User', id: MEGAN, name: 'Megan' } });
    assert.deepEqual(decideRbacGrant(policy, megan), { allowed: false, reason: 'notAllowedForRequester', source: 'finance' });
  });

  it('always asks someone else to approve Owner and RBAC Administrator, even when the rule says no approval', () => {
    const lax: RbacPolicy = { rules: [{ name: 'lax', match: {}, maximumDuration: 'PT1H', approval: { ...approval, required: false } }] };
    const decision = decideRbacGrant(lax, request({ roleId: RBAC_ADMINISTRATOR }));
    assert.equal(decision.allowed && decision.approval.required, true);
    const none: RbacPolicy = { rules: [{ name: 'none', match: {}, maximumDuration: 'PT1H' }] };
    assert.deepEqual(decideRbacGrant(none, request({ roleId: RBAC_OWNER })), { allowed: false, reason: 'noOtherApprover', source: 'none' });
  });

  it('refuses Owner at the tenant scope unless forbidTenantOwner is false', () => {
    assert.deepEqual(decideRbacGrant(policy, request({ roleId: RBAC_OWNER, scope: TENANT })), { allowed: false, reason: 'tenantOwnerForbidden' });
    assert.equal(decideRbacGrant({ ...policy, forbidTenantOwner: false }, request({ roleId: RBAC_OWNER, scope: TENANT })).allowed, true);
  });

  it('lets only owners of a service principal (or people the rule names) grant it a role', () => {
    const app = { type: 'ApplicationUser' as const, id: 'de910e00-5e00-4000-8000-00000000de91', appId: 'x', name: 'Pipeline' };
    const scope = { kind: 'environment' as const, id: 'e1', displayName: 'Contoso Dev' };
    assert.equal(decideRbacGrant(policy, request({ principal: app, scope, requesterOwnsPrincipal: true })).allowed, true);
    assert.deepEqual(decideRbacGrant(policy, request({ principal: app, scope })), { allowed: false, reason: 'notAllowedForRequester', source: 'apps' });
  });

  it('never lets "grant me" name somebody else', () => {
    const other = request({ principal: { type: 'User', id: MEGAN, name: 'Megan' } });
    assert.equal(decideRbacGrant(policy, other).allowed, false);
  });

  it('reports rules for Owner without approvers and bad durations', () => {
    const problems = rbacPolicyProblems({ rules: [{ name: 'x', match: { roleIds: [RBAC_OWNER] }, maximumDuration: 'PT48H' }] });
    assert.deepEqual(
      problems.map((p) => p.field),
      ['maximumDuration', 'approval'],
    );
  });

  it('finds roles by id, full name, short name or alias, and builds the scope path', () => {
    const defs = [
      { id: RBAC_CONTRIBUTOR, name: 'Power Platform contributor', permissions: [] },
      { id: RBAC_ADMINISTRATOR, name: 'Power Platform role-based access control administrator', permissions: [] },
    ];
    assert.equal(findRole(defs, 'Contributor')?.id, RBAC_CONTRIBUTOR);
    assert.equal(findRole(defs, 'power platform  CONTRIBUTOR')?.id, RBAC_CONTRIBUTOR);
    assert.equal(findRole(defs, 'RBAC administrator')?.id, RBAC_ADMINISTRATOR);
    assert.equal(findRole(defs, 'writer'), undefined);
    assert.equal(scopePath('t', FINANCE), `/tenants/t/environmentGroups/${FINANCE.id}`);
  });
});
