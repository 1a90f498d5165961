import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { ElevatePolicy } from '../../../src/domain/elevate-policy.js';
import type { ApprovalPolicy } from '../../../src/domain/approval.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { APPROVAL_TIMEOUT_KIND, approvalTimerId, decideApproval, expireApproval, requestApproval } from '../../../src/use-cases/request-approval.js';
import { resumeElevations } from '../../../src/use-cases/resume-elevations.js';
import { submitRequest, type SubmissionInput } from '../../../src/use-cases/submit-request.js';
import type { DurableTimer } from '../../../src/ports/timer-store.js';
import { effectivePolicy } from '../../../src/domain/elevate-policy.js';
import { FakePim, FakePowerPlatform, ROLE, USER, fakeDeps, storedElevation, spyOnAnnouncements } from './fakes.js';

const MEGAN = 'b0000000-0000-4000-8000-00000000e6a0';
const LEE = 'b0000000-0000-4000-8000-0000000001ee';
const MINUTE = 60_000;
const CARD = { conversationId: 'a:adele', activityId: 'activity-1' };

/** Production environments need `approvalsRequired` of Megan and Lee (listed by user id: no Graph membership calls). */
function policyFor(approval: Partial<ApprovalPolicy> = {}): ElevatePolicy {
  const full: ApprovalPolicy = {
    required: true,
    approverGroupIds: [],
    approverUserIds: [MEGAN, LEE],
    approvalsRequired: 2,
    pendingTimeoutMinutes: 60,
    ...approval,
  };
  return { defaults: {}, rules: [{ name: 'production', match: { environmentTypes: ['Production'] }, approval: full }] };
}

type Spies = ReturnType<typeof spyOnAnnouncements>;

const counts = (spies: Spies) => ({
  refresh: spies.refresh.callCount,
  elevationChanged: spies.elevationChanged.callCount,
  approvalChanged: spies.approvalChanged.callCount,
  show: spies.show.callCount,
  tell: spies.tell.callCount,
});

/** Adele's request put up for approval at 08:00 (expires 09:00); spies are attached afterwards. */
async function awaiting(approval: Partial<ApprovalPolicy> = {}) {
  const pim = new FakePim();
  const deps = fakeDeps(pim, new FakePowerPlatform());
  deps.settings.policy = policyFor(approval);
  const draft = await storedElevation(deps, 'draft');
  const policy = effectivePolicy(deps.settings.policy, draft.value.environment, ROLE);
  assert.equal((await requestApproval(deps, draft, policy)).kind, 'awaitingApproval');
  const timer = (await deps.timers.list('elevation-1'))[0]!;
  return { deps, pim, timer, spies: spyOnAnnouncements(deps) };
}

const vote = (deps: ElevationDeps, approverId: string, decision: 'approve' | 'deny' = 'approve', reason?: string) =>
  decideApproval(deps, {
    elevationId: 'elevation-1',
    approverId,
    approverName: approverId === MEGAN ? 'Megan Bowen' : 'Lee Gu',
    decision,
    ...(reason ? { reason } : {}),
  });

const stored = async (deps: ElevationDeps) => (await deps.store.getElevation('elevation-1'))!.value;
const auditTypes = async (deps: ElevationDeps) => (await deps.audit.list()).map((e) => e.type);

afterEach(() => sinon.restore());

describe('approval lifecycle: expireApproval (approvalTimeout timer)', () => {
  it('fails a pending approval past its expiry with ApprovalExpired and announces it everywhere', async () => {
    const { deps, timer, spies } = await awaiting();
    await vote(deps, MEGAN);
    for (const spy of Object.values(spies)) spy.resetHistory();
    await deps.clock.sleep(60 * MINUTE);

    assert.equal(await expireApproval(deps, timer), 'done');

    const record = await stored(deps);
    assert.equal(record.state, 'failed');
    assert.equal(record.approval?.status, 'expired');
    assert.equal(record.failure?.code, 'ApprovalExpired');
    assert.match(record.failure?.message ?? '', /\(1 of 2 approvals\)/);
    const last = (await deps.audit.list()).at(-1);
    assert.equal(last?.type, 'failed');
    assert.deepEqual([last?.details['approvalStatus'], last?.details['approvals']], ['expired', 1]);
    assert.deepEqual(counts(spies), { refresh: 1, elevationChanged: 1, approvalChanged: 0, show: 1, tell: 1 });
    assert.equal(spies.tell.firstCall.args[0].failure?.code, 'ApprovalExpired');
    assert.equal(spies.refresh.firstCall.args[0].approval?.status, 'expired');
  });

  it('fails an approved request whose requester did not activate within the window with ApprovalLapsed', async () => {
    const { deps, timer, spies } = await awaiting({ approvalsRequired: 1 });
    await deps.clock.sleep(10 * MINUTE);
    await vote(deps, MEGAN);
    const decidedAt = (await stored(deps)).approval?.decidedAt;
    assert.equal(decidedAt, '2026-11-22T08:10:00.000Z');
    for (const spy of Object.values(spies)) spy.resetHistory();
    await deps.clock.sleep(60 * MINUTE);

    assert.equal(await expireApproval(deps, timer), 'done');

    const record = await stored(deps);
    assert.equal(record.state, 'failed');
    assert.equal(record.failure?.code, 'ApprovalLapsed');
    assert.equal(record.approval?.status, 'lapsed', 'the approval is used up: no retry can activate it');
    assert.match(record.failure?.message ?? '', /within 60 minutes/);
    const last = (await deps.audit.list()).at(-1);
    assert.deepEqual([last?.type, last?.details['approvalStatus']], ['failed', 'lapsed']);
    assert.deepEqual(counts(spies), { refresh: 1, elevationChanged: 1, approvalChanged: 0, show: 1, tell: 1 });
    assert.equal(spies.tell.firstCall.args[0].failure?.code, 'ApprovalLapsed');
  });

  it('waits for the end of the activation window of an approved request', async () => {
    const { deps, timer, spies } = await awaiting({ approvalsRequired: 1 });
    await deps.clock.sleep(10 * MINUTE);
    await vote(deps, MEGAN);
    for (const spy of Object.values(spies)) spy.resetHistory();
    // Past the pending expiry (09:00) but inside the window (08:10 + 60 min).
    await deps.clock.sleep(55 * MINUTE);

    assert.deepEqual(await expireApproval(deps, timer), { retryAt: new Date('2026-11-22T09:10:00.000Z') });

    const record = await stored(deps);
    assert.equal(record.state, 'awaitingApproval');
    assert.equal(record.approval?.status, 'approved');
    assert.deepEqual(counts(spies), { refresh: 0, elevationChanged: 0, approvalChanged: 0, show: 0, tell: 0 });
  });

  it('waits for the expiry of a pending approval that is not due yet', async () => {
    const { deps, timer, spies } = await awaiting();
    await deps.clock.sleep(59 * MINUTE);

    assert.deepEqual(await expireApproval(deps, timer), { retryAt: new Date('2026-11-22T09:00:00.000Z') });

    assert.equal((await stored(deps)).state, 'awaitingApproval');
    assert.equal((await stored(deps)).approval?.status, 'pending');
    assert.deepEqual(await auditTypes(deps), ['requested']);
    assert.equal(spies.refresh.callCount, 0);
  });

  it('does nothing for a request that was activated, cancelled or deleted meanwhile', async () => {
    for (const state of ['activating', 'cancelled'] as const) {
      const { deps, timer, spies } = await awaiting({ approvalsRequired: 1 });
      await vote(deps, MEGAN);
      const current = (await deps.store.getElevation('elevation-1'))!;
      await deps.store.updateElevation({ ...current.value, state }, current.version);
      for (const spy of Object.values(spies)) spy.resetHistory();
      const audited = (await deps.audit.list()).length;
      await deps.clock.sleep(2 * 60 * MINUTE);

      assert.equal(await expireApproval(deps, timer), 'done', state);

      assert.equal((await stored(deps)).state, state);
      assert.equal((await deps.audit.list()).length, audited, state);
      assert.equal(spies.refresh.callCount, 0, state);
    }
    const { deps } = await awaiting();
    const orphan: DurableTimer = {
      id: approvalTimerId('elevation-9'),
      kind: APPROVAL_TIMEOUT_KIND,
      subject: 'elevation-9',
      dueAt: '',
      attempts: 0,
      payload: {},
    };
    assert.equal(await expireApproval(deps, orphan), 'done');
  });
});

describe('approval lifecycle: decideApproval announces each vote', () => {
  it('a vote that does not decide updates the approval cards and the security channel, and tells the requester nothing', async () => {
    const { deps, spies } = await awaiting({ approvalsRequired: 2 });

    assert.equal((await vote(deps, MEGAN)).kind, 'recorded');

    assert.deepEqual(counts(spies), { refresh: 1, elevationChanged: 0, approvalChanged: 1, show: 1, tell: 0 });
    assert.equal(spies.approvalChanged.firstCall.args[0].approval?.votes.length, 1);
  });

  it('the deciding approval also tells the requester, who can now activate', async () => {
    const { deps, spies } = await awaiting({ approvalsRequired: 2 });
    await vote(deps, MEGAN);
    await vote(deps, LEE);

    assert.deepEqual(counts(spies), { refresh: 2, elevationChanged: 0, approvalChanged: 2, show: 2, tell: 1 });
    const told = spies.tell.firstCall.args[0];
    assert.equal(told.state, 'awaitingApproval');
    assert.equal(told.approval?.status, 'approved');
  });

  it('a Deny fails the request with ApprovalDenied, the reason in the message, and tells everyone', async () => {
    const { deps, spies } = await awaiting({ approvalsRequired: 2 });

    assert.equal((await vote(deps, LEE, 'deny', 'no change window this week')).kind, 'recorded');

    const record = await stored(deps);
    assert.equal(record.state, 'failed');
    assert.equal(record.approval?.status, 'denied');
    assert.equal(record.failure?.code, 'ApprovalDenied');
    assert.equal(record.failure?.message, 'Lee Gu denied the request: no change window this week');
    assert.deepEqual(counts(spies), { refresh: 1, elevationChanged: 1, approvalChanged: 0, show: 1, tell: 1 });
    assert.equal(spies.tell.firstCall.args[0].failure?.code, 'ApprovalDenied');
    assert.deepEqual(await deps.timers.list('elevation-1'), [], 'nothing left to wait for');
  });

  it('a refused tap announces nothing', async () => {
    const { deps, spies } = await awaiting();

    const outcome = await decideApproval(deps, { elevationId: 'elevation-1', approverId: USER, decision: 'approve' });

    assert.deepEqual(outcome.kind === 'refused' && outcome.reason, 'selfApproval');
    assert.deepEqual(counts(spies), { refresh: 0, elevationChanged: 0, approvalChanged: 0, show: 0, tell: 0 });
  });
});

describe('approval lifecycle: submitRequest under a policy that requires approval', () => {
  const input: SubmissionInput = { requestId: 'elevation-1', roleId: ROLE, duration: 'PT2H', justification: 'INC0012345 restore the flow' };

  it('puts the request up for approval: nothing activated in PIM, an approval-timeout timer scheduled', async () => {
    const pim = new FakePim();
    const deps = fakeDeps(pim, new FakePowerPlatform());
    deps.settings.policy = policyFor();
    await storedElevation(deps, 'draft', { roleId: undefined, duration: undefined, justification: undefined });
    const activations = sinon.spy(pim, 'selfActivate');

    const outcome = await submitRequest(deps, USER, input, CARD);

    assert.equal(outcome.kind, 'awaitingApproval');
    const record = await stored(deps);
    assert.equal(record.state, 'awaitingApproval');
    assert.deepEqual(
      record.history.map((h) => h.state),
      ['draft', 'awaitingApproval'],
    );
    assert.deepEqual([record.roleId, record.duration, record.justification, record.card], [ROLE, 'PT2H', 'INC0012345 restore the flow', CARD]);
    assert.equal(record.approval?.status, 'pending');
    assert.equal(record.approval?.policySource, 'production');
    assert.deepEqual(record.approval?.approverUserIds, [MEGAN, LEE]);
    assert.equal(activations.callCount, 0);
    assert.equal(pim.selfActivateCalls, 0);
    assert.deepEqual(
      (await deps.timers.list('elevation-1')).map((t) => [t.id, t.kind, t.dueAt]),
      [['approval-timeout:elevation-1', APPROVAL_TIMEOUT_KIND, '2026-11-22T09:00:00.000Z']],
    );
    assert.deepEqual(await auditTypes(deps), ['requested']);
  });

  it('starts at once when the policy does not require approval for the environment', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    deps.settings.policy = policyFor();
    await storedElevation(deps, 'draft', { environment: { id: 'env-2', displayName: 'Contoso Dev', type: 'Sandbox' } });

    const outcome = await submitRequest(deps, USER, input, CARD);

    assert.equal(outcome.kind, 'started');
    assert.equal((await stored(deps)).approval, undefined);
    assert.deepEqual(await deps.timers.list('elevation-1'), []);
  });

  it('refuses a request whose only approver is the requester, naming the policy', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    deps.settings.policy = policyFor({ approverUserIds: [USER], approvalsRequired: 1 });
    await storedElevation(deps, 'draft');

    const outcome = await submitRequest(deps, USER, input, CARD);

    assert.equal(outcome.kind, 'invalid');
    assert.match(outcome.kind === 'invalid' ? outcome.message : '', /Elevate policy "production" needs 1 approver\(s\) other than you/);
    assert.equal((await stored(deps)).state, 'draft');
    assert.deepEqual(await deps.timers.list(), []);
    assert.deepEqual(await auditTypes(deps), []);
  });
});

describe('approval lifecycle: start-up catch-up (resumeElevations)', () => {
  it('posts the approval cards of a request that waited more than two minutes, and leaves a fresh one to its instance', async () => {
    const { deps } = await awaiting();
    const publish = sinon.spy(deps.approvals, 'publish');

    await deps.clock.sleep(MINUTE);
    await resumeElevations(deps, 'test');
    assert.equal(publish.callCount, 0, 'one minute old: its own instance may still be posting');

    await deps.clock.sleep(2 * MINUTE);
    await resumeElevations(deps, 'test');
    assert.equal(publish.callCount, 1);
    assert.equal(publish.firstCall.args[0].id, 'elevation-1');

    await vote(deps, MEGAN);
    await vote(deps, LEE);
    publish.resetHistory();
    await deps.clock.sleep(3 * MINUTE);
    await resumeElevations(deps, 'test');
    assert.equal(publish.callCount, 0, 'an approved request needs no approval cards');
  });
});

describe('approval lifecycle: approver group members for card refresh', () => {
  it('keeps the members of the approver groups on the approval, and a Graph failure does not block the request', async () => {
    const group = 'a99a0e00-0000-4000-8000-000000000002';
    const broken = 'a99a0e00-0000-4000-8000-0000000000ff';
    const pim = new FakePim();
    pim.groupUsers.set(group, [MEGAN.toUpperCase(), LEE]);
    const listGroupUserIds = pim.listGroupUserIds.bind(pim);
    pim.listGroupUserIds = async (token, groupId, max) => {
      if (groupId === broken) throw new Error('Graph is down');
      return listGroupUserIds(token, groupId, max);
    };
    const deps = fakeDeps(pim, new FakePowerPlatform());
    deps.settings.policy = policyFor({ approverGroupIds: [broken, group], approverUserIds: [], approvalsRequired: 1 });
    const draft = await storedElevation(deps, 'draft');
    const outcome = await requestApproval(deps, draft, effectivePolicy(deps.settings.policy, draft.value.environment, ROLE));
    assert.equal(outcome.kind, 'awaitingApproval');
    assert.deepEqual((await stored(deps)).approval?.groupMemberIds, [MEGAN, LEE]);
  });
});
