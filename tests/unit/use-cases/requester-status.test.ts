import assert from 'node:assert/strict';
import { deactivateLater } from '../../../src/use-cases/deactivate-elevation.js';
import { requesterStatus } from '../../../src/use-cases/requester-status.js';
import { FakePim, FakePowerPlatform, USER, fakeDeps, storedElevation } from './fakes.js';

describe('requesterStatus', () => {
  it('reports the "Deactivate when possible" the requester scheduled, by elevation', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    const { value: active } = await storedElevation(deps, 'active', { activeUntil: '2026-11-22T09:00:00.000Z' });
    await deactivateLater(deps, active, new Date('2026-11-22T08:04:00.000Z'));

    const status = await requesterStatus(deps, USER);

    assert.deepEqual(status.deactivations, { [active.id]: '2026-11-22T08:04:00.000Z' });
    assert.equal(status.records[0]?.id, active.id);
  });

  it('reports none when nothing is scheduled', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await storedElevation(deps, 'active', { activeUntil: '2026-11-22T09:00:00.000Z' });

    assert.deepEqual((await requesterStatus(deps, USER)).deactivations, {});
  });
});
