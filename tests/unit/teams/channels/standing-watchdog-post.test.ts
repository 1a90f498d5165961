import assert from 'node:assert/strict';
import { watchdogLines } from '../../../../src/teams/channels/standing-watchdog-post.js';
import { Texts } from '../../../../src/teams/locale/texts.js';

const holder = {
  assignmentId: 'as-1',
  principalId: 'p-1',
  principalType: 'ApplicationUser',
  roleId: 'r',
  roleName: 'Power Platform contributor',
  scope: { kind: 'environmentGroup' as const, id: 'g', displayName: 'Finance' },
  kind: 'unexplained' as const,
};

describe('standing access watchdog post', () => {
  it('names a new unexplained RBAC role holder with its role and scope, in the channel’s language', () => {
    const changes = {
      newUnexplained: [],
      outlived: [{ environment: 'Contoso Prod', name: 'Adele Vance', elevationId: 'e' }],
      unreadable: [],
      newUnexplainedRbac: [holder],
    };
    assert.deepEqual(watchdogLines(changes, new Texts({ locale: 'en-GB', timeZone: 'Europe/London' })), [
      'System Administrator outlived the elevation: Adele Vance in Contoso Prod',
      'New unexplained Power Platform RBAC role holder: ApplicationUser p-1 as Power Platform contributor on environment group Finance',
    ]);
    assert.match(
      watchdogLines(
        { ...changes, newUnexplainedRbac: [{ ...holder, name: 'Lee Gu', scope: { kind: 'tenant', displayName: 'Tenant' } }] },
        new Texts({ locale: 'de-DE', timeZone: 'Europe/Berlin' }),
      )[1] ?? '',
      /Lee Gu als Power Platform contributor für den Mandanten/,
    );
  });
});
