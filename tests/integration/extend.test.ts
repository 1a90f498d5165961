import assert from 'node:assert/strict';
import { extendElevation } from '../../src/use-cases/extend-elevation.js';
import { applyApprovedExtension } from '../../src/use-cases/extension-approval.js';
import { decideApproval } from '../../src/use-cases/request-approval.js';
import { runElevation } from '../../src/use-cases/run-elevation.js';
import { startRequest } from '../../src/use-cases/start-request.js';
import { submitRequest } from '../../src/use-cases/submit-request.js';
import type { ElevatePolicy } from '../../src/domain/elevate-policy.js';
import type { ElevationRecord } from '../../src/domain/elevation.js';
import { ENVIRONMENTS, ROLES, USERS } from '../simulator/tenant/seed.js';
import { SimulatorFixture } from './simulator-fixture.js';
import { InProcessElevate } from './support/in-process-elevate.js';
import { runDueTimers } from './support/run-due-timers.js';

describe('extending an elevation (issue #16)', function () {
  this.timeout(30_000);
  const fixture = new SimulatorFixture();
  fixture.install();

  async function elevated(elevate: InProcessElevate, duration = 'PT1H'): Promise<ElevationRecord> {
    await elevate.signIn(USERS.adele.id);
    const start = await startRequest(elevate.deps, { aadObjectId: USERS.adele.id, tenantId: 't', name: USERS.adele.name }, { environment: 'Contoso Prod' });
    if (start.kind !== 'draft') throw new Error(`no draft: ${start.kind}`);
    const submitted = await submitRequest(
      elevate.deps,
      USERS.adele.id,
      { requestId: start.record.id, roleId: ROLES.powerPlatformAdministrator, duration, justification: 'INC0012345 restore the flow' },
      { conversationId: 'a:1', activityId: '1' },
    );
    assert.equal(submitted.kind, 'started');
    const record = await runElevation(elevate.deps, start.record.id);
    assert.equal(record?.state, 'active', JSON.stringify(record?.failure));
    return record!;
  }
  const holds = async (elevate: InProcessElevate) =>
    (await elevate.deps.dataverse.systemAdministratorStatus(`${fixture.sim.baseUrl}/dataverse/${ENVIRONMENTS.contosoProd.domainName}`, USERS.adele.id)).held;
  const pimEnd = async (elevate: InProcessElevate) => {
    const instances = await elevate.deps.pim.listAssignmentsOf(
      elevate.deps.tokens.forApp(elevate.deps.settings.graphResource),
      USERS.adele.id,
      ROLES.powerPlatformAdministrator,
    );
    return Math.max(...instances.map((i) => Date.parse(i.endDateTime ?? '')));
  };
  const stored = async (elevate: InProcessElevate, id: string) => (await elevate.deps.store.getElevation(id))!.value;

  it('extends by deactivating and activating again where PIM refuses a start at the current end, and gives System Administrator back when Microsoft removed it', async () => {
    fixture.sim.state.settings.systemAdministratorRemovalAfterPimEndMs = 0;
    const elevate = new InProcessElevate(fixture);
    const record = await elevated(elevate);
    elevate.advance(10);
    // PIM provisions the new activation 90 s later: Microsoft removes System Administrator in between.
    fixture.sim.state.settings.activationDelayMs = 90_000;
    const outcome = await extendElevation(elevate.deps, { tapperId: USERS.adele.id, minutes: 60 });
    assert.equal(outcome.kind, 'extended', JSON.stringify(outcome));
    const extended = await stored(elevate, record.id);
    // What was left is rounded up to whole minutes for PIM, so the new end is at most a minute past the hour.
    const added = Date.parse(extended.activeUntil!) - Date.parse(record.activeUntil!);
    assert.ok(added >= 60 * 60_000 && added < 61 * 60_000, `one hour more (${added} ms)`);
    assert.equal(extended.extensions?.[0]?.path, 'reactivated');

    elevate.advance(1);
    assert.deepEqual(await runDueTimers(elevate), ['keepSystemAdmin'], 'the first check after the PIM change');
    assert.equal(await holds(elevate), false, 'Microsoft removed it while the new activation was being provisioned');
    elevate.advance(1);
    await runDueTimers(elevate);
    fixture.sim.state.settings.activationDelayMs = 0;
    assert.ok(Math.abs((await pimEnd(elevate)) - Date.parse(extended.activeUntil!)) < 2 * 60_000, 'PIM ends then too');
    assert.equal(await holds(elevate), true, `System Administrator is there again (re-applied on the requester’s token)`);
    assert.ok(fixture.sim.state.requests.filter((r) => r.service === 'powerplatform' && r.path.includes('applyAdminRole')).length >= 2);

    elevate.advance(55);
    await runDueTimers(elevate);
    assert.equal((await stored(elevate, record.id)).state, 'active', 'the old end passed: still active');
    assert.equal(await holds(elevate), true);
    elevate.advance(60);
    await runDueTimers(elevate);
    assert.equal((await stored(elevate, record.id)).state, 'ended', 'ends at the new end');
    fixture.sim.state.settings.systemAdministratorRemovalAfterPimEndMs = -1;
  });

  it('extends with a new activation that starts as the current one ends where PIM accepts it: no gap, no deactivation', async () => {
    fixture.sim.state.settings.activationAfterCurrentEnd = 'accept';
    try {
      const elevate = new InProcessElevate(fixture);
      const record = await elevated(elevate);
      elevate.advance(50);
      const outcome = await extendElevation(elevate.deps, { tapperId: USERS.adele.id, elevationId: record.id, from: record.activeUntil!, minutes: 30 });
      assert.equal(outcome.kind, 'extended', JSON.stringify(outcome));
      assert.equal((await stored(elevate, record.id)).extensions?.[0]?.path, 'scheduled');
      assert.equal(
        fixture.sim.state.requests.filter((r) => r.service === 'graph' && r.method === 'POST' && String(r.body ?? '').includes('selfDeactivate')).length,
        0,
        'nothing deactivated',
      );
      const again = await extendElevation(elevate.deps, { tapperId: USERS.adele.id, elevationId: record.id, from: record.activeUntil!, minutes: 30 });
      assert.equal(again.kind, 'alreadyExtended', 'a double tap for the same end extends once');
      elevate.advance(11);
      await runDueTimers(elevate);
      assert.equal((await stored(elevate, record.id)).state, 'active');
      assert.equal(await holds(elevate), true, 'System Administrator kept across the old end');
      elevate.advance(30);
      await runDueTimers(elevate);
      assert.equal((await stored(elevate, record.id)).state, 'ended');
      assert.equal(await holds(elevate), false);
    } finally {
      fixture.sim.state.settings.activationAfterCurrentEnd = 'refuse';
    }
  });

  it('ends the elevation at once and alerts when PIM takes neither the longer activation nor the time that was left (the role’s PIM policy changed meanwhile)', async () => {
    const elevate = new InProcessElevate(fixture);
    const record = await elevated(elevate);
    // The role's PIM policy starts requiring a ticket: PIM refuses every activation without one, after the deactivation too.
    const policy = fixture.sim.state.tenant.policies.find((p) => p.roleDefinitionId === ROLES.powerPlatformAdministrator)!;
    policy.enabledRules = [...policy.enabledRules, 'Ticketing'];
    elevate.advance(10);
    const outcome = await extendElevation(elevate.deps, { tapperId: USERS.adele.id, minutes: 60 });
    assert.equal(outcome.kind === 'refused' && outcome.reason, 'pimRoleLost', JSON.stringify(outcome));
    const marked = await stored(elevate, record.id);
    assert.match(
      marked.pimRoleLost?.detail ?? '',
      /RoleAssignmentRequestPolicyValidationFailed.*giving back what was left: RoleAssignmentRequestPolicyValidationFailed/,
    );
    assert.equal(await pimEnd(elevate), -Infinity, 'PIM has no activation of the role');
    assert.deepEqual(elevate.told.alerts, [`pimRoleLost from ${record.activeUntil}`]);
    const anomaly = (await elevate.deps.audit.list()).find((e) => e.type === 'extensionAnomaly');
    assert.equal(anomaly?.details['anomaly'], 'pimRoleLost');

    assert.deepEqual(await runDueTimers(elevate), ['expiry'], 'the clean-up runs at once, not at the old end');
    const ended = await stored(elevate, record.id);
    assert.equal(ended.state, 'ended');
    assert.equal(ended.ending?.systemAdminRemoved, true);
    assert.equal(await holds(elevate), false, 'System Administrator is gone with the PIM role');
  });

  it('refuses an extension beyond the policy with the reason and what is left, and a second one past the count', async () => {
    const policy: ElevatePolicy = { defaults: { maximumExtensions: 1, maximumExtensionTotal: 'PT1H' }, rules: [] };
    const elevate = new InProcessElevate(fixture, { policy });
    await elevated(elevate);
    elevate.advance(10);
    const tooMuch = await extendElevation(elevate.deps, { tapperId: USERS.adele.id, minutes: 120 });
    assert.equal(tooMuch.kind, 'refused');
    if (tooMuch.kind === 'refused') assert.deepEqual([tooMuch.reason, tooMuch.left], ['totalExceeded', { count: 1, minutes: 60 }]);
    assert.equal((await extendElevation(elevate.deps, { tapperId: USERS.adele.id, minutes: 30 })).kind, 'extended');
    const second = await extendElevation(elevate.deps, { tapperId: USERS.adele.id, minutes: 10 });
    assert.equal(second.kind === 'refused' && second.reason, 'countExhausted');
  });

  it('never extends break glass, and refuses a tap by someone else', async () => {
    const elevate = new InProcessElevate(fixture);
    const record = await elevated(elevate);
    const current = (await elevate.deps.store.getElevation(record.id))!;
    await elevate.deps.store.updateElevation({ ...current.value, breakGlass: true }, current.version);
    const outcome = await extendElevation(elevate.deps, { tapperId: USERS.adele.id, elevationId: record.id });
    assert.equal(outcome.kind === 'refused' && outcome.reason, 'breakGlass');
    assert.equal((await extendElevation(elevate.deps, { tapperId: USERS.megan.id, elevationId: record.id })).kind, 'notYours');
  });

  it('asks for approval again where the policy says so, and applies the approved extension on Activate', async () => {
    const approval = { required: true, approverGroupIds: [], approverUserIds: [USERS.nestor.id], approvalsRequired: 1, pendingTimeoutMinutes: 60 };
    const policy: ElevatePolicy = {
      defaults: { extensionApproval: true },
      rules: [{ name: 'extensions', match: { environmentTypes: ['Sandbox'] }, approval }],
    };
    const withApprover: ElevatePolicy = { ...policy, defaults: { ...policy.defaults, approval: { ...approval, required: false } } };
    const elevate = new InProcessElevate(fixture, { policy: withApprover });
    const record = await elevated(elevate);
    elevate.advance(10);
    const asked = await extendElevation(elevate.deps, { tapperId: USERS.adele.id, minutes: 30 });
    assert.equal(asked.kind, 'approvalRequested', JSON.stringify(asked));
    if (asked.kind !== 'approvalRequested') return;
    assert.equal((await stored(elevate, record.id)).activeUntil, record.activeUntil, 'nothing moves before approval');
    const vote = await decideApproval(elevate.deps, {
      elevationId: asked.request.id,
      approverId: USERS.nestor.id,
      approverName: USERS.nestor.name,
      decision: 'approve',
    });
    assert.equal(vote.kind, 'recorded', JSON.stringify(vote.kind === 'refused' ? vote.reason : vote.kind));
    const applied = await applyApprovedExtension(elevate.deps, USERS.adele.id, asked.request.id);
    assert.equal(applied.kind, 'extended', JSON.stringify(applied));
    const added = Date.parse((await stored(elevate, record.id)).activeUntil!) - Date.parse(record.activeUntil!);
    assert.ok(added >= 30 * 60_000 && added < 31 * 60_000, `half an hour more (${added} ms)`);
    assert.equal((await stored(elevate, record.id)).extensions?.[0]?.approvedRequestId, asked.request.id);
    const twice = await applyApprovedExtension(elevate.deps, USERS.adele.id, asked.request.id);
    assert.equal(twice.kind, 'notActivatable', 'an approved extension is applied once');
  });

  it('overlapping elevations: the first one’s expiry keeps System Administrator for the extended second, which removes it when it ends', async () => {
    const elevate = new InProcessElevate(fixture);
    const first = await elevated(elevate);
    const second = await elevated(elevate);
    elevate.advance(10);
    assert.equal((await extendElevation(elevate.deps, { tapperId: USERS.adele.id, elevationId: second.id, minutes: 60 })).kind, 'extended');
    elevate.advance(51);
    await runDueTimers(elevate);
    const firstNow = await stored(elevate, first.id);
    assert.equal(firstNow.state, 'ended', 'the first ends at its own end, not at the PIM end the second one’s extension made');
    assert.equal(firstNow.ending?.systemAdminRemoved, false);
    assert.equal(await holds(elevate), true, 'still there for the second');
    elevate.advance(60);
    await runDueTimers(elevate);
    const secondNow = await stored(elevate, second.id);
    assert.equal(secondNow.state, 'ended');
    assert.equal(secondNow.ending?.systemAdminRemoved, true);
    assert.equal(await holds(elevate), false);
  });
});
