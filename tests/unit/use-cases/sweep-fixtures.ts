import assert from 'node:assert/strict';
import type { RoleHolderRecord } from '../../../src/domain/standing-access.js';
import type { RoleHolders } from '../../../src/ports/role-holders.js';
import type { StandingAccessDeps } from '../../../src/use-cases/standing-access-deps.js';
import { confirmSweep, previewSweep } from '../../../src/use-cases/standing-sweep.js';
import type { SweepRunner } from '../../../src/use-cases/sweep-run.js';
import { loadSweep, type SweepRecord } from '../../../src/use-cases/sweep-record.js';
import { FakePim, FakePowerPlatform, fakeDeps } from './fakes.js';

/** Shared by the sweep tests: two environments of holders (Dataverse as a table), two security-team members. */
export const ROLE = '7e000000-0000-4000-8000-000000000001';
export const DEV = { id: 'e0000000-0000-4000-8000-000000000002', displayName: 'Contoso Dev', url: 'https://dev.crm.example' };
export const UAT = { id: 'e0000000-0000-4000-8000-000000000003', displayName: 'Contoso UAT', url: 'https://uat.crm.example' };
export const NESTOR = { aadObjectId: 'a0000000-0000-4000-8000-00000000e570', name: 'Nestor Wilke' };
export const MEGAN = { aadObjectId: 'a0000000-0000-4000-8000-0000000e6a00', name: 'Megan Bowen' };

export function person(n: number, extra: Partial<RoleHolderRecord> = {}): RoleHolderRecord {
  return {
    systemUserId: `5e000000-0000-4000-8000-00000000000${n}`,
    roleId: ROLE,
    fullName: `Person ${n}`,
    aadObjectId: `a0000000-0000-4000-8000-00000000000${n}`,
    disabled: false,
    ...extra,
  };
}
export const app = person(9, { applicationId: '1a7e0000-0000-4000-8000-0000001a7e00', fullName: '# Elevate' });

/** Dataverse as a table of holders per environment URL; every removal is counted. */
export class FakeHolders implements RoleHolders {
  removals: string[] = [];
  constructor(readonly byUrl: Map<string, RoleHolderRecord[]>) {}
  async systemAdministratorHolders(url: string): Promise<RoleHolderRecord[]> {
    return [...(this.byUrl.get(url) ?? [])];
  }
  async removeDirectAssignment(url: string, systemUserId: string): Promise<'removed' | 'notAssigned'> {
    const holders = this.byUrl.get(url) ?? [];
    const index = holders.findIndex((h) => h.systemUserId === systemUserId && !h.team);
    if (index < 0) return 'notAssigned';
    holders.splice(index, 1);
    this.removals.push(`${url}|${systemUserId}`);
    return 'removed';
  }
  async systemUserName(): Promise<string | undefined> {
    return undefined;
  }
}

export function setUp(): { deps: StandingAccessDeps & { newId: () => string }; holders: FakeHolders } {
  const base = fakeDeps(new FakePim(), new FakePowerPlatform());
  const holders = new FakeHolders(
    new Map([
      [DEV.url, [person(1), person(2), person(5, { team: { teamId: '7ea00000-0000-4000-8000-000000000001', name: 'Dev Admins', teamType: 2 } }), app]],
      [UAT.url, [person(3), person(4), app]],
    ]),
  );
  let n = 0;
  return { deps: { ...base, holders, allEnvironments: async () => [DEV, UAT], concurrency: 2, newId: () => `sweep-${++n}` }, holders };
}

export const runner = (boot: string, report: (s: SweepRecord) => Promise<void> = async () => undefined): SweepRunner => ({
  owner: `test#${boot}`,
  instanceId: 'test',
  report,
});

export async function confirmedSweep(deps: StandingAccessDeps & { newId: () => string }): Promise<SweepRecord> {
  const preview = await previewSweep(deps, 'all', NESTOR, 'a:chat');
  assert.equal(preview.kind, 'preview');
  const id = preview.kind === 'preview' ? preview.sweep.id : '';
  assert.equal((await confirmSweep(deps, id, MEGAN, { conversationId: 'a:chat', activityId: 'card-1' })).kind, 'confirmed');
  return (await loadSweep(deps, id))!;
}
