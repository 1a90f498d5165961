import assert from 'node:assert/strict';
import { RBAC_CONTRIBUTOR, RBAC_OWNER } from '../../../../src/domain/rbac.js';
import type { RbacGrantRecord } from '../../../../src/domain/rbac-grant.js';
import type { DurableTimer } from '../../../../src/ports/timer-store.js';
import { assignGrant } from '../../../../src/use-cases/grants/assign-grant.js';
import { decideGrant } from '../../../../src/use-cases/grants/decide-grant.js';
import { endGrant } from '../../../../src/use-cases/grants/end-grant.js';
import { getGrant } from '../../../../src/use-cases/grants/grant-store.js';
import { deactivateGrant, listGrants } from '../../../../src/use-cases/grants/grant-status.js';
import { parseGrant, type CompleteGrantCommand } from '../../../../src/domain/grant-command.js';
import { requestGrant } from '../../../../src/use-cases/grants/request-grant.js';
import { ADELE, ALEX, FakeRbac, grantDeps, httpError, MEGAN, PROD } from './grant-fakes.js';
import { ServiceUnavailableError } from '../../../../src/domain/errors.js';

const timer = (grantId: string, attempts = 0): DurableTimer => ({
  id: `rbac-assign:${grantId}`,
  kind: 'rbacAssign',
  subject: grantId,
  dueAt: '',
  attempts,
  payload: {},
});

async function requested(setup: ReturnType<typeof grantDeps>, text: string, activityId = 'act-1'): Promise<RbacGrantRecord> {
  const command = parseGrant(text, new Date()) as CompleteGrantCommand;
  const outcome = await requestGrant(setup.deps, {
    requester: { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' },
    command,
    userToken: async () => 'token',
    activityId,
    conversationId: 'a:adele',
  });
  assert.equal(outcome.kind, 'requested');
  return (outcome as { grant: RbacGrantRecord }).grant;
}

const stored = async (setup: ReturnType<typeof grantDeps>, id: string) => (await getGrant(setup.deps.store, id))!.value;

describe('use cases: a grant from assignment to removal', () => {
  it('assigns once, schedules expiry and reminders, and removes the assignment at expiry', async () => {
    const rbac = new FakeRbac();
    const setup = grantDeps(rbac);
    const grant = await requested(setup, 'me contributor on Contoso Prod for 1h because CHG-7 deploy');

    assert.equal(await assignGrant(setup.deps, timer(grant.id)), 'done');
    assert.equal(await assignGrant(setup.deps, timer(grant.id)), 'done', 'a second run (duplicate timer) does nothing');
    const active = await stored(setup, grant.id);
    assert.equal(rbac.creates, 1);
    assert.deepEqual([active.state, active.preExisting, active.existingBefore], ['active', false, []]);
    // The assignment's own timer is completed by the scheduler, which this test does not run.
    assert.deepEqual((await setup.deps.timers.list(grant.id)).map((t) => t.kind).sort(), ['rbacAssign', 'rbacExpire', 'rbacReminder', 'rbacReminder']);

    const ended = await endGrant(setup.deps, grant.id, 'expired');
    assert.equal(ended.kind === 'ended' && ended.grant.ending?.removed, true);
    assert.equal(rbac.assignments.length, 0);
    assert.deepEqual(setup.notices.told.requester, ['active', 'ended']);
  });

  it('records a pre-existing assignment and leaves it in place at expiry', async () => {
    const rbac = new FakeRbac();
    rbac.add(ADELE, RBAC_CONTRIBUTOR, { kind: 'environment', id: PROD.id });
    const setup = grantDeps(rbac);
    const grant = await requested(setup, 'me contributor on Contoso Prod for 1h because CHG-7 deploy');

    await assignGrant(setup.deps, timer(grant.id));
    const ended = await endGrant(setup.deps, grant.id, 'expired');

    assert.equal(rbac.creates, 0);
    assert.equal(ended.kind === 'ended' && ended.grant.preExisting, true);
    assert.equal(rbac.assignments.length, 1, 'still there');
  });

  it('reads back after a timeout and a 409 instead of creating twice', async () => {
    const rbac = new FakeRbac();
    rbac.createsThatTimeOutAfterWriting = 1;
    const setup = grantDeps(rbac);
    const grant = await requested(setup, 'me reader on Contoso Prod for 1h because look around');
    assert.equal(await assignGrant(setup.deps, timer(grant.id)), 'done');
    assert.equal((await stored(setup, grant.id)).state, 'active');
    assert.equal(rbac.assignments.length, 1);

    const other = grantDeps(new FakeRbac());
    const second = await requested(other, 'me reader on Contoso Prod for 1h because look around');
    const fake = other.deps.rbac as FakeRbac;
    fake.createFailures.push(httpError(409, 'RoleAssignmentAlreadyExists'));
    // A 409 with nothing to read back yet: tried again later.
    const outcome = await assignGrant(other.deps, timer(second.id));
    assert.ok(typeof outcome === 'object' && outcome.countAttempt === true);
  });

  it('fails in words on 400 InvalidScope, 400 PrincipalNotFound and 403, and gives up after repeated timeouts', async () => {
    for (const [error, code] of [
      [httpError(400, 'InvalidScope'), 'InvalidScope'],
      [httpError(400, 'PrincipalNotFound'), 'PrincipalNotFound'],
      [httpError(403, 'Forbidden'), 'RbacIdentityNotAllowed'],
    ] as const) {
      const rbac = new FakeRbac();
      rbac.createFailures.push(error);
      const setup = grantDeps(rbac);
      const grant = await requested(setup, 'me reader on Contoso Prod for 1h because look around');
      await assignGrant(setup.deps, timer(grant.id));
      const failed = await stored(setup, grant.id);
      assert.deepEqual([failed.state, failed.failure?.code], ['failed', code]);
      assert.ok((failed.failure?.message.length ?? 0) > 20);
    }
    const rbac = new FakeRbac();
    rbac.createFailures.push(new ServiceUnavailableError('timed out'), new ServiceUnavailableError('timed out'), new ServiceUnavailableError('timed out'));
    const setup = grantDeps(rbac);
    const grant = await requested(setup, 'me reader on Contoso Prod for 1h because look around');
    assert.equal(typeof (await assignGrant(setup.deps, timer(grant.id, 0))), 'object');
    assert.equal(typeof (await assignGrant(setup.deps, timer(grant.id, 1))), 'object');
    assert.equal(await assignGrant(setup.deps, timer(grant.id, 2)), 'done');
    assert.equal((await stored(setup, grant.id)).failure?.code, 'NoAnswer');
  });

  it('treats a removal answered 404 as done, and alerts the security channel once when removal keeps failing', async () => {
    const rbac = new FakeRbac();
    const setup = grantDeps(rbac);
    const grant = await requested(setup, 'me reader on Contoso Prod for 1h because look around');
    await assignGrant(setup.deps, timer(grant.id));
    rbac.deleteFailures.push(httpError(500), httpError(500), httpError(500), httpError(500));
    for (let i = 0; i < 4; i++) assert.equal((await endGrant(setup.deps, grant.id, 'expired')).kind, 'removalFailed');
    assert.equal(setup.notices.told.alerts.length, 1);
    rbac.assignments = [];
    const ended = await endGrant(setup.deps, grant.id, 'expired');
    assert.equal(ended.kind === 'ended' && ended.grant.ending?.note, 'The role assignment was already gone.');
  });

  it('records exactly N approvals from racing approvers, refuses self-approval, and assigns once', async () => {
    const rbac = new FakeRbac();
    const setup = grantDeps(rbac);
    const grant = await requested(setup, 'me owner on Contoso Prod for 1h because restore INC0012345');
    const self = await decideGrant(setup.deps, { grantId: grant.id, approverId: ADELE, approverName: 'Adele', decision: 'approve' });
    const votes = await Promise.all(
      [MEGAN, ALEX, MEGAN, ALEX].map((id) => decideGrant(setup.deps, { grantId: grant.id, approverId: id, approverName: id, decision: 'approve' })),
    );
    const after = await stored(setup, grant.id);

    assert.equal(self.kind === 'refused' && self.reason, 'selfApproval');
    assert.equal(votes.filter((v) => v.kind === 'recorded').length, 2);
    assert.deepEqual([after.state, after.approval?.votes.length, after.role.id], ['assigning', 2, RBAC_OWNER]);
    assert.deepEqual(
      (await setup.deps.timers.list(grant.id)).map((t) => t.kind),
      ['rbacAssign'],
    );
  });

  it('ends an active grant early on deactivate, only for its requester, and lists it in status', async () => {
    const rbac = new FakeRbac();
    const setup = grantDeps(rbac);
    const grant = await requested(setup, 'me reader on Contoso Prod for 1h because look around');
    await assignGrant(setup.deps, timer(grant.id));
    assert.equal((await deactivateGrant(setup.deps, MEGAN, grant.id)).kind, 'notYours');
    const outcome = await deactivateGrant(setup.deps, ADELE);
    const listed = await listGrants(setup.deps, ADELE);

    assert.equal(outcome.kind === 'ended' && outcome.grant.ending?.reason, 'deactivated');
    assert.deepEqual(
      (await setup.deps.timers.list(grant.id)).filter((t) => t.kind !== 'rbacAssign'),
      [],
    );
    assert.deepEqual(
      listed.map((g) => g.state),
      ['ended'],
    );
  });
});
