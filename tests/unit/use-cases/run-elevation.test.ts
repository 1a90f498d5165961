import assert from 'node:assert/strict';
import { HttpError, NotAnAdminError, ServiceUnavailableError, StepUpRequiredError } from '../../../src/domain/errors.js';
import { PimRequestError } from '../../../src/adapters/graph/pim-errors.js';
import { runElevation } from '../../../src/use-cases/run-elevation.js';
import { retryElevation } from '../../../src/use-cases/retry-elevation.js';
import { FakePim, FakePowerPlatform, fakeDeps, noDataverse, submitted, USER } from './fakes.js';

const pimError = (code: string, rules: string[] = []) => new PimRequestError(new HttpError(code, 400, code, 'graph-req-1', {}), rules);

describe('runElevation: every PIM and Power Platform outcome ends in a clear state', () => {
  const failures: {
    name: string;
    activate: () => Promise<never> | Promise<{ id: string; status: string; action: string; principalId: string; roleDefinitionId: string }>;
    code: RegExp;
    message: RegExp;
  }[] = [
    {
      name: 'PendingApproval',
      activate: async () => ({ id: 'r', status: 'PendingApproval', action: 'selfActivate', principalId: 'u', roleDefinitionId: 'x' }),
      code: /^PendingApproval$/,
      message: /approvers/,
    },
    {
      name: 'Denied',
      activate: async () => ({ id: 'r', status: 'Denied', action: 'selfActivate', principalId: 'u', roleDefinitionId: 'x' }),
      code: /PimDenied/,
      message: /Denied/,
    },
    {
      name: 'Failed',
      activate: async () => ({ id: 'r', status: 'Failed', action: 'selfActivate', principalId: 'u', roleDefinitionId: 'x' }),
      code: /PimFailed/,
      message: /Failed/,
    },
    {
      name: 'a failed policy rule',
      activate: () => Promise.reject(pimError('RoleAssignmentRequestPolicyValidationFailed', ['JustificationRule', 'TicketingRule'])),
      code: /PolicyValidationFailed/,
      message: /JustificationRule, TicketingRule/,
    },
    { name: 'ActiveDurationTooShort', activate: () => Promise.reject(pimError('ActiveDurationTooShort')), code: /ActiveDurationTooShort/, message: /5-minute/ },
    {
      name: 'an authentication context demand',
      activate: () => Promise.reject(pimError('RoleAssignmentRequestAcrsValidationFailed')),
      code: /Acrs/,
      message: /stronger sign-in/,
    },
    {
      name: 'a 403',
      activate: () => Promise.reject(new HttpError('no', 403, 'Authorization_RequestDenied', 'g', {})),
      code: /Authorization_RequestDenied/,
      message: /refused/,
    },
    { name: 'a step-up demand', activate: () => Promise.reject(new StepUpRequiredError('mfa', '{}', 'mfa')), code: /StepUpRequired/, message: /sign-in/ },
  ];
  for (const { name, activate, code, message } of failures) {
    it(`fails with a clear message when PIM answers ${name}`, async () => {
      const pim = new FakePim();
      pim.activate = activate as FakePim['activate'];
      const deps = fakeDeps(pim, new FakePowerPlatform());
      await submitted(deps);
      const record = await runElevation(deps, 'elevation-1');
      assert.equal(record?.state, 'failed');
      assert.match(record?.failure?.code ?? '', code);
      assert.match(record?.failure?.message ?? '', message);
      assert.ok(record?.failure?.hint, 'always says what to do');
    });
  }

  it("keeps PIM's request and approval ids when the role's PIM policy needs approvers", async () => {
    const pim = new FakePim();
    pim.activate = async () => ({
      id: 'req-9',
      status: 'PendingApproval',
      action: 'selfActivate',
      principalId: 'u',
      roleDefinitionId: 'x',
      approvalId: 'approval-9',
    });
    const deps = fakeDeps(pim, new FakePowerPlatform());
    await submitted(deps);

    const record = await runElevation(deps, 'elevation-1');

    assert.equal(record?.state, 'failed');
    assert.deepEqual(
      { code: record?.failure?.code, pimApprovalId: record?.pimApprovalId, pimRequestId: record?.pimRequestId, pimStatus: record?.pimStatus },
      { code: 'PendingApproval', pimApprovalId: 'approval-9', pimRequestId: 'req-9', pimStatus: 'PendingApproval' },
    );
    assert.equal((await deps.store.getElevation('elevation-1'))?.value.pimApprovalId, 'approval-9', 'saved with the failure');
  });

  it('treats RoleAssignmentExists as an active role and goes on to Power Platform', async () => {
    const pim = new FakePim();
    // Activated elsewhere (the portal, another client) between Elevate's check and its request.
    pim.activate = () => {
      pim.active = pim.activatesTo;
      return Promise.reject(pimError('RoleAssignmentExists'));
    };
    const pp = new FakePowerPlatform();
    const deps = fakeDeps(pim, pp);
    await submitted(deps);
    const record = await runElevation(deps, 'elevation-1');
    assert.equal(record?.state, 'active');
    assert.equal(pp.calls, 1);
  });

  it('does not activate again when the role is already active: PIM answers RoleAssignmentExists, and Elevate goes on', async () => {
    const pim = new FakePim();
    pim.active = pim.activatesTo;
    const deps = fakeDeps(pim, new FakePowerPlatform());
    await submitted(deps);
    const record = await runElevation(deps, 'elevation-1');
    assert.equal(record?.state, 'active');
    assert.equal(record?.activeUntil, '2026-11-22T10:00:00.000Z', 'the end read from the assignment');
    assert.deepEqual(pim.requests, [], 'PIM accepted no second activation');
  });

  it('hands "not ... admin" after activation to the durable Power Platform wait instead of failing', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [() => Promise.reject(new NotAnAdminError('not yet', 'c1'))];
    const deps = fakeDeps(new FakePim(), pp);
    await submitted(deps);
    const record = await runElevation(deps, 'elevation-1');
    assert.equal(record?.state, 'elevating');
    assert.equal(record?.propagation?.attempts, 1);
    assert.equal(pp.calls, 1, 'one try per run; the timer makes the next one');
  });

  it('succeeds at once when Power Platform already sees the role, without a wait', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [async () => ({ code: 'UserExists', details: [], correlationId: 'pp-9' })];
    const deps = fakeDeps(new FakePim(), pp);
    await submitted(deps);
    const record = await runElevation(deps, 'elevation-1');
    assert.equal(record?.state, 'active');
    assert.equal(record?.ppCorrelationId, 'pp-9');
    assert.equal(record?.propagation, undefined);
  });

  it('times out waiting for PIM with a message naming what to check', async () => {
    const pim = new FakePim();
    pim.activatesTo = [];
    const deps = fakeDeps(pim, new FakePowerPlatform());
    await submitted(deps);
    const record = await runElevation(deps, 'elevation-1');
    assert.equal(record?.failure?.code, 'PimActivationTimeout');
  });

  it('records the activation end and schedules reminders and expiry', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    await submitted(deps);
    const record = await runElevation(deps, 'elevation-1');
    assert.equal(record?.activeUntil, '2026-11-22T10:00:00.000Z');
    const kinds = (await deps.timers.list('elevation-1')).map((t) => `${t.kind}:${t.payload['minutesBefore'] ?? ''}`).sort();
    assert.deepEqual(kinds, ['expiry:', 'reminder:15', 'reminder:5']);
  });
});

describe('runElevation: nothing granted is left without an end', () => {
  it("ends Elevate's grant after the requested duration when the PIM assignment has no end", async () => {
    const pim = new FakePim();
    pim.activatesTo = [{ id: 'i-1', roleDefinitionId: pim.activatesTo[0]!.roleDefinitionId, directoryScopeId: '/', endDateTime: null }];
    const deps = fakeDeps(pim, new FakePowerPlatform());
    await submitted(deps);
    const record = await runElevation(deps, 'elevation-1');
    assert.equal(record?.activeUntil, '2026-11-22T09:00:00.000Z', 'now + PT1H');
    assert.ok((await deps.timers.list('elevation-1')).some((t) => t.kind === 'expiry' && t.dueAt === '2026-11-22T09:00:00.000Z'));
  });

  it('schedules a clean-up when the Power Platform step fails, since the grant may have landed', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [() => Promise.reject(new HttpError('timeout', 504, undefined, 'pp', {}))];
    const deps = fakeDeps(new FakePim(), pp);
    await submitted(deps);
    const record = await runElevation(deps, 'elevation-1');
    assert.equal(record?.state, 'failed');
    const expiry = (await deps.timers.list('elevation-1')).find((t) => t.kind === 'expiry');
    assert.equal(expiry?.payload['afterFailure'], true);
  });
});

describe('runElevation: no ambiguous outcome (an answer lost after the service acted)', () => {
  const lost = () =>
    new ServiceUnavailableError('POST 10.0.0.7:443/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests timed out after 1 attempt(s).');

  it('continues from what PIM received when the answer to the activation was lost: one request, active in the end', async () => {
    const pim = new FakePim();
    pim.activate = async () => ({
      id: 'req-1',
      status: 'Provisioned',
      action: 'selfActivate',
      principalId: 'u',
      roleDefinitionId: pim.activatesTo[0]!.roleDefinitionId,
      createdDateTime: '2026-11-22T08:00:00.000Z',
    });
    pim.loseAnswer = lost();
    const deps = fakeDeps(pim, new FakePowerPlatform());
    await submitted(deps);

    const record = await runElevation(deps, 'elevation-1');

    assert.equal(record?.state, 'active');
    assert.equal(record?.pimRequestId, 'req-1');
    assert.equal(pim.selfActivateCalls, 1);
  });

  it('says plainly that a service did not answer, without hosts or socket codes, when PIM has no such request', async () => {
    const pim = new FakePim();
    pim.activate = () => Promise.reject(lost());
    const deps = fakeDeps(pim, new FakePowerPlatform());
    await submitted(deps);

    const record = await runElevation(deps, 'elevation-1');

    assert.equal(record?.state, 'failed');
    assert.equal(record?.failure?.code, 'ServiceDidNotAnswer');
    assert.doesNotMatch(JSON.stringify(record?.failure), /10\.0\.0\.7|:443|timed out after|ECONN/);
    assert.match(record?.failure?.hint ?? '', /never activates the role twice/);
  });

  it('reads Dataverse when the answer of applyAdminRole was lost: the grant landed, so the elevation is active', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [() => Promise.reject(new HttpError('HTTP 504', 504, undefined, 'pp', {}))];
    let granted = false;
    const deps = fakeDeps(new FakePim(), pp, {
      dataverse: { ...noDataverse, systemAdministratorStatus: async () => ({ held: granted }) },
    });
    await submitted(deps);
    pp.answers = [
      () => {
        granted = true;
        return Promise.reject(new HttpError('HTTP 504', 504, undefined, 'pp', {}));
      },
    ];

    const record = await runElevation(deps, 'elevation-1');

    assert.equal(record?.heldSystemAdminBefore, false);
    assert.equal(record?.state, 'active');
  });

  it('writes one `activated` entry when a retry finds the role already active', async () => {
    const pp = new FakePowerPlatform();
    pp.answers = [() => Promise.reject(new HttpError('HTTP 400', 400, 'BadRequest', 'pp', {})), async () => ({ code: 'UserExists', details: [] })];
    const pim = new FakePim();
    const deps = fakeDeps(pim, pp);
    await submitted(deps);
    assert.equal((await runElevation(deps, 'elevation-1'))?.state, 'failed');

    assert.equal((await retryElevation(deps, USER, 'elevation-1')).kind, 'restarted');
    assert.equal((await runElevation(deps, 'elevation-1'))?.state, 'active');

    const activated = (await deps.audit.list()).filter((e) => e.type === 'activated');
    assert.equal(activated.length, 1);
    assert.equal(pim.requests.length, 1, 'one activation PIM accepted');
  });
});
