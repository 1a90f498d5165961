import assert from 'node:assert/strict';
import { effectivePolicy, type EffectivePolicy } from '../../../src/domain/elevate-policy.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { approveWithFreshSignIn } from '../../../src/use-cases/fresh-approval.js';
import { decideApproval, requestApproval } from '../../../src/use-cases/request-approval.js';
import { FakePim, FakePowerPlatform, ROLE, fakeDeps, storedElevation } from './fakes.js';

const MEGAN = 'b0000000-0000-4000-8000-00000000e6a0';
const NESTOR = 'b0000000-0000-4000-8000-00000000e570';

function policy(approvalsRequired: number): EffectivePolicy {
  const approval = {
    required: true,
    approverGroupIds: [],
    approverUserIds: [MEGAN, NESTOR],
    approvalsRequired,
    pendingTimeoutMinutes: 60,
    freshSignIn: { authenticationContext: 'c1' },
  };
  const environment = { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' };
  return effectivePolicy({ defaults: {}, rules: [{ name: 'prod-fresh', match: { environmentTypes: ['Production'] }, approval }] }, environment, ROLE);
}

async function awaiting(approvalsRequired = 1): Promise<ElevationDeps> {
  const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
  const outcome = await requestApproval(deps, await storedElevation(deps, 'draft'), policy(approvalsRequired));
  assert.equal(outcome.kind, 'awaitingApproval');
  return deps;
}

const stored = async (deps: ElevationDeps) => (await deps.store.getElevation('elevation-1'))!.value;
const entries = async (deps: ElevationDeps) => deps.audit.list();

/** The tap asks for the sign-in; the evidence is what its token says, `secondsAfterTap` after the tap. */
async function tapThenSignIn(
  deps: ElevationDeps,
  approverId: string,
  evidence: { objectId?: string; acrs?: readonly string[]; secondsAfterTap?: number } = {},
) {
  const tap = await decideApproval(deps, { elevationId: 'elevation-1', approverId, decision: 'approve' });
  assert.equal(tap.kind, 'signInNeeded');
  const tapAt = tap.kind === 'signInNeeded' ? tap.tapAt : new Date(0);
  return approveWithFreshSignIn(deps, {
    elevationId: 'elevation-1',
    approverId,
    approverName: approverId === MEGAN ? 'Megan Bowen' : 'Nestor Wilke',
    tapAt: tapAt.toISOString(),
    evidence: {
      objectId: evidence.objectId ?? approverId,
      acrs: evidence.acrs ?? ['c1'],
      issuedAt: new Date(tapAt.getTime() + (evidence.secondsAfterTap ?? 20) * 1000).toISOString(),
    },
  });
}

describe('approvals that need a fresh strong sign-in: the use cases', () => {
  it('answers a plain Approve with the sign-in it needs, recording and auditing nothing', async () => {
    const deps = await awaiting();

    const outcome = await decideApproval(deps, { elevationId: 'elevation-1', approverId: MEGAN, decision: 'approve' });

    assert.equal(outcome.kind, 'signInNeeded');
    assert.deepEqual(outcome.kind === 'signInNeeded' && outcome.requirement, { authenticationContext: 'c1' });
    assert.deepEqual((await stored(deps)).approval?.votes, []);
    assert.deepEqual(
      (await entries(deps)).map((e) => e.type),
      ['requested'],
    );
  });

  it('records the vote with its proof once the sign-in proves it, and audits how', async () => {
    const deps = await awaiting();

    const outcome = await tapThenSignIn(deps, MEGAN);

    assert.equal(outcome.kind, 'recorded');
    const vote = (await stored(deps)).approval?.votes[0];
    assert.deepEqual(vote?.proof, { method: 'freshSignIn', authenticationContext: 'c1', signedInAt: '2026-11-22T08:00:20.000Z' });
    assert.equal((await stored(deps)).approval?.status, 'approved');
    const decided = (await entries(deps)).find((e) => e.type === 'decided');
    assert.equal(decided?.actor?.aadObjectId, MEGAN);
    assert.equal(decided?.details['signIn'], 'strong sign-in (acrs c1, token issued 2026-11-22T08:00:20.000Z)');
    assert.equal(decided?.details['authenticationContext'], 'c1');
  });

  for (const [title, evidence, reason] of [
    ["another user's token", { objectId: NESTOR }, 'otherUser'],
    ['a token without acrs c1', { acrs: ['c2'] }, 'missingContext'],
    ['a token issued five minutes before the tap', { secondsAfterTap: -300 }, 'issuedBeforeTap'],
  ] as const) {
    it(`refuses ${title}: no vote, a signInRefused audit entry with the reason`, async () => {
      const deps = await awaiting();

      const outcome = await tapThenSignIn(deps, MEGAN, evidence);

      assert.deepEqual(outcome.kind === 'signInRefused' && outcome.reason, reason);
      assert.deepEqual((await stored(deps)).approval?.votes, []);
      const refused = (await entries(deps)).find((e) => e.type === 'signInRefused');
      assert.equal(refused?.details['refusal'], reason);
      assert.equal(refused?.actor?.aadObjectId, MEGAN);
    });
  }

  it('takes a Deny without any sign-in', async () => {
    const deps = await awaiting();

    const outcome = await decideApproval(deps, { elevationId: 'elevation-1', approverId: NESTOR, decision: 'deny', reason: 'release freeze' });

    assert.equal(outcome.kind, 'recorded');
    assert.equal((await stored(deps)).state, 'failed');
  });

  it('records one vote per approver: a second sign-in of the same approver is refused as already voted', async () => {
    const deps = await awaiting(2);
    assert.equal((await tapThenSignIn(deps, MEGAN)).kind, 'recorded');

    const again = await approveWithFreshSignIn(deps, {
      elevationId: 'elevation-1',
      approverId: MEGAN,
      tapAt: deps.clock.now().toISOString(),
      evidence: { objectId: MEGAN, acrs: ['c1'], issuedAt: deps.clock.now().toISOString() },
    });

    assert.deepEqual(again.kind === 'refused' && again.reason, 'alreadyVoted');
    assert.equal((await stored(deps)).approval?.votes.length, 1);
  });

  it('two approvers at once, one proved and one not: one vote, one sign-in asked', async () => {
    const deps = await awaiting(2);
    const megansTap = await decideApproval(deps, { elevationId: 'elevation-1', approverId: MEGAN, decision: 'approve' });
    assert.equal(megansTap.kind, 'signInNeeded');
    const tapAt = deps.clock.now().toISOString();

    const [fresh, plain] = await Promise.all([
      approveWithFreshSignIn(deps, { elevationId: 'elevation-1', approverId: MEGAN, tapAt, evidence: { objectId: MEGAN, acrs: ['c1'], issuedAt: tapAt } }),
      decideApproval(deps, { elevationId: 'elevation-1', approverId: NESTOR, decision: 'approve' }),
    ]);

    assert.equal(fresh.kind, 'recorded');
    assert.equal(plain.kind, 'signInNeeded');
    assert.deepEqual(
      (await stored(deps)).approval?.votes.map((v) => v.approverId),
      [MEGAN],
    );
  });
});
