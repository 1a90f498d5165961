import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { ApprovalState } from '../../../src/domain/approval.js';
import { SCHEDULED_START_REFUSED } from '../../../src/domain/failures.js';
import type { DurableTimer } from '../../../src/ports/timer-store.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { moveScheduled } from '../../../src/use-cases/move-scheduled.js';
import { APPROVAL_TIMEOUT_KIND, approvalTimerId, expireApproval } from '../../../src/use-cases/request-approval.js';
import { SCHEDULED_START_KIND, scheduledStartTimerId, startScheduled } from '../../../src/use-cases/scheduled-start.js';
import { FakePim, FakePowerPlatform, USER, fakeDeps, storedElevation } from './fakes.js';

const HOUR = 3_600_000;
const MEGAN = 'b0000000-0000-4000-8000-00000000e6a0';
const DAY = 24 * HOUR;
/** fakeDeps' clock starts here. */
const T0 = Date.parse('2026-11-22T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const START = iso(T0 + 3 * DAY);

function timer(kind: string, id: string, dueAt: string): DurableTimer {
  return { id, kind, subject: 'elevation-1', dueAt, attempts: 0, payload: {} };
}

const approved: ApprovalState = {
  policySource: 'production',
  required: 1,
  approverGroupIds: [],
  approverUserIds: ['b0000000-0000-4000-8000-00000000e6a0'],
  votes: [{ approverId: 'b0000000-0000-4000-8000-00000000e6a0', approverName: 'Megan Bowen', decision: 'approve', at: iso(T0) }],
  status: 'approved',
  expiresAt: iso(T0 + HOUR),
  decidedAt: iso(T0),
};

const stored = async (deps: ElevationDeps) => (await deps.store.getElevation('elevation-1'))!.value;
const neverRuns = async () => assert.fail('the activation must not run');
const advance = (deps: ElevationDeps, ms: number) => deps.clock.sleep(ms);

afterEach(() => sinon.restore());

describe('scheduled elevations: the start timer and the approval clock (fake clock)', () => {
  it('an approval given three days before the start does not lapse: its activation window opens at the start', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await storedElevation(deps, 'awaitingApproval', { approval: approved, schedule: { startAt: START } });
    await advance(deps, 2 * HOUR);
    const outcome = await expireApproval(deps, timer(APPROVAL_TIMEOUT_KIND, approvalTimerId('elevation-1'), iso(T0 + HOUR)));
    assert.deepEqual(outcome, { retryAt: new Date(Date.parse(START) + 60 * 60_000) });
    assert.equal((await stored(deps)).state, 'awaitingApproval');
  });

  it('looks again at the start when it runs early (a moved start, a clock that moved)', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await storedElevation(deps, 'scheduled', { schedule: { startAt: START } });
    const outcome = await startScheduled(deps, timer(SCHEDULED_START_KIND, scheduledStartTimerId('elevation-1'), iso(T0)), neverRuns);
    assert.deepEqual(outcome, { retryAt: new Date(START) });
  });

  it('without the requester token at the start it asks Teams once, and after the activation window it does not start and says why', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    deps.tokens = { ...deps.tokens, hasSession: () => false };
    const notice = sinon.spy(deps.presenter, 'scheduleNotice');
    await storedElevation(deps, 'scheduled', { schedule: { startAt: START } });
    await advance(deps, 3 * DAY);
    const first = await startScheduled(deps, timer(SCHEDULED_START_KIND, scheduledStartTimerId('elevation-1'), START), neverRuns);
    assert.ok(first !== 'done' && first.retryAt.getTime() <= Date.parse(START) + HOUR);
    assert.equal((await stored(deps)).schedule?.signInRequestedAt, START);
    await startScheduled(deps, timer(SCHEDULED_START_KIND, scheduledStartTimerId('elevation-1'), START), neverRuns);
    assert.deepEqual(
      notice.args.map((a) => a[1]),
      ['due'],
      'asked once',
    );
    await advance(deps, HOUR);
    assert.equal(await startScheduled(deps, timer(SCHEDULED_START_KIND, scheduledStartTimerId('elevation-1'), START), neverRuns), 'done');
    const record = await stored(deps);
    assert.equal(record.state, 'failed');
    assert.equal(record.failure?.code, SCHEDULED_START_REFUSED);
    assert.match(record.failure?.message ?? '', /could not sign you in within 60 minutes/);
    assert.deepEqual(
      notice.args.map((a) => a[1]),
      ['due', 'notStarted'],
    );
  });

  it('does not start when the Elevate policy now requires approval that the request never had', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    deps.settings = {
      ...deps.settings,
      policy: {
        ...deps.settings.policy,
        defaults: {
          ...deps.settings.policy.defaults,
          approval: { required: true, approverGroupIds: [], approverUserIds: [MEGAN], approvalsRequired: 1, pendingTimeoutMinutes: 60 },
        },
      },
    };
    await storedElevation(deps, 'scheduled', { schedule: { startAt: START } });
    await advance(deps, 3 * DAY);
    assert.equal(await startScheduled(deps, timer(SCHEDULED_START_KIND, scheduledStartTimerId('elevation-1'), START), neverRuns), 'done');
    const record = await stored(deps);
    assert.equal(record.state, 'failed');
    assert.match(record.failure?.message ?? '', /now requires approval/);
  });

  it('starts the activation at the start on the requester token, once', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await storedElevation(deps, 'scheduled', { schedule: { startAt: START } });
    await advance(deps, 3 * DAY);
    const runs: string[] = [];
    const run = async (_deps: unknown, id: string) => void runs.push(id);
    assert.equal(await startScheduled(deps, timer(SCHEDULED_START_KIND, scheduledStartTimerId('elevation-1'), START), run), 'done');
    assert.equal(await startScheduled(deps, timer(SCHEDULED_START_KIND, scheduledStartTimerId('elevation-1'), START), run), 'done');
    assert.deepEqual(runs, ['elevation-1']);
    assert.equal((await stored(deps)).state, 'activating');
  });
});

describe('moving a scheduled elevation', () => {
  it('moves the start and its timer, refuses a start past the limit, and a second identical move changes nothing', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await storedElevation(deps, 'scheduled', { schedule: { startAt: START } });
    const later = iso(T0 + 5 * DAY);
    const moved = await moveScheduled(deps, USER, 'elevation-1', later);
    assert.equal(moved.kind, 'moved');
    assert.equal((await stored(deps)).schedule?.startAt, later);
    assert.deepEqual((await stored(deps)).schedule?.movedFrom, [START]);
    assert.equal((await deps.timers.list('elevation-1')).find((t) => t.kind === SCHEDULED_START_KIND)?.dueAt, later);
    assert.equal((await moveScheduled(deps, USER, 'elevation-1', later)).kind, 'unchanged');
    assert.deepEqual(await moveScheduled(deps, USER, 'elevation-1', iso(T0 + 31 * DAY)), { kind: 'refused', reason: 'tooFarAhead' });
    assert.deepEqual(await moveScheduled(deps, USER, 'elevation-1', iso(T0 - 1)), { kind: 'refused', reason: 'pastStart' });
    assert.equal((await moveScheduled(deps, 'b0000000-0000-4000-8000-00000000e6a0', 'elevation-1', iso(T0 + 4 * DAY))).kind, 'notYours');
  });

  it('moves one still waiting for its approvers, not one they approved for its time', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await storedElevation(deps, 'awaitingApproval', { schedule: { startAt: START }, approval: { ...approved, status: 'pending', votes: [] } });
    assert.equal((await moveScheduled(deps, USER, 'elevation-1', iso(T0 + 5 * DAY))).kind, 'moved');

    const approvedDeps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await storedElevation(approvedDeps, 'awaitingApproval', { schedule: { startAt: START }, approval: approved });
    assert.equal((await moveScheduled(approvedDeps, USER, 'elevation-1', iso(T0 + 5 * DAY))).kind, 'approved');
    assert.equal((await stored(approvedDeps)).schedule?.startAt, START, 'the approved start stays');
  });

  it('refuses to move one that has started', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await storedElevation(deps, 'activating', { schedule: { startAt: START } });
    assert.equal((await moveScheduled(deps, USER, 'elevation-1', iso(T0 + 4 * DAY))).kind, 'notMovable');
  });
});
