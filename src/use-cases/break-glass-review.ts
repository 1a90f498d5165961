import { acknowledge, nextReviewAt, reviewRound, type AcknowledgeRefusal, type BreakGlassReview } from '../domain/break-glass.js';
import type { AuditParty } from '../domain/audit.js';
import type { ElevationRecord } from '../domain/elevation.js';
import type { BreakGlassBoard } from '../ports/break-glass-board.js';
import type { DurableTimer, TimerOutcome } from '../ports/timer-store.js';
import { audit } from './audit-trail.js';
import { compareAndSwap, documentAccess } from './compare-and-swap.js';
import type { ElevationDeps } from './deps.js';
import { isSecurityTeamMember } from './security-group.js';

/** Durable timer kind that posts a break-glass review, and posts it again every interval until acknowledged. */
export const BREAK_GLASS_REVIEW_KIND = 'breakGlassReview';

/** What the break-glass review uses: the use cases' dependencies, the security channel's board and the security group. */
export interface BreakGlassReviewDeps extends Pick<ElevationDeps, 'pim' | 'tokens' | 'settings' | 'store' | 'timers' | 'audit' | 'clock' | 'logger'> {
  board: BreakGlassBoard;
  securityGroupId: string;
  /** How often an unacknowledged review is posted again (ELEVATE_BREAK_GLASS_REPOST_INTERVAL, a day by default); 0 never. */
  repostIntervalMs: number;
}

export const reviewKey = (elevationId: string): string => `breakGlassReview:${elevationId}`;
/** Without a security channel the first post waits for one (someone says "notify here"). */
const NO_CHANNEL_RETRY_MS = 5 * 60_000;
/** A review opened for a submit not saved yet is looked at again this soon, for at most UNSUBMITTED_REVIEW_MS. */
const SUBMIT_WAIT_MS = 10_000;
const UNSUBMITTED_REVIEW_MS = 15 * 60_000;

export async function loadReview(deps: Pick<ElevationDeps, 'store'>, elevationId: string): Promise<BreakGlassReview | undefined> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(elevationId)) return undefined;
  return (await deps.store.getDocument<BreakGlassReview>(reviewKey(elevationId)))?.value;
}

/**
 * Opens the security team's review of a break-glass use (once per elevation, compare-and-swap) and
 * schedules its durable timer, due now: the first post goes out from the timer, so a crash right after
 * the submit still posts it, and every instance posts it once.
 */
export async function openReview(deps: Pick<ElevationDeps, 'store' | 'timers' | 'clock'>, record: ElevationRecord): Promise<void> {
  const openedAt = deps.clock.now().toISOString();
  await compareAndSwap(documentAccess<BreakGlassReview>(deps.store, reviewKey(record.id)), (current) =>
    current ? undefined : { elevationId: record.id, requesterId: record.requester.aadObjectId, openedAt },
  );
  await deps.timers.schedule({
    id: `${BREAK_GLASS_REVIEW_KIND}:${record.id}`,
    kind: BREAK_GLASS_REVIEW_KIND,
    subject: record.id,
    dueAt: openedAt,
    payload: {},
  });
}

/**
 * Timer handler: posts the review card of the round due now (the first post, or a re-post each
 * interval while nobody acknowledged it; a bot that was down posts the current round once, not each
 * missed one), then waits for the next round. Posts are keyed by round, so two instances post once.
 */
export async function postReview(deps: BreakGlassReviewDeps, timer: DurableTimer): Promise<TimerOutcome> {
  const review = await loadReview(deps, timer.subject);
  const record = (await deps.store.getElevation(timer.subject))?.value;
  if (!review || !record || review.acknowledged) return 'done';
  const now = deps.clock.now();
  // Opened just before the submit was saved: posted once the elevation started; a submit that never
  // landed (the draft was cancelled or expired, the process died and nobody tapped again) ends it unposted.
  // (A break glass never waits for approval, so `cancelled` can only be a draft given up.)
  if (record.state === 'draft' || record.state === 'cancelled') {
    const waited = now.getTime() - Date.parse(review.openedAt);
    return record.state === 'draft' && waited < UNSUBMITTED_REVIEW_MS ? { retryAt: new Date(now.getTime() + SUBMIT_WAIT_MS) } : 'done';
  }
  const round = reviewRound(review, now, deps.repostIntervalMs);
  if (!(await deps.board.post(record, review, round))) return { retryAt: new Date(now.getTime() + NO_CHANNEL_RETRY_MS) };
  if (round > 0) await audit(deps, 'breakGlassReposted', { record, details: { round, openedAt: review.openedAt } });
  return deps.repostIntervalMs > 0 ? { retryAt: nextReviewAt(review, round, deps.repostIntervalMs) } : 'done';
}

export type AcknowledgeOutcome =
  | { kind: 'acknowledged'; review: BreakGlassReview; record: ElevationRecord }
  | { kind: 'alreadyAcknowledged'; review: BreakGlassReview; record: ElevationRecord }
  | { kind: 'refused'; reason: AcknowledgeRefusal; review: BreakGlassReview; record: ElevationRecord }
  | { kind: 'notFound' };

/**
 * **Acknowledge** on a review card, re-validated here: who tapped comes from the Teams activity, the
 * security group is read from Graph (transitive, Elevate's identity), the requester never acknowledges
 * their own use. Compare-and-swap: a double tap or two members at once record one acknowledgement.
 * Every posted review card is then updated in place; refusals are audited.
 */
export async function acknowledgeReview(deps: BreakGlassReviewDeps, elevationId: string, tapper: AuditParty): Promise<AcknowledgeOutcome> {
  const review = await loadReview(deps, elevationId);
  const record = (await deps.store.getElevation(elevationId))?.value;
  if (!review || !record) return { kind: 'notFound' };
  if (review.acknowledged) return { kind: 'alreadyAcknowledged', review, record };
  const member = await isSecurityTeamMember(deps, deps.securityGroupId, tapper.aadObjectId);
  const now = deps.clock.now();
  let refusal: AcknowledgeRefusal | undefined;
  const swapped = await compareAndSwap(documentAccess<BreakGlassReview>(deps.store, reviewKey(elevationId)), (current) => {
    if (!current) return undefined;
    const result = acknowledge(current.value, tapper, member, now);
    refusal = result.kind === 'refused' ? result.reason : undefined;
    return result.kind === 'acknowledged' ? result.review : undefined;
  });
  const latest = swapped.value?.value ?? review;
  if (refusal) {
    await audit(deps, 'refusedTap', { record, actor: tapper, details: { reason: `break-glass review: ${refusal}`, requestId: elevationId } });
    return { kind: 'refused', reason: refusal, review: latest, record };
  }
  if (swapped.kind !== 'updated') return { kind: 'alreadyAcknowledged', review: latest, record };
  await audit(deps, 'breakGlassAcknowledged', { record, actor: tapper, details: { openedAt: latest.openedAt } });
  await deps.board.refresh(record, latest);
  return { kind: 'acknowledged', review: latest, record };
}
