import assert from 'node:assert/strict';
import { effectivePolicy, type EffectivePolicy } from '../../../src/domain/elevate-policy.js';
import { type ApprovalPolicy } from '../../../src/domain/approval.js';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import type { Versioned } from '../../../src/ports/elevation-store.js';
import type { TokenSource } from '../../../src/ports/token-broker.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { APPROVAL_TIMEOUT_KIND, approvalTimerId, decideApproval, expireApproval, requestApproval } from '../../../src/use-cases/request-approval.js';
import { retryElevation } from '../../../src/use-cases/retry-elevation.js';
import { FakePim, FakePowerPlatform, ROLE, USER, fakeDeps, storedElevation } from './fakes.js';

const GROUP = 'a99a0e00-0000-4000-8000-000000000002';
const APPROVERS = Array.from({ length: 10 }, (_, i) => `b0000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`);
const OUTSIDER = 'c0000000-0000-4000-8000-000000000001';

/** Graph transitive membership by object id: `members` are in GROUP. Answers on a later turn, like a real call. */
class DirectoryPim extends FakePim {
  members = new Set([...APPROVERS, USER]);
  asked: { userId: string; groupIds: string[] }[] = [];
  override async checkMemberGroups(_token: TokenSource, userId: string, groupIds: string[]) {
    this.asked.push({ userId, groupIds });
    await new Promise((resolve) => setImmediate(resolve));
    return this.members.has(userId) ? groupIds.filter((g) => g === GROUP) : [];
  }
}

function policyOf(approval: Partial<ApprovalPolicy>): EffectivePolicy {
  const full: ApprovalPolicy = { required: true, approverGroupIds: [GROUP], approverUserIds: [], approvalsRequired: 2, pendingTimeoutMinutes: 60, ...approval };
  const environment = { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' };
  return effectivePolicy({ defaults: {}, rules: [{ name: 'production', match: { environmentTypes: ['Production'] }, approval: full }] }, environment, ROLE);
}

const draft = (deps: ElevationDeps): Promise<Versioned<ElevationRecord>> => storedElevation(deps, 'draft');

/** A request awaiting `approvalsRequired` of the group, with a store that counts lost compare-and-swaps. */
async function awaiting(approval: Partial<ApprovalPolicy> = {}) {
  const pim = new DirectoryPim();
  const deps = fakeDeps(pim, new FakePowerPlatform());
  const store = deps.store;
  const conflicts = { count: 0 };
  const update = store.updateElevation.bind(store);
  store.updateElevation = async (record, version) => (await update(record, version)) ?? void conflicts.count++;
  const outcome = await requestApproval(deps, await draft(deps), policyOf(approval));
  assert.equal(outcome.kind, 'awaitingApproval');
  return { deps, pim, conflicts };
}

const auditTypes = async (deps: ElevationDeps) => (await deps.audit.list()).map((e) => e.type);
const stored = async (deps: ElevationDeps) => (await deps.store.getElevation('elevation-1'))!.value;

describe('approvals: requestApproval', () => {
  it('moves the draft to awaitingApproval with a durable approval-timeout timer at its expiry', async () => {
    const { deps } = await awaiting();
    const record = await stored(deps);
    assert.equal(record.state, 'awaitingApproval');
    assert.deepEqual(record.approval && { status: record.approval.status, required: record.approval.required, source: record.approval.policySource }, {
      status: 'pending',
      required: 2,
      source: 'production',
    });
    const timers = await deps.timers.list('elevation-1');
    assert.deepEqual(
      timers.map((t) => [t.id, t.kind, t.dueAt]),
      [[approvalTimerId('elevation-1'), APPROVAL_TIMEOUT_KIND, '2026-11-22T09:00:00.000Z']],
    );
    assert.deepEqual(await auditTypes(deps), ['requested']);
  });

  it('asks once when the submission is tapped twice', async () => {
    const deps = fakeDeps(new DirectoryPim(), new FakePowerPlatform());
    const first = await draft(deps);
    const [a, b] = await Promise.all([requestApproval(deps, first, policyOf({})), requestApproval(deps, first, policyOf({}))]);
    assert.deepEqual([a.kind, b.kind].sort(), ['alreadyHandled', 'awaitingApproval']);
    assert.equal((await deps.timers.list()).length, 1);
  });

  it('refuses a request that only the requester could approve, leaving the draft', async () => {
    const deps = fakeDeps(new DirectoryPim(), new FakePowerPlatform());
    const outcome = await requestApproval(deps, await draft(deps), policyOf({ approverGroupIds: [], approverUserIds: [USER], approvalsRequired: 1 }));
    assert.equal(outcome.kind, 'cannotBeApproved');
    assert.equal((await stored(deps)).state, 'draft');
  });
});

describe('approvals: decideApproval', () => {
  it('records exactly 2 approvals when 10 approvers tap at once on a 2-of-10 request', async () => {
    const { deps, conflicts } = await awaiting({ approvalsRequired: 2 });
    const outcomes = await Promise.all(APPROVERS.map((approverId) => decideApproval(deps, { elevationId: 'elevation-1', approverId, decision: 'approve' })));
    const record = await stored(deps);
    assert.equal(outcomes.filter((o) => o.kind === 'recorded').length, 2);
    assert.deepEqual(
      outcomes.filter((o) => o.kind !== 'recorded').map((o) => (o.kind === 'refused' ? o.reason : o.kind)),
      Array(8).fill('alreadyDecided'),
    );
    assert.equal(record.approval?.status, 'approved');
    assert.equal(record.approval?.votes.length, 2);
    assert.equal(record.state, 'awaitingApproval');
    assert.ok(conflicts.count > 0, 'the taps really raced');
    const types = await auditTypes(deps);
    assert.equal(types.filter((t) => t === 'decided').length, 2);
    assert.equal(types.filter((t) => t === 'refusedTap').length, 8);
    const [timer, ...others] = await deps.timers.list('elevation-1');
    assert.deepEqual(others, [], 'one timer');
    // Approved: the same durable timer now guards the requester's activation window (60 min from the approval).
    assert.equal(timer?.dueAt, new Date(Date.parse(record.approval!.decidedAt!) + 60 * 60_000).toISOString());
  });

  for (const order of ['approve first', 'deny first'] as const) {
    it(`gives one consistent outcome when a Deny races an Approve on a 1-of-N request (${order})`, async () => {
      const { deps } = await awaiting({ approvalsRequired: 1 });
      const approveTap = () => decideApproval(deps, { elevationId: 'elevation-1', approverId: APPROVERS[0]!, decision: 'approve' });
      const denyTap = () => decideApproval(deps, { elevationId: 'elevation-1', approverId: APPROVERS[1]!, decision: 'deny', reason: 'no change window' });
      const [approve, deny] =
        order === 'approve first' ? await Promise.all([approveTap(), denyTap()]) : (await Promise.all([denyTap(), approveTap()])).reverse();
      const record = await stored(deps);
      const winner = approve?.kind === 'recorded' ? 'approved' : 'denied';
      assert.deepEqual([approve?.kind, deny?.kind].sort(), ['recorded', 'refused']);
      assert.equal(record.approval?.status, winner);
      assert.equal(record.approval?.votes.length, 1);
      assert.equal(record.state, winner === 'approved' ? 'awaitingApproval' : 'failed');
      const loser = winner === 'approved' ? deny : approve;
      assert.deepEqual(loser?.kind === 'refused' && loser.reason, 'alreadyDecided');
    });
  }

  it('ends a request at the first Deny, for good: failed with the reason, and no retry', async () => {
    const { deps } = await awaiting({ approvalsRequired: 2 });
    await decideApproval(deps, { elevationId: 'elevation-1', approverId: APPROVERS[0]!, decision: 'approve' });
    const outcome = await decideApproval(deps, {
      elevationId: 'elevation-1',
      approverId: APPROVERS[1]!,
      approverName: 'Megan Bowen',
      decision: 'deny',
      reason: 'no change window',
    });
    assert.equal(outcome.kind, 'recorded');
    const record = await stored(deps);
    assert.equal(record.state, 'failed');
    assert.equal(record.failure?.code, 'ApprovalDenied');
    assert.match(record.failure?.message ?? '', /Megan Bowen denied the request: no change window/);
    assert.equal((await retryElevation(deps, USER, 'elevation-1')).kind, 'notRetryable');
  });

  const refusals: { name: string; approverId: string; decision: string; elevationId?: string; reason?: string; refusal: string }[] = [
    { name: "the requester's own tap, though a group member", approverId: USER, decision: 'approve', refusal: 'selfApproval' },
    { name: "a non-approver's tap", approverId: OUTSIDER, decision: 'approve', refusal: 'notApprover' },
    { name: 'a tampered decision', approverId: APPROVERS[0]!, decision: 'approve-all', refusal: 'invalidDecision' },
    { name: 'a tampered request id', approverId: APPROVERS[0]!, decision: 'approve', elevationId: 'elevation-999', refusal: 'unknownRequest' },
    { name: 'a Deny without a reason', approverId: APPROVERS[0]!, decision: 'deny', refusal: 'reasonRequired' },
  ];
  for (const r of refusals) {
    it(`refuses and audits ${r.name}`, async () => {
      const { deps } = await awaiting();
      const input = { elevationId: r.elevationId ?? 'elevation-1', approverId: r.approverId, decision: r.decision, ...(r.reason ? { reason: r.reason } : {}) };
      const outcome = await decideApproval(deps, input);
      assert.deepEqual(outcome.kind === 'refused' && outcome.reason, r.refusal);
      const last = (await deps.audit.list()).at(-1);
      assert.equal(last?.type, 'refusedTap');
      assert.equal(last?.actor?.aadObjectId, r.approverId);
      assert.equal(last?.details['refusal'], r.refusal);
      assert.equal((await stored(deps)).approval?.votes.length, 0);
    });
  }

  it('checks membership by object id with the bot identity, one vote per approver', async () => {
    const { deps, pim } = await awaiting({ approvalsRequired: 3 });
    await decideApproval(deps, { elevationId: 'elevation-1', approverId: APPROVERS[3]!, decision: 'approve' });
    const again = await decideApproval(deps, { elevationId: 'elevation-1', approverId: APPROVERS[3]!, decision: 'approve' });
    assert.deepEqual(again.kind === 'refused' && again.reason, 'alreadyVoted');
    assert.deepEqual(pim.asked[0], { userId: APPROVERS[3], groupIds: [GROUP] });
  });
});

describe('approvals: expireApproval (approvalTimeout timer)', () => {
  it('expires a pending approval once, from the stored timer, after a restart', async () => {
    const { deps } = await awaiting();
    await decideApproval(deps, { elevationId: 'elevation-1', approverId: APPROVERS[0]!, decision: 'approve' });
    await deps.clock.sleep(61 * 60_000);
    // A restarted instance (another owner) finds the timer in the store.
    const [timer] = await deps.timers.claimDue(deps.clock.now(), 'restarted-instance', 60_000, 10);
    assert.equal(timer?.kind, APPROVAL_TIMEOUT_KIND);
    assert.equal(await expireApproval(deps, timer!), 'done');
    const record = await stored(deps);
    assert.equal(record.state, 'failed');
    assert.equal(record.failure?.code, 'ApprovalExpired');
    assert.equal(record.approval?.status, 'expired');
    const auditedBefore = (await deps.audit.list()).length;
    assert.equal(await expireApproval(deps, timer!), 'done', 'a second run is a no-op');
    assert.equal((await deps.audit.list()).length, auditedBefore);
    const late = await decideApproval(deps, { elevationId: 'elevation-1', approverId: APPROVERS[1]!, decision: 'approve' });
    assert.deepEqual(late.kind === 'refused' && late.reason, 'expired');
  });

  it('waits for the expiry when the timer runs early, and lapses an approval nobody activated', async () => {
    const { deps } = await awaiting({ approvalsRequired: 1 });
    const timer = (await deps.timers.list('elevation-1'))[0]!;
    assert.deepEqual(await expireApproval(deps, timer), { retryAt: new Date('2026-11-22T09:00:00.000Z') });
    await decideApproval(deps, { elevationId: 'elevation-1', approverId: APPROVERS[0]!, decision: 'approve' });
    await deps.clock.sleep(61 * 60_000);
    assert.equal(await expireApproval(deps, timer), 'done');
    // Approved at 08:00 with a 60-minute activation window: at 09:01 it has lapsed.
    assert.equal((await stored(deps)).approval?.status, 'lapsed');
    assert.equal((await stored(deps)).failure?.code, 'ApprovalLapsed');
  });
});
