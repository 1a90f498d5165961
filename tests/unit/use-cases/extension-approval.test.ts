import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { ApprovalState } from '../../../src/domain/approval.js';
import type { ElevatePolicy } from '../../../src/domain/elevate-policy.js';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { activateApproved } from '../../../src/use-cases/approved-activation.js';
import { extensionRequestId, requestExtensionApproval } from '../../../src/use-cases/extension-approval.js';
import { nextScheduled } from '../../../src/use-cases/move-scheduled.js';
import { retryElevation } from '../../../src/use-cases/retry-elevation.js';
import { beginScheduled, resumeScheduled, startTap } from '../../../src/use-cases/scheduled-start.js';
import { FakePim, FakePowerPlatform, USER, fakeDeps, storedElevation } from './fakes.js';

const HOUR = 3_600_000;
const MEGAN = 'b0000000-0000-4000-8000-00000000e6a0';
/** fakeDeps' clock starts here. */
const T0 = Date.parse('2026-11-22T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const END = iso(T0 + HOUR);

const approved: ApprovalState = {
  policySource: 'defaults',
  required: 1,
  approverGroupIds: [],
  approverUserIds: [MEGAN],
  votes: [{ approverId: MEGAN, approverName: 'Megan Bowen', decision: 'approve', at: iso(T0) }],
  status: 'approved',
  expiresAt: iso(T0 + HOUR),
  decidedAt: iso(T0),
};

/** Extensions need Megan's approval; the elevations themselves need none. */
const policy: ElevatePolicy = {
  defaults: {
    extensionApproval: true,
    approval: { required: false, approverGroupIds: [], approverUserIds: [MEGAN], approvalsRequired: 1, pendingTimeoutMinutes: 60 },
  },
  rules: [],
};

function extensionDeps(): ElevationDeps {
  let n = 0;
  return fakeDeps(new FakePim(), new FakePowerPlatform(), { newId: () => `random-${++n}` });
}

/** A scheduled elevation that started (approved ahead), is active until END, and carries everything a started one does. */
async function startedScheduled(deps: ElevationDeps) {
  return storedElevation(deps, 'active', {
    activeUntil: END,
    schedule: { startAt: iso(T0 - HOUR), signInRequestedAt: iso(T0 - HOUR) },
    card: { conversationId: 'a:adele', activityId: 'card-1' },
    approval: approved,
    pimRequestId: 'pim-1',
    pimStatus: 'Provisioned',
    pimApprovalId: 'pim-approval-1',
    pimDecision: { approverId: MEGAN, name: 'Megan Bowen', decision: 'approve', at: iso(T0 - HOUR) },
    stepUp: { reason: 'mfa' },
    heldSystemAdminBefore: true,
    ppCorrelationId: 'pp-1',
    applicationUserMissing: true,
    extensions: [{ at: iso(T0), minutes: 30, from: iso(T0 + HOUR / 2), until: END, path: 'scheduled' }],
  });
}

/** An extension request stored by an earlier version: a copy of a started scheduled elevation, `schedule` and all. */
async function copiedRequest(deps: ElevationDeps, state: ElevationRecord['state'], changes: Partial<ElevationRecord> = {}) {
  const at = iso(T0);
  return deps.store.createElevation({
    ...(await deps.store.getElevation('elevation-1'))!.value,
    id: 'request-1',
    state,
    duration: 'PT30M',
    approval: approved,
    schedule: { startAt: iso(T0 - HOUR), signInRequestedAt: iso(T0 - HOUR) },
    extends: { elevationId: 'elevation-1', minutes: 30, from: END },
    history: [{ at, state }],
    ...changes,
  });
}

afterEach(() => sinon.restore());

describe('extension requests (issue #16): a request for more time is never an elevation of its own', () => {
  it('builds the request from what the approvers decide on: no schedule, card, PIM approval, step-up or standing-access facts of the elevation', async () => {
    const deps = extensionDeps();
    deps.settings.policy = policy;
    const parent = await startedScheduled(deps);
    const asked = await requestExtensionApproval(deps, parent, 30, 'one more table to restore');
    assert.equal(asked.kind, 'requested');
    if (asked.kind !== 'requested') return;
    const request = (await deps.store.getElevation(asked.request.id))!.value;
    for (const key of [
      'schedule',
      'card',
      'pimApprovalId',
      'pimDecision',
      'stepUp',
      'heldSystemAdminBefore',
      'pimRequestId',
      'pimStatus',
      'ppCorrelationId',
      'applicationUserMissing',
      'activeUntil',
      'extensions',
    ] as const)
      assert.equal(request[key], undefined, `${key} is not copied to the request`);
    assert.equal(request.state, 'awaitingApproval');
    assert.equal(request.approval?.status, 'pending', 'its own approval, not the elevation’s');
    assert.deepEqual(
      [request.requester, request.environment, request.roleId, request.duration, request.extends],
      [parent.value.requester, parent.value.environment, parent.value.roleId, 'PT30M', { elevationId: 'elevation-1', minutes: 30, from: END }],
    );
    assert.equal((await deps.store.getElevation('elevation-1'))!.value.card?.activityId, 'card-1', 'the elevation keeps its card');
    assert.equal(await nextScheduled(deps, USER), undefined, '`move to …` finds no scheduled elevation');
    assert.equal(await resumeScheduled(deps, USER), 0, 'a sign-in starts nothing');
  });

  it('a request stored with a copied schedule is not started by Start, a sign-in, `move to …` or beginScheduled', async () => {
    const deps = extensionDeps();
    await startedScheduled(deps);
    const request = await copiedRequest(deps, 'awaitingApproval');
    assert.equal(await nextScheduled(deps, USER), undefined);
    assert.equal(await resumeScheduled(deps, USER), 0);
    assert.equal((await startTap(deps, USER, 'request-1')).kind, 'notStartable');
    assert.deepEqual(await beginScheduled(deps, request), { kind: 'lost' });
    const after = (await deps.store.getElevation('request-1'))!;
    assert.deepEqual([after.value.state, after.version], ['awaitingApproval', request.version], 'nothing written');
  });

  it('an approved request is not activated on its own, and a failed one is not retried', async () => {
    const deps = extensionDeps();
    await startedScheduled(deps);
    await copiedRequest(deps, 'awaitingApproval');
    assert.equal((await activateApproved(deps, USER, 'request-1')).kind, 'notActivatable');
    assert.equal((await deps.store.getElevation('request-1'))!.value.state, 'awaitingApproval');
    await copiedRequest(deps, 'failed', { id: 'request-2', failure: { code: 'X', message: 'stopped' } });
    const retried = await retryElevation(deps, USER, 'request-2');
    assert.equal(retried.kind, 'notRetryable');
    assert.equal((await deps.store.getElevation('request-2'))!.value.state, 'failed');
  });

  it('a double tap (or two instances) asks once: one request, one set of approval cards, one audit entry', async () => {
    const deps = extensionDeps();
    deps.settings.policy = policy;
    const parent = await startedScheduled(deps);
    const publish = sinon.spy(deps.approvals, 'publish');
    const [first, second] = await Promise.all([requestExtensionApproval(deps, parent, 30, undefined), requestExtensionApproval(deps, parent, 30, undefined)]);
    assert.equal(first.kind === 'requested' && second.kind === 'requested' && first.request.id === second.request.id, true, 'the same request');
    const requests = (await deps.store.listElevationsByRequester(USER)).filter((r) => r.value.extends);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.value.id, extensionRequestId('elevation-1', END, 0));
    assert.equal(publish.callCount, 1);
    assert.equal((await deps.audit.list()).filter((e) => e.type === 'requested').length, 1);
  });

  it('asks again with a new request after a denial for the same end', async () => {
    const deps = extensionDeps();
    deps.settings.policy = policy;
    const parent = await startedScheduled(deps);
    const first = await requestExtensionApproval(deps, parent, 30, undefined);
    assert.equal(first.kind, 'requested');
    const denied = (await deps.store.getElevation(extensionRequestId('elevation-1', END, 0)))!;
    await deps.store.updateElevation({ ...denied.value, state: 'failed' }, denied.version);
    const again = await requestExtensionApproval(deps, parent, 30, undefined);
    assert.equal(again.kind === 'requested' && again.request.id, extensionRequestId('elevation-1', END, 1));
    assert.equal(again.kind === 'requested' && again.request.state, 'awaitingApproval');
  });

  it('derives request ids that read as elevation ids and differ by elevation, end and attempt', () => {
    const ids = [
      extensionRequestId('e-1', END, 0),
      extensionRequestId('e-2', END, 0),
      extensionRequestId('e-1', iso(T0), 0),
      extensionRequestId('e-1', END, 1),
    ];
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, 4);
    assert.equal(extensionRequestId('e-1', END, 0), ids[0], 'stable');
  });
});
