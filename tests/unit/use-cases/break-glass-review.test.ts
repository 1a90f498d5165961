import assert from 'node:assert/strict';
import type { BreakGlassReview } from '../../../src/domain/break-glass.js';
import type { ElevatePolicy } from '../../../src/domain/elevate-policy.js';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import type { BreakGlassBoard } from '../../../src/ports/break-glass-board.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import type { TokenSource } from '../../../src/ports/token-broker.js';
import { BREAK_GLASS_REVIEW_KIND, acknowledgeReview, loadReview, postReview, type BreakGlassReviewDeps } from '../../../src/use-cases/break-glass-review.js';
import { submitRequest } from '../../../src/use-cases/submit-request.js';
import { FakePim, FakePowerPlatform, ROLE, USER, fakeDeps, storedElevation } from './fakes.js';

const ON_CALL = '0ca11000-0000-4000-8000-000000000010';
const SECURITY = '5ec0a11d-0000-4000-8000-000000000001';
const NESTOR = { aadObjectId: 'a0000000-0000-4000-8000-00000000e570', name: 'Nestor Wilke' };
const DAY = 24 * 60 * 60_000;
const CARD = { conversationId: 'a:1', activityId: '1' };
const INPUT = { requestId: 'elevation-1', roleId: ROLE, duration: 'PT1H', justification: 'INC0012345 payments flow down' };

const POLICY: ElevatePolicy = {
  defaults: {},
  rules: [
    {
      name: 'prod',
      match: { environmentTypes: ['Production'] },
      approval: { required: true, approverGroupIds: [], approverUserIds: [NESTOR.aadObjectId], approvalsRequired: 1, pendingTimeoutMinutes: 60 },
    },
  ],
  breakGlass: { onCallGroupIds: [ON_CALL], maximumDuration: 'PT1H' },
};

/** Group membership as Graph checkMemberGroups answers it (transitive already). */
class GroupsPim extends FakePim {
  members = new Map<string, Set<string>>([
    [ON_CALL, new Set([USER])],
    [SECURITY, new Set([USER, NESTOR.aadObjectId])],
  ]);
  override async checkMemberGroups(_token: TokenSource, userId: string, groupIds: string[]): Promise<string[]> {
    return groupIds.filter((id) => this.members.get(id)?.has(userId));
  }
}

/** The security channel, as a record of what was posted and refreshed. */
function recordingBoard() {
  const posts: number[] = [];
  const refreshed: BreakGlassReview[] = [];
  const board: BreakGlassBoard = {
    post: async (_record: ElevationRecord, _review: BreakGlassReview, round: number) => (posts.push(round), true),
    refresh: async (_record: ElevationRecord, review: BreakGlassReview) => void refreshed.push(review),
  };
  return { board, posts, refreshed };
}

function setUp() {
  const pim = new GroupsPim();
  const base = fakeDeps(pim, new FakePowerPlatform());
  const { board, posts, refreshed } = recordingBoard();
  const deps: BreakGlassReviewDeps & ElevationDeps = {
    ...base,
    settings: { ...base.settings, policy: POLICY },
    board,
    securityGroupId: SECURITY,
    repostIntervalMs: DAY,
  };
  return { pim, deps, posts, refreshed };
}

const timer = () => ({
  id: `${BREAK_GLASS_REVIEW_KIND}:elevation-1`,
  kind: BREAK_GLASS_REVIEW_KIND,
  subject: 'elevation-1',
  dueAt: '',
  attempts: 0,
  payload: {},
});

async function auditTypes(deps: BreakGlassReviewDeps): Promise<string[]> {
  return (await deps.audit.list({ since: new Date(0), limit: 100 })).map((e) => e.type);
}

describe('break glass: submit and the security team’s review (issue #16)', () => {
  it('starts an on-call member’s break glass without the approval Production needs, opens the review and schedules its timer', async () => {
    const { deps } = setUp();
    await storedElevation(deps, 'draft', { breakGlass: true, roleId: undefined, duration: undefined, justification: undefined });

    const outcome = await submitRequest(deps, USER, INPUT, CARD);

    assert.equal(outcome.kind, 'started');
    assert.equal((outcome as { record: ElevationRecord }).record.breakGlass, true);
    assert.equal((outcome as { record: ElevationRecord }).record.approval, undefined, 'no Elevate approval opened');
    assert.ok(await loadReview(deps, 'elevation-1'), 'review opened');
    const due = await deps.timers.claimDue(deps.clock.now(), 'test', 60_000, 10);
    assert.deepEqual(
      due.map((t) => t.kind),
      [BREAK_GLASS_REVIEW_KIND],
    );
    assert.ok((await auditTypes(deps)).includes('breakGlassUsed'));
  });

  it('opens the review before the elevation can start, so a crash right after the submit still gets it posted', async () => {
    const { deps, posts } = setUp();
    await storedElevation(deps, 'draft', { breakGlass: true, roleId: undefined, duration: undefined, justification: undefined });
    // The process dies just after the submit is saved: nothing after the write happens.
    const update = deps.store.updateElevation.bind(deps.store);
    deps.store.updateElevation = async (record, version) => {
      await update(record, version);
      throw new Error('killed');
    };
    await assert.rejects(submitRequest(deps, USER, INPUT, CARD), /killed/);
    deps.store.updateElevation = update;

    assert.equal((await deps.store.getElevation('elevation-1'))?.value.state, 'activating');
    await postReview(deps, timer());
    assert.deepEqual(posts, [0], 'the review was opened before the save and is posted');
  });

  it('posts no review for a break glass whose submit never landed', async () => {
    const { deps, posts } = setUp();
    await storedElevation(deps, 'draft', { breakGlass: true });
    await deps.store.putDocument(
      'breakGlassReview:elevation-1',
      { elevationId: 'elevation-1', requesterId: USER, openedAt: deps.clock.now().toISOString() },
      undefined,
    );

    const waiting = await postReview(deps, timer());
    assert.ok(typeof waiting === 'object' && 'retryAt' in waiting, 'looks again while the submit may still land');
    await deps.clock.sleep(16 * 60_000);
    assert.equal(await postReview(deps, timer()), 'done');
    assert.deepEqual(posts, []);
  });

  it('refuses the submit of someone who left the on-call group since the card, and audits it', async () => {
    const { deps, pim } = setUp();
    pim.members.get(ON_CALL)!.delete(USER);
    await storedElevation(deps, 'draft', { breakGlass: true, roleId: undefined, duration: undefined, justification: undefined });

    const outcome = await submitRequest(deps, USER, INPUT, CARD);

    assert.equal(outcome.kind, 'notOnCall');
    assert.equal((await deps.store.getElevation('elevation-1'))?.value.state, 'draft');
    assert.ok((await auditTypes(deps)).includes('breakGlassRefused'));
  });

  it('refuses a duration over the break-glass maximum', async () => {
    const { deps } = setUp();
    await storedElevation(deps, 'draft', { breakGlass: true, roleId: undefined, duration: undefined, justification: undefined });

    const outcome = await submitRequest(deps, USER, { ...INPUT, duration: 'PT2H' }, CARD);

    assert.equal(outcome.kind, 'invalid');
    assert.match((outcome as { message: string }).message, /at most 1 h/);
  });

  it('posts the review at once and again each day until acknowledged, then stops', async () => {
    const { deps, posts, refreshed } = setUp();
    await storedElevation(deps, 'active', { breakGlass: true });
    await deps.store.putDocument(
      'breakGlassReview:elevation-1',
      { elevationId: 'elevation-1', requesterId: USER, openedAt: deps.clock.now().toISOString() },
      undefined,
    );

    const first = await postReview(deps, timer());
    await deps.clock.sleep(DAY);
    const second = await postReview(deps, timer());
    assert.deepEqual(posts, [0, 1]);
    assert.deepEqual(first, { retryAt: new Date(deps.clock.now().getTime()) });
    assert.deepEqual(second, { retryAt: new Date(deps.clock.now().getTime() + DAY) });
    assert.ok((await auditTypes(deps)).includes('breakGlassReposted'));

    const own = await acknowledgeReview(deps, 'elevation-1', { aadObjectId: USER, name: 'Adele Vance' });
    assert.deepEqual(own.kind === 'refused' && own.reason, 'ownUse');
    const [a, b] = await Promise.all([acknowledgeReview(deps, 'elevation-1', NESTOR), acknowledgeReview(deps, 'elevation-1', NESTOR)]);
    assert.deepEqual([a.kind, b.kind].sort(), ['acknowledged', 'alreadyAcknowledged'], 'a double tap acknowledges once');
    assert.equal(refreshed.length, 1, 'the posted cards are updated once');
    assert.equal((await auditTypes(deps)).filter((t) => t === 'breakGlassAcknowledged').length, 1);

    await deps.clock.sleep(DAY);
    assert.equal(await postReview(deps, timer()), 'done');
    assert.deepEqual(posts, [0, 1], 'no post after the acknowledgement');
  });
});
