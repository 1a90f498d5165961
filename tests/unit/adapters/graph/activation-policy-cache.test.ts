import assert from 'node:assert/strict';
import { ActivationPolicyCache } from '../../../../src/adapters/graph/activation-policy-cache.js';
import type { RoleActivationPolicy } from '../../../../src/ports/pim-directory.js';
import { rejection } from '../../../support/rejection.js';

const policy = (roleDefinitionId: string, maximumDuration = 'PT8H'): RoleActivationPolicy => ({
  roleDefinitionId,
  maximumDuration,
  justificationRequired: true,
  ticketRequired: false,
  mfaRequired: false,
  approvalRequired: false,
});

function setup(ttlMs: number) {
  const clock = { now: 1_000_000 };
  const reads: string[] = [];
  const cache = new ActivationPolicyCache(ttlMs, () => clock.now);
  const get = (roleId: string, maximumDuration?: string) =>
    cache.get(roleId, async () => {
      reads.push(roleId);
      return policy(roleId, maximumDuration);
    });
  return { clock, reads, cache, get };
}

describe('ActivationPolicyCache', () => {
  it('reads each role once for concurrent and later requesters within the time, then again', async () => {
    const { clock, reads, get } = setup(60_000);
    await Promise.all(Array.from({ length: 50 }, () => get('role-a')));
    await get('role-b');
    clock.now += 59_000;
    assert.equal((await get('role-a', 'PT1H')).maximumDuration, 'PT8H', 'still the kept policy');
    assert.deepEqual(reads, ['role-a', 'role-b']);

    clock.now += 2_000;
    assert.equal((await get('role-a', 'PT1H')).maximumDuration, 'PT1H', 'an administrator’s change shows after the time');
    assert.deepEqual(reads, ['role-a', 'role-b', 'role-a']);
  });

  it('reads every time when the time is 0', async () => {
    const { reads, get } = setup(0);
    await get('role-a');
    await get('role-a');
    assert.equal(reads.length, 2);
  });

  it('does not keep a failed read', async () => {
    const { cache } = setup(60_000);
    let calls = 0;
    const failing = () =>
      cache.get('role-a', async () => {
        calls++;
        if (calls === 1) throw new Error('Graph busy');
        return policy('role-a');
      });
    await rejection(failing());
    assert.equal((await failing()).roleDefinitionId, 'role-a');
    await failing();
    assert.equal(calls, 2);
  });
});
