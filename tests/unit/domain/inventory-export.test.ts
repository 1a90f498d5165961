import assert from 'node:assert/strict';
import { INVENTORY_COLUMNS, holderRow, rbacRow, rbacUnreadRow, toCsv } from '../../../src/domain/inventory-export.js';

describe('inventory export rows', () => {
  it('puts System Administrator and Power Platform RBAC holders in the same columns, with role and scope type', () => {
    const sa = holderRow(
      { id: 'env-1', displayName: 'Contoso Dev' },
      { systemUserId: 's-1', roleId: 'r', fullName: 'Alex Wilber', aadObjectId: 'a-1', disabled: false, kind: 'unexplained' },
    );
    const rbac = rbacRow({
      assignmentId: 'as-1',
      principalId: 'a-2',
      principalType: 'User',
      roleId: 'r2',
      roleName: 'Power Platform contributor',
      scope: { kind: 'environment', id: 'env-1', displayName: 'Contoso Dev' },
      kind: 'grant',
      until: '2026-12-06T12:00:00Z',
      name: 'Adele Vance',
    });
    const off = rbacUnreadRow('rbacNotConfigured', undefined, 'ELEVATE_RBAC_CLIENT_ID is not set');
    const csv = toCsv([sa, rbac, off]).split('\r\n');
    assert.equal(csv[0], INVENTORY_COLUMNS.join(','));
    assert.match(csv[0] ?? '', /,role,scopeType,principalType,assignmentId,note$/);
    assert.match(csv[1] ?? '', /^env-1,Contoso Dev,unexplained,Alex Wilber,.*,System Administrator,environment,,,$/);
    assert.match(csv[2] ?? '', /^env-1,Contoso Dev,grant,Adele Vance,,a-2,.*2026-12-06T12:00:00Z.*,Power Platform contributor,environment,User,as-1,$/);
    assert.match(csv[3] ?? '', /^,,rbacNotConfigured,.*,Power Platform RBAC,,,,ELEVATE_RBAC_CLIENT_ID is not set$/);
  });
});
