import assert from 'node:assert/strict';
import { HttpError, SignInRequiredError } from '../../../src/domain/errors.js';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import type { TokenBroker } from '../../../src/ports/token-broker.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import {
  decidePimApproval,
  PIM_APPROVAL_APPROVED,
  PIM_APPROVAL_DENIED,
  PIM_APPROVAL_PENDING,
  type PimDecisionInput,
} from '../../../src/use-cases/decide-pim-approval.js';
import { retryElevation } from '../../../src/use-cases/retry-elevation.js';
import { runElevation } from '../../../src/use-cases/run-elevation.js';
import { rejection } from '../../support/rejection.js';
import { FakePim, FakePowerPlatform, USER, fakeDeps, signedIn, storedElevation } from './fakes.js';

const MEGAN = 'a0000000-0000-4000-8000-0000000e6a00';
const LEE = 'a0000000-0000-4000-8000-0000000001ee';
const APPROVAL = 'approval-1';

/** Adele's PIM request waits for PIM approvers (Megan); the token broker counts who asked for a token. */
async function pending(changes: Partial<ElevationRecord> = {}) {
  const pim = new FakePim();
  pim.approverIds.add(MEGAN);
  pim.approvals.set(APPROVAL, { requesterId: USER, steps: [{ id: 'step-1', status: 'InProgress', reviewResult: 'NotReviewed', reviewedBy: null }] });
  const tokenRequests: string[] = [];
  const tokens: TokenBroker = {
    ...signedIn,
    forUser: (id, resource) => {
      tokenRequests.push(id);
      return signedIn.forUser(id, resource);
    },
  };
  const deps = fakeDeps(pim, new FakePowerPlatform(), { tokens });
  await storedElevation(deps, 'failed', {
    pimRequestId: 'req-1',
    pimApprovalId: APPROVAL,
    failure: { code: PIM_APPROVAL_PENDING, message: "PIM sent request req-1 to the role's approvers", hint: 'retry' },
    ...changes,
  });
  return { pim, deps, tokenRequests };
}

const input = (changes: Partial<PimDecisionInput> = {}): PimDecisionInput => ({
  elevationId: 'elevation-1',
  approverId: MEGAN,
  approverName: 'Megan Bowen',
  decision: 'approve',
  ...changes,
});
const stored = async (deps: ElevationDeps) => (await deps.store.getElevation('elevation-1'))!.value;
const audits = async (deps: ElevationDeps) => (await deps.audit.list()).map((e) => ({ type: e.type, actor: e.actor?.aadObjectId, details: e.details }));

describe('decidePimApproval: a PIM approver decides from Teams with their own token', () => {
  it("approves the open step with the approver's token and a justification naming them", async () => {
    const { pim, deps, tokenRequests } = await pending();

    const outcome = await decidePimApproval(deps, input());

    assert.equal(outcome.kind, 'decided');
    assert.deepEqual(tokenRequests, [MEGAN], "the approver's token, never the requester's or the bot's");
    assert.deepEqual(
      pim.approvalCalls.map((c) => [c.method, c.caller, c.stepId, c.review]),
      [
        ['GET', MEGAN, undefined, undefined],
        ['PATCH', MEGAN, 'step-1', { reviewResult: 'Approve', justification: 'Approved in Microsoft Teams (Elevate) by Megan Bowen' }],
      ],
    );
    const record = await stored(deps);
    assert.equal(record.state, 'failed', 'waits for the requester to finish');
    assert.equal(record.failure?.code, PIM_APPROVAL_APPROVED);
    assert.deepEqual(record.pimDecision, { approverId: MEGAN, name: 'Megan Bowen', decision: 'approve', at: '2026-11-22T08:00:00.000Z' });
  });

  it("lets the requester's retry finish the elevation once PIM approved it", async () => {
    const { deps } = await pending();
    await decidePimApproval(deps, input());

    const retried = await retryElevation(deps, USER, 'elevation-1');
    const record = await runElevation(deps, 'elevation-1');

    assert.equal(retried.kind, 'restarted');
    assert.equal(record?.state, 'active');
  });

  it('sends the given reason as the justification of an approval', async () => {
    const { pim, deps } = await pending();

    await decidePimApproval(deps, input({ reason: '  CAB-77 approved  ' }));

    assert.equal(pim.approvalCalls[1]?.review?.justification, 'CAB-77 approved');
  });

  it('denies with the reason and ends the request with who denied it and why', async () => {
    const { pim, deps } = await pending();

    const outcome = await decidePimApproval(deps, input({ decision: 'deny', reason: 'Not during the freeze' }));

    assert.equal(outcome.kind, 'decided');
    assert.deepEqual(pim.approvalCalls[1]?.review, { reviewResult: 'Deny', justification: 'Not during the freeze' });
    const record = await stored(deps);
    assert.equal(record.state, 'failed');
    assert.deepEqual(record.failure, {
      code: PIM_APPROVAL_DENIED,
      message: 'Megan Bowen denied the PIM request: Not during the freeze',
      hint: 'Talk to the approver; a new request needs a new approval.',
      words: {
        message: [{ key: 'pimApprovalDenied', params: { name: 'Megan Bowen', reason: 'Not during the freeze' } }],
        hint: [{ key: 'approvalDeniedHint' }],
      },
    });
    assert.equal(record.pimDecision?.reason, 'Not during the freeze');
    assert.equal((await retryElevation(deps, USER, 'elevation-1')).kind, 'notRetryable', 'a PIM denial is final: a new request asks PIM again');
  });

  it('audits the decision with the approver as actor', async () => {
    const { deps } = await pending();

    await decidePimApproval(deps, input({ decision: 'deny', reason: 'Not now' }));

    const [entry] = await audits(deps);
    assert.equal(entry?.type, 'decided');
    assert.equal(entry?.actor, MEGAN);
    assert.deepEqual(
      {
        pimApproval: entry?.details['pimApproval'],
        decision: entry?.details['decision'],
        reason: entry?.details['reason'],
        code: entry?.details['failureCode'],
      },
      { pimApproval: true, decision: 'deny', reason: 'Not now', code: PIM_APPROVAL_DENIED },
    );
  });

  it('writes the decision with compare-and-swap, applying it again after a lost race', async () => {
    const { deps } = await pending();
    const update = deps.store.updateElevation.bind(deps.store);
    let raced = false;
    deps.store.updateElevation = async (record, version) => {
      if (!raced) {
        raced = true;
        const latest = (await deps.store.getElevation(record.id))!;
        await update({ ...latest.value, card: { conversationId: 'c', activityId: 'a' } }, latest.version);
      }
      return update(record, version);
    };

    await decidePimApproval(deps, input({ decision: 'deny', reason: 'No' }));

    const record = await stored(deps);
    assert.equal(record.failure?.code, PIM_APPROVAL_DENIED);
    assert.deepEqual(record.card, { conversationId: 'c', activityId: 'a' }, 'the other write is kept');
  });
});

describe('decidePimApproval: refusals', () => {
  const cases: {
    name: string;
    input?: Partial<PimDecisionInput>;
    setup?: (pim: FakePim, deps: ElevationDeps) => Promise<void> | void;
    record?: Partial<ElevationRecord>;
    reason: string;
    message?: RegExp;
    graphCalls: string[];
  }[] = [
    {
      name: 'the requester approving their own request, before anything reaches Graph',
      input: { approverId: USER.toUpperCase() },
      reason: 'selfApproval',
      graphCalls: [],
    },
    { name: 'a deny without a reason', input: { decision: 'deny', reason: '   ' }, reason: 'reasonRequired', graphCalls: [] },
    { name: 'a decision that is neither approve nor deny', input: { decision: 'maybe' }, reason: 'invalidDecision', graphCalls: [] },
    { name: 'an unknown request', input: { elevationId: 'nope' }, reason: 'unknownRequest', graphCalls: [] },
    {
      name: 'a record that no longer waits for PIM approvers',
      record: { failure: { code: PIM_APPROVAL_DENIED, message: 'denied' } },
      reason: 'notPending',
      message: /^This PIM request is no longer waiting for approval/,
      graphCalls: [],
    },
    { name: 'a record without a PIM approval id', record: { pimApprovalId: undefined }, reason: 'notPending', graphCalls: [] },
    {
      name: 'an approver whom Entra does not assign to any step',
      input: { approverId: LEE },
      reason: 'notApprover',
      message: /^Entra ID does not list you as an approver of this PIM request\.$/,
      graphCalls: ['GET'],
    },
    {
      name: 'a 403 from Graph on the review',
      // Assigned when read, no longer an approver when the review lands.
      setup: (pim) => void (pim.beforeReview = () => pim.approverIds.clear()),
      reason: 'notApprover',
      message: /^Entra ID does not list you as an approver of this PIM request\.$/,
      graphCalls: ['GET', 'PATCH'],
    },
    {
      name: 'a 409 from Graph: another approver decided in between',
      setup: (pim) => void (pim.beforeReview = () => Object.assign(pim.approvals.get(APPROVAL)!.steps[0]!, { status: 'Completed' })),
      reason: 'alreadyDecided',
      message: /^Another approver already decided this PIM request\.$/,
      // ...and reads the approval again for the decision, which Entra has not recorded yet here.
      graphCalls: ['GET', 'PATCH', 'GET'],
    },
    {
      name: 'an approval Graph no longer knows',
      setup: (pim) => void pim.approvals.clear(),
      reason: 'notPending',
      graphCalls: ['GET'],
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}, audits it and leaves the record as it was`, async () => {
      const { pim, deps } = await pending(c.record);
      await c.setup?.(pim, deps);
      const before = await stored(deps);

      const outcome = await decidePimApproval(deps, input(c.input));

      assert.equal(outcome.kind, 'refused');
      assert.equal(outcome.kind === 'refused' && outcome.reason, c.reason);
      if (c.message) assert.match(outcome.kind === 'refused' ? outcome.message : '', c.message);
      assert.deepEqual(
        pim.approvalCalls.map((call) => call.method),
        c.graphCalls,
      );
      assert.deepEqual(await stored(deps), before);
      const [entry, ...more] = await audits(deps);
      assert.equal(more.length, 0);
      assert.equal(entry?.type, 'refusedTap');
      assert.equal(entry?.details['refusal'], c.reason);
      assert.equal(entry?.details['pimApproval'], true);
    });
  }

  it('keeps a decision made outside Elevate (PIM portal) on the record, so every card can show it', async () => {
    const { pim, deps } = await pending();
    Object.assign(pim.approvals.get(APPROVAL)!.steps[0]!, {
      status: 'Completed',
      reviewResult: 'Denied',
      reviewedBy: { id: LEE, displayName: 'Lee Gu' },
      justification: 'Use the break-glass process',
    });

    const outcome = await decidePimApproval(deps, input());

    assert.equal(outcome.kind === 'refused' && outcome.reason, 'alreadyDecided');
    assert.equal(outcome.kind === 'refused' && outcome.decidedElsewhere, true);
    const record = await stored(deps);
    assert.equal(record.failure?.code, PIM_APPROVAL_DENIED);
    assert.deepEqual([record.pimDecision?.name, record.pimDecision?.decision, record.pimDecision?.reason], ['Lee Gu', 'deny', 'Use the break-glass process']);
    // A second tap finds nothing pending any more: the record is not changed twice.
    const again = await decidePimApproval(deps, input());
    assert.equal(again.kind === 'refused' && again.reason, 'notPending');
  });

  it('asks for no token at all when the requester taps their own request', async () => {
    const { deps, tokenRequests } = await pending();

    await decidePimApproval(deps, input({ approverId: USER }));

    assert.deepEqual(tokenRequests, []);
  });

  it('keeps only a bounded excerpt of untrusted card data in the audit log', async () => {
    const { deps } = await pending();

    await decidePimApproval(deps, input({ decision: 'x'.repeat(5000), elevationId: 'y'.repeat(5000) }));

    const [entry] = await audits(deps);
    assert.equal(String(entry?.details['decision']).length, 40);
    assert.equal(String(entry?.details['requestedElevationId']).length, 80);
  });

  it('lets a missing approver session propagate for the sign-in card', async () => {
    const { deps } = await pending();
    deps.tokens = {
      ...signedIn,
      forUser: () => async () => {
        throw new SignInRequiredError();
      },
    };

    const error = await rejection(decidePimApproval(deps, input()));

    assert.ok(error instanceof SignInRequiredError);
    assert.equal((await stored(deps)).failure?.code, PIM_APPROVAL_PENDING);
  });

  it('lets other Graph failures propagate unchanged', async () => {
    const { pim, deps } = await pending();
    pim.beforeReview = () => {
      throw new HttpError('busy', 503, 'ServiceUnavailable', 'g', {});
    };

    const error = await rejection(decidePimApproval(deps, input()));

    assert.ok(error instanceof HttpError && error.status === 503);
    assert.equal((await stored(deps)).failure?.code, PIM_APPROVAL_PENDING);
  });
});
