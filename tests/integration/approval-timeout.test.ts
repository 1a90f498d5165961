import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElevatePolicy } from '../../src/domain/elevate-policy.js';
import { activateApproved } from '../../src/use-cases/approved-activation.js';
import { decideApproval } from '../../src/use-cases/request-approval.js';
import { startRequest } from '../../src/use-cases/start-request.js';
import { submitRequest } from '../../src/use-cases/submit-request.js';
import { ENVIRONMENTS, ROLES, USERS } from '../simulator/tenant/seed.js';
import { SimulatorFixture } from './simulator-fixture.js';
import { InProcessElevate } from './support/in-process-elevate.js';
import { runDueTimers } from './support/run-due-timers.js';

const POLICY: ElevatePolicy = {
  defaults: {},
  rules: [
    {
      name: 'prod-one-approver',
      match: { environmentIds: [ENVIRONMENTS.contosoProd.id] },
      approval: { required: true, approverGroupIds: [], approverUserIds: [USERS.megan.id], approvalsRequired: 1, pendingTimeoutMinutes: 30 },
    },
  ],
};

/**
 * The approval timeout and the activation window are durable timers: they fire in an instance
 * started after the one that scheduled them (same SQLite file), with the production scheduler,
 * against the simulated tenant.
 */
describe('approval timers survive a restart', function () {
  this.timeout(30_000);
  const fixture = new SimulatorFixture();
  fixture.install();
  let dir: string;
  let storePath: string;
  const instances: InProcessElevate[] = [];
  const instance = (name: string) => {
    const elevate = new InProcessElevate(fixture, { storePath, policy: POLICY, instanceId: name });
    instances.push(elevate);
    return elevate;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-approval-timers-'));
    storePath = path.join(dir, 'elevate.db');
  });
  afterEach(async () => {
    for (const elevate of instances.splice(0)) await elevate.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Adele asks for Power Platform Administrator in Contoso Prod; the policy needs Megan's approval. */
  async function awaitingApproval(elevate: InProcessElevate): Promise<string> {
    await elevate.signIn(USERS.adele.id);
    const start = await startRequest(
      elevate.deps,
      { aadObjectId: USERS.adele.id, tenantId: 't', name: USERS.adele.name },
      { environment: ENVIRONMENTS.contosoProd.id },
    );
    if (start.kind !== 'draft') throw new Error(`no draft: ${start.kind}`);
    const submitted = await submitRequest(
      elevate.deps,
      USERS.adele.id,
      { requestId: start.record.id, roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: 'INC0012345 restore the flow' },
      { conversationId: 'a:1', activityId: '1' },
    );
    assert.equal(submitted.kind, 'awaitingApproval');
    return start.record.id;
  }

  it('expires a pending request in the instance that starts after a restart', async () => {
    const first = instance('first');
    const id = await awaitingApproval(first);
    assert.deepEqual(await runDueTimers(first), [], 'nothing due yet');
    await first.store.close();

    const second = instance('second');
    second.advance(29);
    assert.deepEqual(await runDueTimers(second), [], 'not due before the 30-minute timeout');
    second.advance(2);
    assert.deepEqual(await runDueTimers(second), ['approvalTimeout']);
    const record = (await second.deps.store.getElevation(id))?.value;
    assert.equal(record?.state, 'failed');
    assert.equal(record?.failure?.code, 'ApprovalExpired');
    assert.equal(record?.approval?.status, 'expired');
    assert.deepEqual(
      second.told.told.map((r) => r.failure?.code),
      ['ApprovalExpired'],
      'the requester is told',
    );
    assert.ok(
      second.told.channel.some((r) => r.id === id && r.state === 'failed'),
      'the security channel is told',
    );
    assert.ok(
      second.told.approvalCards.refreshed.some((r) => r.id === id),
      'the approval cards are updated',
    );
    const trail = await second.deps.audit.list();
    assert.ok(trail.some((e) => e.type === 'failed' && e.elevationId === id));
    // A decision after the expiry is refused, and nothing reached the tenant.
    const late = await decideApproval(second.deps, { elevationId: id, approverId: USERS.megan.id, approverName: 'Megan Bowen', decision: 'approve' });
    assert.deepEqual(late.kind === 'refused' ? late.reason : late.kind, 'expired');
    const activations = fixture.sim.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests'));
    assert.equal(activations.length, 0);
  });

  it('closes the activation window of an approved request that was never activated, across a restart', async () => {
    const first = instance('first');
    const id = await awaitingApproval(first);
    const approved = await decideApproval(first.deps, { elevationId: id, approverId: USERS.megan.id, approverName: 'Megan Bowen', decision: 'approve' });
    assert.equal(approved.kind === 'recorded' ? approved.record.approval?.status : approved.kind, 'approved');
    await first.store.close();

    const second = instance('second');
    second.advance(59);
    assert.deepEqual(await runDueTimers(second), [], 'the window is still open');
    second.advance(2);
    assert.deepEqual(await runDueTimers(second), ['approvalTimeout']);
    const record = (await second.deps.store.getElevation(id))?.value;
    assert.equal(record?.failure?.code, 'ApprovalLapsed');
    await second.signIn(USERS.adele.id);
    const tap = await activateApproved(second.deps, USERS.adele.id, id);
    assert.equal(tap.kind, 'notActivatable', 'Activate after the window does nothing');
  });

  it('activates within the window on the requester’s own token, once approved', async () => {
    const elevate = instance('only');
    const id = await awaitingApproval(elevate);
    await decideApproval(elevate.deps, { elevationId: id, approverId: USERS.megan.id, approverName: 'Megan Bowen', decision: 'approve' });
    elevate.advance(10);
    await elevate.signIn(USERS.adele.id);
    const started = await activateApproved(elevate.deps, USERS.adele.id, id);
    assert.equal(started.kind, 'started');
    assert.deepEqual(await elevate.timers.list(id), [], 'the window timer is gone once activation starts');
  });
});
