import assert from 'node:assert/strict';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import { RETENTION } from '../../../src/domain/retention.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { capDrafts, housekeepingHandler, HOUSEKEEPING_KIND, runHousekeeping, scheduleHousekeeping } from '../../../src/use-cases/housekeeping.js';
import { FakePim, FakePowerPlatform, USER, fakeDeps } from './fakes.js';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const OTHER = 'b0000000-0000-4000-8000-0000000000b0';

/** A request of `requester` created `ageMs` ago, whose history went through `path` (the last is its state). */
async function stored(deps: ElevationDeps, id: string, ageMs: number, path: ElevationRecord['state'][] = ['draft'], requester = USER) {
  const at = new Date(deps.clock.now().getTime() - ageMs).toISOString();
  return deps.store.createElevation({
    id,
    state: path[path.length - 1]!,
    requester: { aadObjectId: requester, name: 'Adele Vance', tenantId: 't' },
    environment: { id: 'env-1', displayName: 'Contoso Prod' },
    options: [],
    createdAt: at,
    updatedAt: at,
    history: path.map((state) => ({ at, state })),
  });
}

const remaining = async (deps: ElevationDeps, requester = USER) => (await deps.store.listElevationsByRequester(requester)).map((r) => r.value.id).sort();

describe('housekeeping: what Elevate keeps and for how long', () => {
  it('prunes claims older than 14 days and keeps newer ones', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    const now = deps.clock.now().getTime();
    await deps.store.claimOnce('activity:a:old', new Date(now - 15 * DAY));
    await deps.store.claimOnce('post:e1:active', new Date(now - 14 * DAY - 1));
    await deps.store.claimOnce('activity:a:recent', new Date(now - 13 * DAY));

    const report = await runHousekeeping(deps);

    assert.deepEqual(report, { claimsPruned: 2, draftsDeleted: 0, more: false });
    assert.equal(await deps.store.claimOnce('activity:a:recent', deps.clock.now()), false, 'a recent claim still holds');
    assert.equal(await deps.store.claimOnce('activity:a:old', deps.clock.now()), true);
  });

  it('deletes drafts older than 24 hours, and nothing else', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await stored(deps, 'old-draft', 25 * HOUR);
    await stored(deps, 'young-draft', 23 * HOUR);
    await stored(deps, 'old-active', 30 * DAY, ['draft', 'activating', 'elevating', 'active']);
    await stored(deps, 'old-ended', 30 * DAY, ['draft', 'activating', 'ended']);
    await stored(deps, 'old-awaiting', 2 * DAY, ['draft', 'awaitingApproval']);

    const report = await runHousekeeping(deps);

    assert.equal(report.draftsDeleted, 1);
    assert.deepEqual(await remaining(deps), ['old-active', 'old-awaiting', 'old-ended', 'young-draft']);
  });

  it('leaves a draft that was submitted between the listing and the delete (compare-and-swap)', async () => {
    const base = fakeDeps(new FakePim(), new FakePowerPlatform());
    await stored(base, 'raced', 2 * DAY);
    const store = Object.create(base.store) as ElevationDeps['store'];
    store.deleteElevation = async (id, version) => {
      const current = await base.store.getElevation(id);
      await base.store.updateElevation({ ...current!.value, state: 'activating' }, current!.version);
      return base.store.deleteElevation(id, version);
    };

    const report = await runHousekeeping({ ...base, store });

    assert.equal(report.draftsDeleted, 0);
    assert.equal((await base.store.getElevation('raced'))?.value.state, 'activating');
  });

  it(`removes at most ${RETENTION.perRun} drafts a run and says there is more, so the next run comes a minute later`, async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    for (let n = 0; n < RETENTION.perRun + 2; n++) await stored(deps, `d${n}`, 2 * DAY + n);
    const handler = housekeepingHandler(deps);
    const timer = { id: 'housekeeping', kind: HOUSEKEEPING_KIND, subject: 'housekeeping', dueAt: '', attempts: 0, payload: {} };

    const first = await handler(timer);
    const second = await handler(timer);

    assert.deepEqual(first, { retryAt: new Date(deps.clock.now().getTime() + 60_000) });
    assert.deepEqual(second, { retryAt: new Date(deps.clock.now().getTime() + RETENTION.housekeepingMinutes * 60_000) });
    assert.deepEqual(await remaining(deps), []);
  });

  it('schedules one housekeeping timer for every instance and restart, an interval ahead, never pushed back', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await scheduleHousekeeping(deps);
    const first = await deps.timers.list('housekeeping');
    await deps.clock.sleep(30 * 60_000);
    await scheduleHousekeeping(deps);

    assert.equal(first.length, 1);
    assert.equal(first[0]?.kind, HOUSEKEEPING_KIND);
    assert.equal(first[0]?.dueAt, new Date(Date.parse('2026-11-22T08:00:00Z') + RETENTION.housekeepingMinutes * 60_000).toISOString());
    assert.deepEqual(await deps.timers.list('housekeeping'), first);
  });
});

describe('capDrafts: a requester keeps their five newest unsubmitted requests', () => {
  it('removes older drafts and drafts cancelled before submission, keeps submitted requests and other users', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    for (let n = 0; n < 6; n++) await stored(deps, `draft-${n}`, (10 - n) * 60_000);
    await stored(deps, 'cancelled-draft', 20 * 60_000, ['draft', 'cancelled']);
    await stored(deps, 'cancelled-approval', 30 * 60_000, ['draft', 'awaitingApproval', 'cancelled']);
    await stored(deps, 'ended', 40 * 60_000, ['draft', 'activating', 'ended']);
    await stored(deps, 'others-draft', 50 * 60_000, ['draft'], OTHER);

    const deleted = await capDrafts(deps, USER);

    assert.equal(deleted, 2);
    assert.deepEqual(await remaining(deps), ['cancelled-approval', 'draft-1', 'draft-2', 'draft-3', 'draft-4', 'draft-5', 'ended']);
    assert.deepEqual(await remaining(deps, OTHER), ['others-draft']);
    assert.equal(await capDrafts(deps, USER), 0, 'nothing more to remove');
  });
});
