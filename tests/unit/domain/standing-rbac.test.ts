import assert from 'node:assert/strict';
import { RBAC_ADMINISTRATOR, RBAC_CONTRIBUTOR, RBAC_OWNER, RBAC_READER } from '../../../src/domain/rbac.js';
import { classifyRbacHolders, rbacTotals, type RbacHolderRecord } from '../../../src/domain/standing-rbac.js';

const PROD = { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod' };
const TENANT = { kind: 'tenant' as const, displayName: 'Tenant' };
const AT_PROD = { kind: 'environment' as const, id: PROD.id, displayName: PROD.displayName };

function holder(n: number, roleId: string, scope: RbacHolderRecord['scope'], extra: Partial<RbacHolderRecord> = {}): RbacHolderRecord {
  return {
    assignmentId: `as-${n}`,
    principalId: `a0000000-0000-4000-8000-00000000000${n}`,
    principalType: 'User',
    roleId,
    roleName: `role ${roleId.slice(0, 4)}`,
    scope,
    ...extra,
  };
}

const classify = (records: RbacHolderRecord[], context: Partial<Parameters<typeof classifyRbacHolders>[1]> = {}) =>
  classifyRbacHolders(records, {
    grants: [],
    expected: [],
    ownPrincipalIds: [],
    environmentOf: (id) => (id === PROD.id ? PROD : undefined),
    ...context,
  });

describe('standing access: Power Platform RBAC role holders', () => {
  it('marks the assignment of an active Elevate grant with its end, found by assignment id', () => {
    const [held] = classify([holder(1, RBAC_CONTRIBUTOR, AT_PROD)], {
      grants: [{ assignmentId: 'AS-1', principalId: 'x', roleId: RBAC_CONTRIBUTOR, scope: AT_PROD, until: '2026-12-06T12:00:00Z' }],
    });
    assert.deepEqual([held?.kind, held?.until], ['grant', '2026-12-06T12:00:00Z']);
  });

  it('matches a grant without an assignment id by principal, role and scope only', () => {
    const grant = { principalId: 'A0000000-0000-4000-8000-000000000001', roleId: RBAC_READER, scope: { kind: 'tenant' as const }, until: 'later' };
    const kinds = classify([holder(1, RBAC_READER, TENANT), holder(1, RBAC_READER, AT_PROD), holder(1, RBAC_OWNER, TENANT)], { grants: [grant] }).map(
      (h) => h.kind,
    );
    assert.deepEqual(kinds, ['grant', 'unexplained', 'unexplained']);
  });

  it("marks Elevate's own RBAC identity as expected by Elevate", () => {
    const [own] = classify([holder(2, RBAC_ADMINISTRATOR, TENANT, { principalType: 'ApplicationUser' })], {
      ownPrincipalIds: ['A0000000-0000-4000-8000-000000000002'],
    });
    assert.deepEqual([own?.kind, own?.expectedBy], ['expected', 'Elevate']);
  });

  it('applies a policy entry naming environments only to assignments at those environments, one naming none everywhere', () => {
    const expected = [
      { name: 'prod-owner', environmentIds: [PROD.id], accounts: ['a0000000-0000-4000-8000-000000000003'] },
      { name: 'auditor', accounts: ['a0000000-0000-4000-8000-000000000004'] },
    ];
    const holders = classify(
      [
        holder(3, RBAC_OWNER, AT_PROD),
        holder(3, RBAC_OWNER, TENANT),
        holder(4, RBAC_READER, TENANT),
        holder(4, RBAC_READER, AT_PROD),
        holder(5, RBAC_OWNER, AT_PROD),
      ],
      { expected },
    );
    assert.deepEqual(
      holders.map((h) => [h.kind, h.expectedBy ?? '']),
      [
        ['expected', 'prod-owner'],
        ['unexplained', ''],
        ['expected', 'auditor'],
        ['expected', 'auditor'],
        ['unexplained', ''],
      ],
    );
    assert.deepEqual(rbacTotals(holders), { grant: 0, expected: 3, unexplained: 2 });
  });

  it('applies only entries naming no environment at an environment Elevate does not know', () => {
    const unknown = { kind: 'environment' as const, id: 'elsewhere', displayName: 'elsewhere' };
    const account = ['a0000000-0000-4000-8000-000000000004'];
    const [named] = classify([holder(4, RBAC_READER, unknown)], { expected: [{ name: 'contoso', environmentNamePattern: 'Contoso*', accounts: account }] });
    const [everywhere] = classify([holder(4, RBAC_READER, unknown)], { expected: [{ name: 'auditor', accounts: account }] });
    assert.deepEqual([named?.kind, everywhere?.kind], ['unexplained', 'expected']);
  });
});
