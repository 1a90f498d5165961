import assert from 'node:assert/strict';
import { classifyHolders, holderTotals, type ExpectedHolders, type RoleHolderRecord } from '../../../src/domain/standing-access.js';

const PROD = { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod', type: 'Production' };
const DEV = { id: 'e0000000-0000-4000-8000-000000000002', displayName: 'Contoso Dev', type: 'Sandbox' };
const ROLE = '7e000000-0000-4000-8000-000000000001';

function person(n: number, extra: Partial<RoleHolderRecord> = {}): RoleHolderRecord {
  return {
    systemUserId: `5e000000-0000-4000-8000-00000000000${n}`,
    roleId: ROLE,
    fullName: `Person ${n}`,
    domainName: `person${n}@contoso.example`,
    aadObjectId: `a0000000-0000-4000-8000-00000000000${n}`,
    disabled: false,
    ...extra,
  };
}

const EXPECTED: ExpectedHolders[] = [
  { name: 'break-glass', accounts: ['person2@contoso.example'] },
  { name: 'prod-service', environmentTypes: ['Production'], accounts: ['a0000000-0000-4000-8000-000000000003'] },
];

describe('classifying System Administrator holders', () => {
  it('marks an active Elevate elevation of that user in that environment with its end', () => {
    const [holder] = classifyHolders(PROD, [person(1)], [{ aadObjectId: person(1).aadObjectId!, environmentId: PROD.id, until: '2026-12-06T10:00:00Z' }], []);
    assert.equal(holder?.kind, 'elevation');
    assert.equal(holder?.until, '2026-12-06T10:00:00Z');
  });

  it('does not count an elevation in another environment, nor one for a holder through a team', () => {
    const elevation = { aadObjectId: person(1).aadObjectId!, environmentId: DEV.id, until: '2026-12-06T10:00:00Z' };
    const team = { teamId: '7ea00000-0000-4000-8000-000000000001', name: 'Dev Admins', teamType: 2, groupId: 'de0ad000-0000-4000-8000-0000000de0ad' };
    const holders = classifyHolders(PROD, [person(1), person(1, { team })], [elevation], []);
    assert.deepEqual(
      holders.map((h) => h.kind),
      ['unexplained', 'unexplained'],
    );
    assert.equal(classifyHolders(DEV, [person(1, { team })], [elevation], [])[0]?.kind, 'unexplained');
  });

  it('marks accounts the policy expects by UPN everywhere, and by object id only where the entry applies', () => {
    const inProd = classifyHolders(PROD, [person(2), person(3)], [], EXPECTED);
    const inDev = classifyHolders(DEV, [person(2), person(3)], [], EXPECTED);
    assert.deepEqual(
      inProd.map((h) => [h.kind, h.expectedBy]),
      [
        ['expected', 'break-glass'],
        ['expected', 'prod-service'],
      ],
    );
    assert.deepEqual(
      inDev.map((h) => h.kind),
      ['expected', 'unexplained'],
    );
  });

  it('never calls an application user unexplained', () => {
    const app = person(4, { applicationId: '1a7e0000-0000-4000-8000-0000001a7e00' });
    delete app.aadObjectId;
    assert.equal(classifyHolders(PROD, [app], [], [])[0]?.kind, 'application');
  });

  it('counts each kind and the holders through teams', () => {
    const team = { teamId: '7ea00000-0000-4000-8000-000000000001', name: 'Dev Admins', teamType: 2 };
    const holders = classifyHolders(
      PROD,
      [person(2), person(5), person(6, { team }), person(7, { applicationId: '1a7e0000-0000-4000-8000-0000001a7e00' })],
      [],
      EXPECTED,
    );
    assert.deepEqual(holderTotals(holders), { elevation: 0, expected: 1, application: 1, unexplained: 2, throughTeams: 1 });
  });
});
