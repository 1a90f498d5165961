import assert from 'node:assert/strict';
import sinon from 'sinon';
import { NotAnAdminError } from '../../../src/domain/errors.js';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { continueWaiting, PROPAGATION_KIND, resumeWaiting, retryPowerPlatform, waitingDetail } from '../../../src/use-cases/await-power-platform.js';
import { runElevation } from '../../../src/use-cases/run-elevation.js';
import { FakePim, FakePowerPlatform, fakeDeps, signedIn, submitted, USER } from './fakes.js';

const notYet = () => Promise.reject(new NotAnAdminError('not yet', 'pp-corr'));
const success = async () => ({ code: 'UserExists', details: [], correlationId: 'pp-9' });

/** Moves the fake clock to the propagation timer's due time and runs it, as the scheduler would. */
async function runPropagationTimer(deps: ElevationDeps): Promise<'done' | { retryAt: Date } | 'none'> {
  const timer = (await deps.timers.list('elevation-1')).find((t) => t.kind === PROPAGATION_KIND);
  if (!timer) return 'none';
  const wait = Date.parse(timer.dueAt) - deps.clock.now().getTime();
  if (wait > 0) await deps.clock.sleep(wait);
  const outcome = await retryPowerPlatform(deps, timer, runElevation);
  if (outcome === 'done') await deps.timers.cancel('elevation-1', [PROPAGATION_KIND]);
  else await deps.timers.schedule({ ...timer, dueAt: outcome.retryAt.toISOString() });
  return outcome;
}

async function current(deps: ElevationDeps): Promise<ElevationRecord> {
  return (await deps.store.getElevation('elevation-1'))!.value;
}

describe('waiting for Power Platform to see the PIM role (a durable timer, up to the configured limit)', () => {
  it('keeps the elevation `elevating` after "not … admin", with the attempt and the next try on the card and a timer for it', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [notYet];
    const deps = fakeDeps(new FakePim(), pp);
    const show = sinon.spy(deps.presenter, 'show');
    await submitted(deps);

    const record = await runElevation(deps, 'elevation-1');

    assert.equal(record?.state, 'elevating');
    assert.equal(record?.propagation?.attempts, 1);
    assert.equal(record?.propagation?.nextTryAt, '2026-11-22T08:00:05.000Z', 'the first wait is ELEVATE_PROPAGATION_RETRY_SECONDS');
    const timers = await deps.timers.list('elevation-1');
    assert.deepEqual(
      timers.filter((t) => t.kind === PROPAGATION_KIND).map((t) => t.dueAt),
      ['2026-11-22T08:00:05.000Z'],
    );
    assert.match(show.lastCall.args[1]?.detail ?? '', /attempt 1.*Elevate keeps trying and tells you how it went/);
    assert.doesNotMatch(show.lastCall.args[1]?.detail ?? '', /UTC/, 'times are shown on the card in the viewer zone, not as UTC text');
  });

  it('tries again with backoff until Power Platform answers, then is active, cancels the timer and tells the requester in a new message', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [notYet, notYet, notYet, success];
    const pim = new FakePim();
    const deps = fakeDeps(pim, pp);
    const tell = sinon.spy(deps.presenter, 'tell');
    const channel = sinon.spy(deps.notifier, 'elevationChanged');
    await submitted(deps);
    await runElevation(deps, 'elevation-1');

    const tries: string[] = [];
    for (let i = 0; i < 3; i++) {
      tries.push(deps.clock.now().toISOString().slice(11, 19));
      await runPropagationTimer(deps);
    }

    const record = await current(deps);
    assert.equal(record.state, 'active');
    assert.equal(record.ppCorrelationId, 'pp-9');
    assert.equal(pp.calls, 4);
    assert.deepEqual(tries, ['08:00:00', '08:00:05', '08:00:15'], 'waits of 5 s then 10 s then 20 s');
    assert.equal(pim.selfActivateCalls, 1, 'PIM is never asked again while waiting');
    assert.equal((await deps.timers.list('elevation-1')).filter((t) => t.kind === PROPAGATION_KIND).length, 0);
    assert.equal(tell.callCount, 1);
    assert.equal(channel.callCount, 1, 'one channel post: elevated');
  });

  it('gives up at the limit with a failure that says the role is active and how to go on, and tells the requester', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [notYet];
    const deps = fakeDeps(new FakePim(), pp);
    const tell = sinon.spy(deps.presenter, 'tell');
    await submitted(deps);
    await runElevation(deps, 'elevation-1');

    for (let i = 0; i < 20 && (await current(deps)).state === 'elevating'; i++) await runPropagationTimer(deps);

    const record = await current(deps);
    assert.equal(record.state, 'failed');
    assert.equal(record.failure?.code, 'PowerPlatformNotAdmin');
    assert.match(record.failure?.message ?? '', /PIM role is active.*after 10 minutes/);
    assert.match(record.failure?.hint ?? '', /retry/);
    assert.equal(deps.clock.now().toISOString(), '2026-11-22T08:10:00.000Z', 'the last try is at the limit, not after it');
    assert.equal(tell.callCount, 1);
  });

  it('stops at the end of the PIM activation when that comes first, and says so while waiting', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [notYet];
    const pim = new FakePim();
    pim.activatesTo = [{ id: 'i-1', roleDefinitionId: pim.activatesTo[0]!.roleDefinitionId, directoryScopeId: '/', endDateTime: '2026-11-22T08:06:00.000Z' }];
    const deps = fakeDeps(pim, pp);
    await submitted(deps);
    const waiting = await runElevation(deps, 'elevation-1');

    assert.equal(waiting?.propagation?.deadline, '2026-11-22T08:06:00.000Z');
    assert.match(waitingDetail(waiting!), /keeps trying until your PIM activation ends/);
    for (let i = 0; i < 20 && (await current(deps)).state === 'elevating'; i++) await runPropagationTimer(deps);
    assert.match((await current(deps)).failure?.message ?? '', /PIM activation ended before Power Platform recognised it/);
  });

  it('without the requester token asks Teams for it once, calls nothing, and goes on once they are signed in again', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [notYet, success];
    let session = true;
    const deps = fakeDeps(new FakePim(), pp, { tokens: { ...signedIn, hasSession: () => session } });
    const ask = sinon.spy(deps.presenter, 'askToSignIn');
    await submitted(deps);
    await runElevation(deps, 'elevation-1');
    session = false;

    await runPropagationTimer(deps);
    await runPropagationTimer(deps);

    assert.equal(ask.callCount, 1, 'one sign-in card, however often the timer looks');
    assert.equal(pp.calls, 1, 'no call without the token');
    session = true;
    assert.equal(await resumeWaiting(deps, USER), 1);
    const due = (await deps.timers.list('elevation-1')).find((t) => t.kind === PROPAGATION_KIND)!;
    assert.equal(due.dueAt, deps.clock.now().toISOString(), 'the sign-in brings the next try forward to now');
    await runPropagationTimer(deps);
    assert.equal((await current(deps)).state, 'active');
  });

  it('fails with "sign in again" when the wait runs out without the token', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [notYet];
    let session = true;
    const deps = fakeDeps(new FakePim(), pp, { tokens: { ...signedIn, hasSession: () => session } });
    await submitted(deps);
    await runElevation(deps, 'elevation-1');
    session = false;

    for (let i = 0; i < 30 && (await current(deps)).state === 'elevating'; i++) await runPropagationTimer(deps);

    const record = await current(deps);
    assert.equal(record.failure?.code, 'SignInRequired');
    assert.match(record.failure?.hint ?? '', /retry.*without activating the PIM role again/);
  });
});

describe('Continue: resuming a wait after Elevate lost the requester token', () => {
  async function waiting(session: () => boolean) {
    const pp = new FakePowerPlatform();
    pp.answers = [notYet, success];
    const deps = fakeDeps(new FakePim(), pp, { tokens: { ...signedIn, hasSession: session } });
    await submitted(deps);
    await runElevation(deps, 'elevation-1');
    return deps;
  }

  it("refuses someone else's tap", async () => {
    const deps = await waiting(() => true);
    assert.equal((await continueWaiting(deps, 'a0000000-0000-4000-8000-0000000001ee', 'elevation-1')).kind, 'notYours');
  });

  it('asks the requester to sign in when they have no token here', async () => {
    const deps = await waiting(() => false);
    assert.equal((await continueWaiting(deps, USER, 'elevation-1')).kind, 'signInNeeded');
  });

  it('brings the next try forward when the requester is signed in (object ids compared without case)', async () => {
    const deps = await waiting(() => true);
    const outcome = await continueWaiting(deps, USER.toUpperCase(), 'elevation-1');
    assert.equal(outcome.kind, 'resumed');
    const due = (await deps.timers.list('elevation-1')).find((t) => t.kind === PROPAGATION_KIND)!;
    assert.equal(due.dueAt, deps.clock.now().toISOString());
  });

  it('answers with the current card for an elevation that is not waiting any more', async () => {
    const deps = await waiting(() => true);
    await runPropagationTimer(deps);
    const outcome = await continueWaiting(deps, USER, 'elevation-1');
    assert.equal(outcome.kind, 'notWaiting');
  });
});
