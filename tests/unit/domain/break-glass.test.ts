import assert from 'node:assert/strict';
import {
  acknowledge,
  breakGlassMaximumMinutes,
  breakGlassProblems,
  canExtend,
  nextReviewAt,
  reviewRound,
  type BreakGlassReview,
} from '../../../src/domain/break-glass.js';

const DAY = 24 * 60 * 60_000;
const REVIEW: BreakGlassReview = { elevationId: 'e1', requesterId: 'A0000000-0000-4000-8000-00000000ADE1', openedAt: '2026-03-02T15:00:00.000Z' };
const NESTOR = { aadObjectId: 'a0000000-0000-4000-8000-00000000e570', name: 'Nestor Wilke' };
const NOW = new Date('2026-03-02T15:10:00Z');

describe('break glass (issue #16)', () => {
  describe('canExtend', () => {
    it('never extends a break-glass elevation', () => assert.equal(canExtend({ state: 'active', breakGlass: true }), false));
    it('lets an ordinary active elevation be extended', () => assert.equal(canExtend({ state: 'active' }), true));
    it('extends nothing that is not active', () => assert.equal(canExtend({ state: 'ended' }), false));
  });

  describe('breakGlassMaximumMinutes', () => {
    const policy = { onCallGroupIds: ['g'], maximumDuration: 'PT1H' };
    it('caps a longer maximum at the break-glass maximum', () => assert.equal(breakGlassMaximumMinutes(policy, 480), 60));
    it('keeps a shorter maximum (PIM or the rule)', () => assert.equal(breakGlassMaximumMinutes(policy, 30), 30));
    it('is the break-glass maximum when nothing else bounds it', () => assert.equal(breakGlassMaximumMinutes(policy, undefined), 60));
  });

  describe('acknowledge', () => {
    it('records the first security-team member other than the requester', () => {
      const result = acknowledge(REVIEW, NESTOR, true, NOW);
      assert.deepEqual(result, { kind: 'acknowledged', review: { ...REVIEW, acknowledged: { ...NESTOR, at: NOW.toISOString() } } });
    });
    it('refuses the requester, whatever the case of the object id', () => {
      assert.deepEqual(acknowledge(REVIEW, { aadObjectId: REVIEW.requesterId.toLowerCase() }, true, NOW), { kind: 'refused', reason: 'ownUse' });
    });
    it('refuses someone outside the security team', () => {
      assert.deepEqual(acknowledge(REVIEW, NESTOR, false, NOW), { kind: 'refused', reason: 'notSecurityTeam' });
    });
    it('changes nothing once acknowledged (a double tap, a second member)', () => {
      const done = { ...REVIEW, acknowledged: { aadObjectId: 'x', at: NOW.toISOString() } };
      assert.deepEqual(acknowledge(done, NESTOR, true, new Date(NOW.getTime() + 1000)), { kind: 'alreadyAcknowledged', review: done });
    });
  });

  describe('review rounds', () => {
    const cases: [string, number, number][] = [
      ['the first post when opened', 0, 0],
      ['still the first post a minute before a day', DAY - 60_000, 0],
      ['the first re-post after a day', DAY, 1],
      ['one post for the current round after three days down', 3 * DAY + 5_000, 3],
    ];
    for (const [title, elapsed, round] of cases) {
      it(`is ${title}`, () => assert.equal(reviewRound(REVIEW, new Date(Date.parse(REVIEW.openedAt) + elapsed), DAY), round));
    }
    it('stays at the first post when re-posts are off', () => assert.equal(reviewRound(REVIEW, new Date(Date.parse(REVIEW.openedAt) + 5 * DAY), 0), 0));
    it('plans the next round a day after the last one', () => assert.equal(nextReviewAt(REVIEW, 3, DAY).toISOString(), '2026-03-06T15:00:00.000Z'));
  });

  describe('breakGlassProblems', () => {
    it('accepts a sound section', () => assert.deepEqual(breakGlassProblems({ onCallGroupIds: ['g'], maximumDuration: 'PT2H' }), []));
    it('refuses more than 20 groups (checkMemberGroups takes 20)', () => {
      const problems = breakGlassProblems({ onCallGroupIds: Array.from({ length: 21 }, (_, i) => `g${i}`), maximumDuration: 'PT1H' });
      assert.deepEqual(
        problems.map((p) => p.field),
        ['onCallGroupIds'],
      );
    });
    it('refuses a maximum under PIM’s five minutes', () => {
      assert.deepEqual(
        breakGlassProblems({ onCallGroupIds: ['g'], maximumDuration: 'PT1M' }).map((p) => p.field),
        ['maximumDuration'],
      );
    });
  });
});
