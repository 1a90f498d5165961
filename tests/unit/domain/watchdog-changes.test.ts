import assert from 'node:assert/strict';
import type { ClassifiedHolder } from '../../../src/domain/standing-access.js';
import { hasChanges, holderKey, watchdogChanges } from '../../../src/domain/watchdog-changes.js';

const ENV = 'e0000000-0000-4000-8000-000000000002';
const holder = (n: number): ClassifiedHolder => ({
  systemUserId: `5e000000-0000-4000-8000-00000000000${n}`,
  roleId: '7e000000-0000-4000-8000-000000000001',
  fullName: `Person ${n}`,
  disabled: false,
  kind: 'unexplained',
});
const unexplained = (n: number) => ({ key: holderKey(ENV, holder(n)), environment: 'Contoso Dev', holder: holder(n) });

describe('watchdog changes', () => {
  it('reports everything on the first pass', () => {
    const changes = watchdogChanges(undefined, {
      unexplained: [unexplained(1)],
      unreadable: [{ key: 'x|noapplicationuser', environment: 'Contoso UAT', status: 'noApplicationUser' }],
      outlived: [],
    });
    assert.equal(changes.newUnexplained.length, 1);
    assert.equal(changes.unreadable.length, 1);
  });

  it('reports only holders and environments that were not there last time, and nothing when nothing changed', () => {
    const previous = { at: '2026-12-05T00:00:00Z', unexplained: [unexplained(1).key], unreadable: ['x|noapplicationuser'], outlived: [] };
    const same = watchdogChanges(previous, {
      unexplained: [unexplained(1)],
      unreadable: [{ key: 'x|noapplicationuser', environment: 'Contoso UAT', status: 'noApplicationUser' }],
      outlived: [],
    });
    assert.equal(hasChanges(same), false);
    const more = watchdogChanges(previous, { unexplained: [unexplained(1), unexplained(2)], unreadable: [], outlived: [] });
    assert.deepEqual(
      more.newUnexplained.map((c) => c.holder.fullName),
      ['Person 2'],
    );
  });

  it('names an elevation whose System Administrator outlived it once, not also as a new unexplained holder', () => {
    const key = unexplained(3).key;
    const changes = watchdogChanges(undefined, {
      unexplained: [unexplained(3)],
      unreadable: [],
      outlived: [{ key, environment: 'Contoso Dev', name: 'Person 3', elevationId: 'el-1' }],
    });
    assert.deepEqual([changes.newUnexplained.length, changes.outlived.length], [0, 1]);
  });
});
