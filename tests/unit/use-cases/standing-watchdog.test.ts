import assert from 'node:assert/strict';
import { HttpError } from '../../../src/domain/errors.js';
import type { RoleHolderRecord } from '../../../src/domain/standing-access.js';
import type { WatchdogChanges } from '../../../src/domain/watchdog-changes.js';
import type { RoleHolders } from '../../../src/ports/role-holders.js';
import type { StandingAccessDeps } from '../../../src/use-cases/standing-access-deps.js';
import { watchStandingAccess } from '../../../src/use-cases/standing-watchdog.js';
import type { RbacAssignment } from '../../../src/ports/power-platform-rbac.js';
import { RBAC_OWNER } from '../../../src/domain/rbac.js';
import { FakePim, FakePowerPlatform, USER, fakeDeps, storedElevation } from './fakes.js';

const PROD = { id: 'env-1', displayName: 'Contoso Prod', type: 'Production', url: 'https://contosoprod.crm.dynamics.com' };
const UAT = { id: 'env-2', displayName: 'Contoso UAT', type: 'Sandbox', url: 'https://contosouat.crm.dynamics.com' };
const ROLE = '7e000000-0000-4000-8000-000000000001';
const adele: RoleHolderRecord = {
  systemUserId: '5e000000-0000-4000-8000-000000000001',
  roleId: ROLE,
  fullName: 'Adele Vance',
  aadObjectId: USER,
  disabled: false,
};
const diego: RoleHolderRecord = {
  systemUserId: '5e000000-0000-4000-8000-000000000002',
  roleId: ROLE,
  fullName: 'Diego Siciliani',
  aadObjectId: 'd1e60000-0000-4000-8000-00000000d1e6',
  disabled: false,
  modifiedOn: '2026-03-02T09:20:00Z',
  modifiedBy: '5e000000-0000-4000-8000-0000000000a1',
};

/** Dataverse per environment URL; an environment listed in `missingAppUser` answers as one without Elevate's application user. */
class FakeHolders implements RoleHolders {
  missingAppUser = new Set<string>();
  constructor(readonly byUrl: Map<string, RoleHolderRecord[]>) {}
  async systemAdministratorHolders(url: string): Promise<RoleHolderRecord[]> {
    if (this.missingAppUser.has(url)) throw new HttpError('The user is not a member of the organization.', 403, '0x80072560', undefined, undefined);
    return [...(this.byUrl.get(url) ?? [])];
  }
  async removeDirectAssignment(): Promise<'removed' | 'notAssigned'> {
    return 'notAssigned';
  }
  async systemUserName(_url: string, id: string): Promise<string | undefined> {
    return id === diego.modifiedBy ? 'Alex Wilber' : undefined;
  }
}

function setUp() {
  const base = fakeDeps(new FakePim(), new FakePowerPlatform());
  const holders = new FakeHolders(
    new Map([
      [PROD.url, [adele]],
      [UAT.url, []],
    ]),
  );
  const deps: StandingAccessDeps = { ...base, holders, allEnvironments: async () => [PROD, UAT], concurrency: 2 };
  const posts: WatchdogChanges[] = [];
  let channel = true;
  const report = async (changes: WatchdogChanges) => (channel ? (posts.push(changes), true) : false);
  return { base, deps, holders, posts, noChannel: () => (channel = false), withChannel: () => (channel = true), report };
}

describe('standing access watchdog', () => {
  it('names an elevation whose System Administrator outlived it, once', async () => {
    const { base, deps, posts, report } = setUp();
    await storedElevation(base, 'ended', { ending: { reason: 'expired', at: base.clock.now().toISOString(), systemAdminRemoved: false, note: 'failed' } });
    await watchStandingAccess(deps, report);
    await watchStandingAccess(deps, report);
    assert.equal(posts.length, 1);
    assert.deepEqual(posts[0]?.outlived, [{ environment: 'Contoso Prod', name: 'Adele Vance', elevationId: 'elevation-1' }]);
    assert.equal(posts[0]?.newUnexplained.length, 0, 'not also as a new unexplained holder');
  });

  it('does not call standing access held before the elevation an outlived elevation', async () => {
    const { base, deps, posts, report } = setUp();
    await storedElevation(base, 'ended', { heldSystemAdminBefore: true });
    await watchStandingAccess(deps, report);
    assert.deepEqual(posts[0]?.outlived, []);
    assert.deepEqual(
      posts[0]?.newUnexplained.map((c) => c.holder.fullName),
      ['Adele Vance'],
    );
  });

  it('posts a new holder with who changed it, and an environment it cannot read; without a channel it keeps them for the next pass', async () => {
    const { deps, holders, posts, report, noChannel, withChannel } = setUp();
    await watchStandingAccess(deps, report);
    holders.byUrl.get(UAT.url)!.push(diego);
    holders.missingAppUser.add(PROD.url);
    noChannel();
    await watchStandingAccess(deps, report);
    assert.equal(posts.length, 1, 'nowhere to post');
    withChannel();
    await watchStandingAccess(deps, report);
    assert.equal(posts.length, 2);
    assert.deepEqual(
      posts[1]?.newUnexplained.map((c) => [c.holder.fullName, c.modifiedByName]),
      [['Diego Siciliani', 'Alex Wilber']],
    );
    assert.deepEqual(posts[1]?.unreadable, [{ environment: 'Contoso Prod', status: 'noApplicationUser' }]);
  });

  it('posts a new unexplained Power Platform RBAC role holder once, with the RBAC identity', async () => {
    const { deps, posts, report } = setUp();
    const tenantAssignments: RbacAssignment[] = [];
    const rbac = {
      api: {
        listRoleDefinitions: async () => [{ id: RBAC_OWNER, name: 'Power Platform owner', permissions: [] }],
        listAssignments: async (scope: { kind: string }) => (scope.kind === 'tenant' ? [...tenantAssignments] : []),
      },
      ownPrincipalIds: async () => [],
      environmentGroups: async () => [],
    };
    const watched = { ...deps, rbac };
    await watchStandingAccess(watched, report);
    assert.deepEqual(posts[0]?.newUnexplainedRbac, []);
    tenantAssignments.push({ id: 'as-1', principalId: 'a0000000-0000-4000-8000-00000000011e', principalType: 'User', roleDefinitionId: RBAC_OWNER, scope: '' });
    await watchStandingAccess(watched, report);
    await watchStandingAccess(watched, report);
    assert.equal(posts.length, 2, 'once');
    assert.deepEqual(
      posts[1]?.newUnexplainedRbac.map((h) => [h.principalId, h.roleName, h.scope.kind]),
      [['a0000000-0000-4000-8000-00000000011e', 'Power Platform owner', 'tenant']],
    );
    assert.deepEqual(posts[1]?.newUnexplained, [], 'nothing else changed');
  });
});
