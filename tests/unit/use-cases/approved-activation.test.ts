import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { ApprovalState } from '../../../src/domain/approval.js';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { activateApproved, cancelRequest } from '../../../src/use-cases/approved-activation.js';
import { APPROVAL_TIMEOUT_KIND, approvalTimerId } from '../../../src/use-cases/request-approval.js';
import { FakePim, FakePowerPlatform, ROLE, USER, fakeDeps, storedElevation, spyOnAnnouncements } from './fakes.js';

const MEGAN = 'b0000000-0000-4000-8000-00000000e6a0';
const LEE = 'b0000000-0000-4000-8000-0000000001ee';
const MINUTE = 60_000;
/** fakeDeps' clock starts here; the approvals below were decided at this instant. */
const T0 = '2026-11-22T08:00:00.000Z';

/** Megan approved Adele's request (1 of 1) at T0. */
function approved(changes: Partial<ApprovalState> = {}): ApprovalState {
  return {
    policySource: 'production',
    required: 1,
    approverGroupIds: [],
    approverUserIds: [MEGAN, LEE],
    votes: [{ approverId: MEGAN, approverName: 'Megan Bowen', decision: 'approve', at: T0 }],
    status: 'approved',
    expiresAt: '2026-11-22T09:00:00.000Z',
    decidedAt: T0,
    ...changes,
  };
}

const pendingApproval = (): ApprovalState => approved({ votes: [], status: 'pending', decidedAt: undefined });

/**
 * Adele's request in `state` with `approval` (null: none), with the approval-timeout timer (and an unrelated
 * reminder timer) scheduled for it, as requestApproval and decideApproval leave it.
 */
async function setUp(state: ElevationRecord['state'] = 'awaitingApproval', approval: ApprovalState | null = approved(), pim = new FakePim()) {
  const deps = fakeDeps(pim, new FakePowerPlatform());
  await storedElevation(deps, state, approval ? { approval } : {});
  await deps.timers.schedule({
    id: approvalTimerId('elevation-1'),
    kind: APPROVAL_TIMEOUT_KIND,
    subject: 'elevation-1',
    dueAt: '2026-11-22T09:00:00.000Z',
    payload: {},
  });
  await deps.timers.schedule({ id: 'reminder:elevation-1', kind: 'reminder', subject: 'elevation-1', dueAt: '2026-11-22T10:00:00.000Z', payload: {} });
  const spies = spyOnAnnouncements(deps);
  return { deps, pim, spies };
}

const stored = async (deps: ElevationDeps) => (await deps.store.getElevation('elevation-1'))!.value;
const timerKinds = async (deps: ElevationDeps) => (await deps.timers.list('elevation-1')).map((t) => t.kind).sort();
const auditTypes = async (deps: ElevationDeps) => (await deps.audit.list()).map((e) => e.type);

afterEach(() => sinon.restore());

describe('activateApproved: the requester taps Activate after approval', () => {
  it('starts the activation (awaitingApproval → activating) and cancels only the approval timer', async () => {
    const { deps, pim } = await setUp();
    await deps.clock.sleep(10 * MINUTE);

    const outcome = await activateApproved(deps, USER, 'elevation-1');

    assert.equal(outcome.kind, 'started');
    const record = await stored(deps);
    assert.equal(record.state, 'activating');
    assert.equal(record.worker, 'test');
    assert.deepEqual(
      record.options.map((o) => o.roleId),
      [ROLE],
      're-read from Graph',
    );
    assert.equal(record.history.at(-1)?.note, 'activated by requester after approval');
    assert.deepEqual(await timerKinds(deps), ['reminder'], 'the approval timeout is gone, other timers stay');
    assert.equal(pim.selfActivateCalls, 0, 'the run (runElevation) activates in PIM, not the tap');
  });

  it('compares the object id without regard to case', async () => {
    const { deps } = await setUp();
    const outcome = await activateApproved(deps, USER.toUpperCase(), 'elevation-1');
    assert.equal(outcome.kind, 'started');
    assert.equal((await stored(deps)).state, 'activating');
  });

  it('refuses anyone but the requester, even an approver, and leaves the record alone', async () => {
    const { deps } = await setUp();
    const outcome = await activateApproved(deps, MEGAN, 'elevation-1');
    assert.deepEqual(outcome, { kind: 'notYours' });
    assert.equal((await stored(deps)).state, 'awaitingApproval');
    assert.deepEqual(await timerKinds(deps), [APPROVAL_TIMEOUT_KIND, 'reminder']);
  });

  it('answers notFound for an unknown request', async () => {
    const { deps } = await setUp();
    assert.deepEqual(await activateApproved(deps, USER, 'elevation-999'), { kind: 'notFound' });
  });

  const notActivatable: { name: string; state: ElevationRecord['state']; approval: ApprovalState | null }[] = [
    { name: 'a pending approval', state: 'awaitingApproval', approval: pendingApproval() },
    {
      name: 'a denied request',
      state: 'failed',
      approval: approved({ status: 'denied', votes: [{ approverId: MEGAN, decision: 'deny', reason: 'no change window', at: T0 }] }),
    },
    { name: 'a denied approval still awaiting', state: 'awaitingApproval', approval: approved({ status: 'denied' }) },
    { name: 'an expired approval', state: 'failed', approval: approved({ status: 'expired' }) },
    { name: 'a cancelled request', state: 'cancelled', approval: approved() },
    { name: 'one already running', state: 'activating', approval: approved() },
    { name: 'a request without approval', state: 'awaitingApproval', approval: null },
  ];
  for (const c of notActivatable) {
    it(`does not start ${c.name}`, async () => {
      const { deps, spies } = await setUp(c.state, c.approval);
      const outcome = await activateApproved(deps, USER, 'elevation-1');
      assert.equal(outcome.kind, 'notActivatable');
      assert.equal(outcome.kind === 'notActivatable' && outcome.record.state, c.state);
      const record = await stored(deps);
      assert.equal(record.state, c.state);
      assert.equal(record.history.length, 1, 'nothing written');
      assert.deepEqual(await timerKinds(deps), [APPROVAL_TIMEOUT_KIND, 'reminder']);
      assert.equal(spies.refresh.callCount, 0);
    });
  }

  it('still starts one second before the activation window closes', async () => {
    const { deps } = await setUp();
    await deps.clock.sleep(60 * MINUTE - 1_000);
    assert.equal((await activateApproved(deps, USER, 'elevation-1')).kind, 'started');
  });

  it('fails a request whose activation window has closed with ApprovalLapsed, audits and announces it, without asking Graph', async () => {
    const { deps, pim, spies } = await setUp();
    const eligibilities = sinon.spy(pim, 'listMyEligibilities');
    await deps.clock.sleep(60 * MINUTE);

    const outcome = await activateApproved(deps, USER, 'elevation-1');

    assert.equal(outcome.kind, 'notActivatable');
    const record = await stored(deps);
    assert.equal(record.state, 'failed');
    assert.equal(record.failure?.code, 'ApprovalLapsed');
    assert.match(record.failure?.message ?? '', /not activated within 60 minutes/);
    assert.deepEqual(outcome.kind === 'notActivatable' && outcome.record, record);
    const last = (await deps.audit.list()).at(-1);
    assert.equal(last?.type, 'failed');
    assert.equal(last?.details['approvalStatus'], 'lapsed');
    assert.equal(last?.details['failureCode'], 'ApprovalLapsed');
    assert.deepEqual(await timerKinds(deps), ['reminder']);
    assert.equal(eligibilities.callCount, 0);
    assert.equal(spies.refresh.callCount, 1);
    assert.equal(spies.elevationChanged.callCount, 1);
    assert.equal(spies.approvalChanged.callCount, 0);
    assert.equal(spies.show.callCount, 1);
    assert.equal(spies.tell.callCount, 1, 'the requester is told why');
    assert.equal(spies.tell.firstCall.args[0].failure?.code, 'ApprovalLapsed');
  });

  it('honours the configured activation window', async () => {
    const { deps } = await setUp();
    deps.settings.approvalActivationWindowMinutes = 15;
    await deps.clock.sleep(16 * MINUTE);
    assert.equal((await activateApproved(deps, USER, 'elevation-1')).kind, 'notActivatable');
    const record = await stored(deps);
    assert.equal(record.failure?.code, 'ApprovalLapsed');
    assert.match(record.failure?.message ?? '', /within 15 minutes/);
  });

  it('starts nothing when the eligibility was removed after the approval', async () => {
    class NoLongerEligible extends FakePim {
      override async listMyEligibilities() {
        return [];
      }
    }
    const { deps, spies } = await setUp('awaitingApproval', approved(), new NoLongerEligible());

    const outcome = await activateApproved(deps, USER, 'elevation-1');

    assert.equal(outcome.kind, 'invalid');
    assert.match(outcome.kind === 'invalid' ? outcome.message : '', /^Elevate cannot activate what was approved any more: You cannot activate that role here/);
    const record = await stored(deps);
    assert.equal(record.state, 'awaitingApproval');
    assert.equal(record.history.length, 1);
    assert.deepEqual(await timerKinds(deps), [APPROVAL_TIMEOUT_KIND, 'reminder'], 'the window still runs');
    assert.deepEqual(await auditTypes(deps), []);
    assert.equal(spies.refresh.callCount, 0);
  });

  it('starts nothing when the approved duration is now longer than the policy allows', async () => {
    const { deps } = await setUp();
    deps.settings.policy = { defaults: { maximumDuration: 'PT30M' }, rules: [] };

    const outcome = await activateApproved(deps, USER, 'elevation-1');

    assert.equal(outcome.kind, 'invalid');
    assert.match(outcome.kind === 'invalid' ? outcome.message : '', /Choose at most 30/);
    assert.equal((await stored(deps)).state, 'awaitingApproval');
  });

  it('goes straight to elevating when the PIM role is already active', async () => {
    const pim = new FakePim();
    pim.active = [{ id: 'i-0', roleDefinitionId: ROLE, directoryScopeId: '/', endDateTime: '2026-11-22T12:00:00.000Z' }];
    const { deps } = await setUp('awaitingApproval', approved(), pim);

    const outcome = await activateApproved(deps, USER, 'elevation-1');

    assert.equal(outcome.kind, 'started');
    const record = await stored(deps);
    assert.equal(record.state, 'elevating');
    assert.equal(record.activeUntil, '2026-11-22T12:00:00.000Z');
    assert.match(record.history.at(-1)?.note ?? '', /role already active in PIM/);
    assert.deepEqual(await timerKinds(deps), ['reminder']);
  });

  it('starts exactly one activation when the requester taps twice at once', async () => {
    const { deps } = await setUp();

    const outcomes = await Promise.all([activateApproved(deps, USER, 'elevation-1'), activateApproved(deps, USER, 'elevation-1')]);

    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['notActivatable', 'started']);
    const loser = outcomes.find((o) => o.kind === 'notActivatable');
    assert.equal(loser?.kind === 'notActivatable' && loser.record.state, 'activating', 'the loser sees the running request');
    const record = await stored(deps);
    assert.deepEqual(
      record.history.map((h) => h.state),
      ['awaitingApproval', 'activating'],
    );
  });
});

describe('cancelRequest: the requester abandons a request', () => {
  it('cancels a draft without telling approvers (none were involved)', async () => {
    const { deps, spies } = await setUp('draft', null);

    const outcome = await cancelRequest(deps, USER, 'elevation-1');

    assert.equal(outcome.kind, 'cancelled');
    assert.equal((await stored(deps)).state, 'cancelled');
    assert.deepEqual(await auditTypes(deps), []);
    assert.equal(spies.refresh.callCount, 0);
    assert.equal(spies.elevationChanged.callCount, 0);
  });

  it('cancels a request awaiting approval: timer cancelled, audited, approval cards and security channel updated', async () => {
    const { deps, spies } = await setUp('awaitingApproval', pendingApproval());

    const outcome = await cancelRequest(deps, USER.toUpperCase(), 'elevation-1');

    assert.equal(outcome.kind, 'cancelled');
    const record = await stored(deps);
    assert.equal(record.state, 'cancelled');
    assert.equal(record.history.at(-1)?.note, 'cancelled by requester');
    assert.deepEqual(await timerKinds(deps), ['reminder']);
    const events = await deps.audit.list();
    assert.deepEqual(
      events.map((e) => e.type),
      ['cancelled'],
    );
    assert.equal(events[0]?.details['approvalStatus'], 'pending');
    assert.equal(events[0]?.elevationId, 'elevation-1');
    assert.equal(spies.refresh.callCount, 1);
    assert.equal(spies.refresh.firstCall.args[0].state, 'cancelled');
    assert.equal(spies.elevationChanged.callCount, 1);
    assert.equal(spies.elevationChanged.firstCall.args[0].state, 'cancelled');
    assert.equal(spies.approvalChanged.callCount, 0);
    assert.equal(spies.show.callCount, 1);
    assert.equal(spies.tell.callCount, 0, 'no "decided" message for a cancelled request');
  });

  it('cancels an approved request not yet activated', async () => {
    const { deps, spies } = await setUp('awaitingApproval', approved());
    assert.equal((await cancelRequest(deps, USER, 'elevation-1')).kind, 'cancelled');
    assert.equal((await deps.audit.list())[0]?.details['approvalStatus'], 'approved');
    assert.equal(spies.refresh.callCount, 1);
    assert.equal(spies.tell.callCount, 0, 'the requester cancelled it: no "approved, activate now" message');
    assert.equal((await activateApproved(deps, USER, 'elevation-1')).kind, 'notActivatable', 'Activate no longer works');
  });

  for (const state of ['draft', 'awaitingApproval'] as const) {
    it(`refuses someone else's cancel of a ${state} request`, async () => {
      const { deps, spies } = await setUp(state, state === 'draft' ? null : pendingApproval());
      assert.deepEqual(await cancelRequest(deps, MEGAN, 'elevation-1'), { kind: 'notYours' });
      assert.equal((await stored(deps)).state, state);
      assert.deepEqual(await timerKinds(deps), [APPROVAL_TIMEOUT_KIND, 'reminder']);
      assert.equal(spies.refresh.callCount, 0);
    });
  }

  for (const state of ['activating', 'active', 'failed', 'cancelled'] as const) {
    it(`does not cancel a ${state} request`, async () => {
      const { deps } = await setUp(state, approved());
      const outcome = await cancelRequest(deps, USER, 'elevation-1');
      assert.equal(outcome.kind, 'notCancellable');
      assert.equal(outcome.kind === 'notCancellable' && outcome.record.state, state);
      assert.equal((await stored(deps)).state, state);
      assert.deepEqual(await auditTypes(deps), []);
    });
  }

  it('answers notFound for an unknown request', async () => {
    const { deps } = await setUp('draft', null);
    assert.deepEqual(await cancelRequest(deps, USER, 'elevation-999'), { kind: 'notFound' });
  });

  it('lets exactly one of a racing Cancel and Activate win', async () => {
    const { deps } = await setUp();

    const [activated, cancelled] = await Promise.all([activateApproved(deps, USER, 'elevation-1'), cancelRequest(deps, USER, 'elevation-1')]);

    const record = await stored(deps);
    const winners = [activated.kind === 'started', cancelled.kind === 'cancelled'].filter(Boolean);
    assert.equal(winners.length, 1);
    assert.equal(record.state, activated.kind === 'started' ? 'activating' : 'cancelled');
    assert.equal(record.history.length, 2);
  });
});
