import assert from 'node:assert/strict';
import type { ClassifiedHolder, HolderKind } from '../../../src/domain/standing-access.js';
import { planSweep } from '../../../src/domain/sweep-plan.js';

const TEAM = { teamId: '7ea00000-0000-4000-8000-000000000001', name: 'Dev Admins', teamType: 2 };

function holder(n: number, kind: HolderKind, extra: Partial<ClassifiedHolder> = {}): ClassifiedHolder {
  return {
    systemUserId: `5e000000-0000-4000-8000-00000000000${n}`,
    roleId: '7e000000-0000-4000-8000-000000000001',
    fullName: `Person ${n}`,
    disabled: false,
    kind,
    ...extra,
  };
}

const names = (list: readonly ClassifiedHolder[]) => list.map((h) => h.fullName);

describe('sweep safety rules', () => {
  it('removes only direct unexplained holders and keeps elevations, expected accounts, application users and team holders', () => {
    const plan = planSweep([
      holder(1, 'elevation', { until: '2026-12-06T10:00:00Z' }),
      holder(2, 'expected'),
      holder(3, 'application', { applicationId: '1a7e0000-0000-4000-8000-0000001a7e00' }),
      holder(4, 'unexplained', { team: TEAM }),
      holder(5, 'unexplained'),
    ]);
    assert.deepEqual(names(plan.remove), ['Person 5']);
    assert.deepEqual(
      plan.keep.map((k) => [k.holder.fullName, k.reason]),
      [
        ['Person 1', 'elevation'],
        ['Person 2', 'expected'],
        ['Person 3', 'application'],
        ['Person 4', 'team'],
      ],
    );
  });

  it('keeps the last person holding System Administrator when every other holder is an application user', () => {
    const plan = planSweep([
      holder(3, 'application', { applicationId: '1a7e0000-0000-4000-8000-0000001a7e00' }),
      holder(6, 'unexplained'),
      holder(5, 'unexplained'),
    ]);
    assert.deepEqual(names(plan.remove), ['Person 6']);
    assert.deepEqual(
      plan.keep.filter((k) => k.reason === 'lastAdministrator').map((k) => k.holder.fullName),
      ['Person 5'],
    );
  });

  it('does not count disabled users as administrators who remain, and never keeps a disabled one as the last', () => {
    const plan = planSweep([holder(7, 'expected', { disabled: true }), holder(8, 'unexplained', { disabled: true }), holder(9, 'unexplained')]);
    assert.deepEqual(names(plan.remove), ['Person 8']);
    assert.deepEqual(
      plan.keep.map((k) => [k.holder.fullName, k.reason]),
      [
        ['Person 7', 'expected'],
        ['Person 9', 'lastAdministrator'],
      ],
    );
  });

  it('removes every unexplained direct holder when someone else remains, including a user who also holds the role through a team', () => {
    const plan = planSweep([holder(1, 'unexplained'), holder(1, 'unexplained', { team: TEAM }), holder(2, 'unexplained')]);
    assert.deepEqual(names(plan.remove), ['Person 1', 'Person 2']);
    assert.deepEqual(
      plan.keep.map((k) => k.reason),
      ['team'],
    );
  });
});
