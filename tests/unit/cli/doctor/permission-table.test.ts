import assert from 'node:assert/strict';
import { PERMISSIONS } from '../../../../src/adapters/identity/permissions.js';
import { DOCTOR_CHECKS } from '../../../../src/cli/doctor/catalog.js';
import { renderPermissionTable, tableCells } from '../../../../src/cli/doctor/permission-table.js';

describe('doctor: the permission table', () => {
  const rows = tableCells(renderPermissionTable());

  it('has one row per permission on the list, each naming the check that verifies it', () => {
    assert.deepEqual(rows[0], ['API', 'Type', 'Permission', 'Granted by', 'Checked by', 'What Elevate does with it']);
    assert.equal(rows.length, PERMISSIONS.length + 1);
    const ids = DOCTOR_CHECKS.map((c) => `\`${c.id}\``);
    for (const row of rows.slice(1)) assert.ok(ids.includes(row[4]!), `${row[4]} is a doctor check`);
  });

  it('marks the privileged grants and says how each is granted', () => {
    const management = rows.find((r) => r[3] === '`pac admin application register`')!;
    const dataverse = rows.find((r) => r[0] === 'Dataverse (each environment)')!;
    assert.match(management[5]!, /\*\*Privileged:\*\* a registered management application is treated as a Power Platform administrator/);
    assert.deepEqual([dataverse[3], dataverse[4]], ['application user with System Administrator', '`dataverse.app-user`']);
    assert.deepEqual(
      rows.filter((r) => r[1] === 'delegated' && r[0] === 'Microsoft Graph').map((r) => r[4]),
      Array<string>(5).fill('`consent.delegated`'),
    );
  });

  it('escapes pipes and reads cells back whatever the padding', () => {
    const table = renderPermissionTable([{ resource: 'graph', kind: 'delegated', value: 'A|B', grantedBy: 'adminConsent', why: 'x | y' }]);
    assert.deepEqual(tableCells(table)[1], ['Microsoft Graph', 'delegated', '`A\\|B`', 'admin consent', '`consent.delegated`', 'x \\| y']);
    assert.deepEqual(tableCells('| a |  b |\n|---|---|\n|c|d|'), [
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
