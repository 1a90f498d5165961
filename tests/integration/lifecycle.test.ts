import assert from 'node:assert/strict';
import { deactivateElevation } from '../../src/use-cases/deactivate-elevation.js';
import { endElevation } from '../../src/use-cases/end-elevation.js';
import { runElevation } from '../../src/use-cases/run-elevation.js';
import { startRequest } from '../../src/use-cases/start-request.js';
import { submitRequest } from '../../src/use-cases/submit-request.js';
import type { ElevationRecord } from '../../src/domain/elevation.js';
import { ENVIRONMENTS, ROLES, USERS } from '../simulator/tenant/seed.js';
import { SimulatorFixture } from './simulator-fixture.js';
import { InProcessElevate } from './support/in-process-elevate.js';
import { runDueTimers } from './support/run-due-timers.js';

describe('expiry lifecycle: reminders, expiry clean-up, deactivation', function () {
  this.timeout(30_000);
  const fixture = new SimulatorFixture();
  fixture.install();
  let elevate: InProcessElevate;

  beforeEach(() => {
    elevate = new InProcessElevate(fixture);
  });

  async function elevated(user: (typeof USERS)[keyof typeof USERS], environment: string, duration = 'PT1H'): Promise<ElevationRecord> {
    await elevate.signIn(user.id);
    const start = await startRequest(elevate.deps, { aadObjectId: user.id, tenantId: 't', name: user.name }, { environment });
    assert.equal(start.kind, 'draft');
    if (start.kind !== 'draft') throw new Error('no draft');
    const submitted = await submitRequest(
      elevate.deps,
      user.id,
      { requestId: start.record.id, roleId: ROLES.powerPlatformAdministrator, duration, justification: 'INC0012345 restore the flow' },
      { conversationId: 'a:1', activityId: '1' },
    );
    assert.equal(submitted.kind, 'started');
    const record = await runElevation(elevate.deps, start.record.id);
    assert.equal(record?.state, 'active', JSON.stringify(record?.failure));
    return record!;
  }

  const holds = async (userId: string, environment: { domainName: string }) =>
    (await elevate.deps.dataverse.systemAdministratorStatus(`${fixture.sim.baseUrl}/dataverse/${environment.domainName}`, userId)).held;

  it('drops a reminder missed by more than five minutes (the bot was down) instead of telling a time that is no longer true', async () => {
    await elevated(USERS.adele, 'Contoso Prod');

    elevate.advance(52);
    assert.deepEqual(await runDueTimers(elevate), ['reminder'], 'the 15-minute reminder ran, 7 minutes late');
    assert.equal(elevate.told.reminders.length, 0, 'and was dropped: "ends in 15 minutes" is no longer true');
    elevate.advance(4);
    assert.deepEqual(await runDueTimers(elevate), ['reminder']);
    assert.deepEqual(
      elevate.told.reminders.map((r) => r.minutesLeft),
      [4],
      'the 5-minute reminder, on time',
    );
  });

  it('reminds 15 and 5 minutes before expiry, then removes exactly the System Administrator role this elevation added', async () => {
    const record = await elevated(USERS.adele, 'Contoso Prod');
    assert.equal(await holds(USERS.adele.id, ENVIRONMENTS.contosoProd), true);

    elevate.advance(44);
    assert.deepEqual(await runDueTimers(elevate), []);
    elevate.advance(2);
    assert.deepEqual(await runDueTimers(elevate), ['reminder']);
    elevate.advance(10);
    assert.deepEqual(await runDueTimers(elevate), ['reminder']);
    assert.deepEqual(
      elevate.told.reminders.map((r) => r.minutesLeft),
      [14, 4],
    );

    elevate.advance(5);
    assert.deepEqual(await runDueTimers(elevate), ['expiry']);
    const ended = (await elevate.deps.store.getElevation(record.id))!.value;
    assert.equal(ended.state, 'ended');
    assert.equal(ended.ending?.systemAdminRemoved, true);
    assert.equal(await holds(USERS.adele.id, ENVIRONMENTS.contosoProd), false, 'the role this elevation added is gone');
    assert.equal(elevate.told.ended.length, 1, 'the requester is told');
    assert.ok(
      elevate.told.channel.some((r) => r.state === 'ended'),
      'the channel is told',
    );

    elevate.advance(5);
    assert.deepEqual(await runDueTimers(elevate), [], 'nothing runs twice');
    const deletes = fixture.sim.state.requests.filter((r) => r.service === 'dataverse' && r.method === 'DELETE');
    assert.equal(deletes.length, 1, 'one clean-up');
  });

  it('finds System Administrator already removed by Microsoft after the PIM end, records who removed it and removes nothing', async () => {
    fixture.sim.state.settings.systemAdministratorRemovalAfterPimEndMs = 0;
    const record = await elevated(USERS.adele, 'Contoso Prod');
    assert.equal(await holds(USERS.adele.id, ENVIRONMENTS.contosoProd), true);

    elevate.advance(61);
    assert.ok((await runDueTimers(elevate)).includes('expiry'));

    const ended = (await elevate.deps.store.getElevation(record.id))!.value;
    assert.equal(ended.state, 'ended');
    assert.equal(ended.ending?.systemAdminRemoved, false);
    assert.equal(ended.ending?.removedBy, 'someoneElse');
    assert.match(ended.ending?.note ?? '', /already gone.*Microsoft removes it when a PIM activation ends/);
    assert.equal(fixture.sim.state.tenant.dataverse['contosoprod']!.removedByMicrosoft?.length, 1, "the simulator's Microsoft removed it");
    const deletes = fixture.sim.state.requests.filter((r) => r.service === 'dataverse' && r.method === 'DELETE');
    assert.equal(deletes.length, 0, 'Dataverse was read first: nothing to delete');
    const cleaned = (await elevate.deps.audit.list()).find((e) => e.type === 'cleanedUp' && e.elevationId === record.id);
    assert.deepEqual([cleaned?.details['outcome'], cleaned?.details['removedBy']], ['alreadyGone', 'someoneElse']);
  });

  it('takes back its own clean-up after a restart at once, and records that it removed System Administrator before the restart', async () => {
    const record = await elevated(USERS.adele, 'Contoso Prod');
    const current = (await elevate.deps.store.getElevation(record.id))!;
    // The first boot took the clean-up and removed the role, then died before recording it.
    const leased = await elevate.deps.store.updateElevation(
      { ...current.value, cleanupLease: { owner: 'test#boot-1', until: new Date(elevate.deps.clock.now().getTime() + 5 * 60_000).toISOString() } },
      current.version,
    );
    await elevate.deps.dataverse.removeSystemAdministrator(`${fixture.sim.baseUrl}/dataverse/contosoprod`, USERS.adele.id);
    elevate.deps.settings.bootId = 'boot-2';

    const ended = await endElevation(elevate.deps, leased!, 'expired');

    assert.equal(ended?.state, 'ended', 'no wait for its own lease to run out');
    assert.equal(ended?.ending?.removedBy, 'elevate');
    assert.match(ended?.ending?.note ?? '', /by Elevate's clean-up, before Elevate restarted/);
    const cleaned = (await elevate.deps.audit.list()).filter((e) => e.type === 'cleanedUp' && e.elevationId === record.id);
    assert.deepEqual(
      cleaned.map((e) => e.details['outcome']),
      ['removedBeforeRestart'],
    );
  });

  it('leaves a live clean-up lease of another instance alone', async () => {
    const record = await elevated(USERS.adele, 'Contoso Prod');
    const current = (await elevate.deps.store.getElevation(record.id))!;
    const leased = await elevate.deps.store.updateElevation(
      { ...current.value, cleanupLease: { owner: 'bot-2#boot-9', until: new Date(elevate.deps.clock.now().getTime() + 5 * 60_000).toISOString() } },
      current.version,
    );

    const after = await endElevation(elevate.deps, leased!, 'expired');

    assert.equal(after?.state, 'active');
    assert.equal(await holds(USERS.adele.id, ENVIRONMENTS.contosoProd), true);
  });

  it('cleans up once when an expiry and a deactivation race for the same elevation', async () => {
    const record = await elevated(USERS.adele, ENVIRONMENTS.contosoProd.id);
    const current = (await elevate.deps.store.getElevation(record.id))!;
    const results = await Promise.all([endElevation(elevate.deps, current, 'expired'), endElevation(elevate.deps, current, 'deactivated')]);
    const entries = (await elevate.deps.audit.list()).filter((e) => e.elevationId === record.id);
    assert.equal(entries.filter((e) => e.type === 'cleanedUp').length, 1, 'one clean-up');
    assert.equal(entries.filter((e) => e.type === 'expired' || e.type === 'deactivated').length, 1, 'one ending');
    const removals = fixture.sim.state.requests.filter((r) => r.service === 'dataverse' && r.method === 'DELETE');
    assert.equal(removals.length, 1, 'System Administrator removed once');
    assert.equal((await elevate.deps.store.getElevation(record.id))?.value.state, 'ended');
    assert.equal(results.filter((r) => r?.state === 'ended').length, 1);
    assert.equal(await holds(USERS.adele.id, ENVIRONMENTS.contosoProd), false);
  });

  it('keeps System Administrator that was held before the elevation', async () => {
    const record = await elevated(USERS.alex, 'Contoso Dev');
    assert.equal(record.heldSystemAdminBefore, true);
    elevate.advance(61);
    await runDueTimers(elevate);
    const ended = (await elevate.deps.store.getElevation(record.id))!.value;
    assert.equal(ended.state, 'ended');
    assert.equal(ended.ending?.systemAdminRemoved, false);
    assert.equal(await holds(USERS.alex.id, ENVIRONMENTS.contosoDev), true, 'standing access stays');
  });

  it('follows an assignment that was extended instead of cleaning up', async () => {
    const record = await elevated(USERS.adele, 'Contoso Prod');
    const extendedTo = new Date(Date.parse(record.activeUntil!) + 60 * 60_000).toISOString();
    fixture.sim.state.tenant.assignments.filter((a) => a.principalId === USERS.adele.id).forEach((a) => (a.endDateTime = extendedTo));
    elevate.advance(61);
    await runDueTimers(elevate);
    const still = (await elevate.deps.store.getElevation(record.id))!.value;
    assert.equal(still.state, 'active');
    assert.equal(still.activeUntil, extendedTo);
    assert.equal(await holds(USERS.adele.id, ENVIRONMENTS.contosoProd), true);
    elevate.advance(61);
    await runDueTimers(elevate);
    assert.equal((await elevate.deps.store.getElevation(record.id))!.value.state, 'ended');
  });

  it('deactivates early: refused within 5 minutes with the time it becomes possible, then cleans up', async () => {
    const record = await elevated(USERS.adele, 'Contoso Prod');
    const early = await deactivateElevation(elevate.deps, USERS.adele.id, record.id);
    assert.equal(early.kind, 'tooSoon');
    elevate.advance(6);
    const outcome = await deactivateElevation(elevate.deps, USERS.adele.id, record.id);
    assert.equal(outcome.kind, 'ended');
    assert.equal(await holds(USERS.adele.id, ENVIRONMENTS.contosoProd), false);
    const pim = fixture.sim.state.requests.filter(
      (r) => r.service === 'graph' && r.method === 'POST' && (r.body as { action?: string })?.action === 'selfDeactivate',
    );
    assert.ok(pim.length >= 1 && pim.every((r) => r.token?.oid === USERS.adele.id), "selfDeactivate ran on the user's own token");
    elevate.advance(60);
    await runDueTimers(elevate);
    assert.equal(fixture.sim.state.requests.filter((r) => r.service === 'dataverse' && r.method === 'DELETE').length, 1, 'no second clean-up at expiry');
  });

  it('retries a failed clean-up with backoff and alerts the security channel after repeated failure', async () => {
    const record = await elevated(USERS.adele, 'Contoso Prod');
    elevate.advance(61);
    for (let i = 0; i < 3; i++) {
      fixture.sim.state.faults.push({ service: 'dataverse', method: 'DELETE', status: 500, times: 10 });
      await runDueTimers(elevate);
      elevate.advance(2);
    }
    assert.equal((await elevate.deps.store.getElevation(record.id))!.value.state, 'active', 'not marked ended while the role is still there');
    assert.equal(elevate.told.alerts.length >= 1, true, 'the channel was alerted');
    fixture.sim.state.faults.length = 0;
    await runDueTimers(elevate);
    assert.equal((await elevate.deps.store.getElevation(record.id))!.value.state, 'ended');
  });
});

describe('overlapping elevations in one environment', function () {
  this.timeout(30_000);
  const fixture = new SimulatorFixture();
  fixture.install();

  it('keeps System Administrator while another elevation there runs, and removes it when the last one ends', async () => {
    const elevate = new InProcessElevate(fixture);
    await elevate.signIn(USERS.adele.id);
    const run = async (duration: string) => {
      const start = await startRequest(elevate.deps, { aadObjectId: USERS.adele.id, tenantId: 't', name: USERS.adele.name }, { environment: 'Contoso Prod' });
      if (start.kind !== 'draft') throw new Error('no draft');
      await submitRequest(
        elevate.deps,
        USERS.adele.id,
        { requestId: start.record.id, roleId: ROLES.powerPlatformAdministrator, duration, justification: 'INC0012345 restore the flow' },
        { conversationId: 'a:1', activityId: '1' },
      );
      return (await runElevation(elevate.deps, start.record.id))!;
    };
    const first = await run('PT1H');
    const second = await run('PT1H');
    assert.equal(second.heldSystemAdminBefore, false, 'the second elevation knows the role came from the first, not standing access');
    const status = () =>
      elevate.deps.dataverse.systemAdministratorStatus(`${fixture.sim.baseUrl}/dataverse/${ENVIRONMENTS.contosoProd.domainName}`, USERS.adele.id);
    // The first ends while the second still runs (its end was moved later by hand).
    await elevate.deps.store.updateElevation(
      { ...second, activeUntil: new Date(Date.parse(second.activeUntil!) + 30 * 60_000).toISOString() },
      (await elevate.deps.store.getElevation(second.id))!.version,
    );
    const endedFirst = await endElevation(elevate.deps, (await elevate.deps.store.getElevation(first.id))!, 'expired');
    assert.equal(endedFirst?.ending?.systemAdminRemoved, false);
    assert.equal((await status()).held, true, 'still needed by the second elevation');
    const endedSecond = await endElevation(elevate.deps, (await elevate.deps.store.getElevation(second.id))!, 'expired');
    assert.equal(endedSecond?.ending?.systemAdminRemoved, true);
    assert.equal((await status()).held, false);
  });
});
