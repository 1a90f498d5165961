/**
 * Break glass (issue #16): a member of a policy-listed on-call group elevates at once with
 * `elevate me in <env> now because <incident>`. Elevate's own approval is skipped (PIM's own policy
 * still applies; Power Platform RBAC grants never break glass), the duration is capped by the policy's
 * break-glass maximum and cannot be extended, and the security team reviews every use: a review stays
 * open until a member of the security group other than the requester acknowledges it. Pure.
 */
import { parseIsoDuration, PIM_MINIMUM_MINUTES } from './duration.js';
import type { ElevationRecord } from './elevation.js';

/** PIM activations last at most 24 hours (elevate-policy.ts's limit; not imported, which would make a cycle). */
const LONGEST_MINUTES = 24 * 60;

/** A Teams tag of the security team's team, mentioned in the break-glass post (docs/api-contracts.md §10). */
export interface MentionTag {
  /** The tag id Graph lists (`GET /teams/{team-id}/tags`), base64 text. */
  readonly id: string;
  /** The tag's display name, shown as `@name`. */
  readonly name: string;
}

/** The `breakGlass` section of the Elevate policy file. */
export interface BreakGlassPolicy {
  /** Entra groups (object ids) whose transitive members may break glass. */
  readonly onCallGroupIds: readonly string[];
  /** ISO 8601 duration; the longest break-glass elevation (the shorter of this, the rule's and PIM's maximum applies). */
  readonly maximumDuration: string;
  /** The security team's Teams tag to mention in the channel post; without it the post mentions nobody. */
  readonly mentionTag?: MentionTag;
}

/** The longest break-glass elevation in minutes: the break-glass maximum, or less when the normal maximum is shorter. */
export function breakGlassMaximumMinutes(policy: BreakGlassPolicy, normalMaximumMinutes: number | undefined): number {
  const cap = parseIsoDuration(policy.maximumDuration) ?? PIM_MINIMUM_MINUTES;
  return normalMaximumMinutes === undefined ? cap : Math.min(cap, normalMaximumMinutes);
}

/**
 * Whether an elevation's end may be moved later (an `extend`, or following a PIM assignment that now
 * ends later). Never for break glass: its end is the cap the on-call member was given, and a longer
 * stay goes through the normal request and its approvals.
 */
export function canExtend(record: Pick<ElevationRecord, 'breakGlass' | 'state'>): boolean {
  return record.breakGlass !== true && record.state === 'active';
}

/** Who acknowledged a review, and when. */
export interface ReviewAcknowledgement {
  readonly aadObjectId: string;
  readonly name?: string;
  readonly at: string;
}

/** The security team's review of one break-glass use (kept beside the elevation record). */
export interface BreakGlassReview {
  readonly elevationId: string;
  readonly requesterId: string;
  /** When the break glass was used (the submit): re-posts count days from it. */
  readonly openedAt: string;
  readonly acknowledged?: ReviewAcknowledgement;
}

export type AcknowledgeRefusal = 'notSecurityTeam' | 'ownUse';
export type AcknowledgeResult =
  | { kind: 'acknowledged'; review: BreakGlassReview }
  /** Someone (maybe this tapper, a double tap) acknowledged it first: nothing changes. */
  | { kind: 'alreadyAcknowledged'; review: BreakGlassReview }
  | { kind: 'refused'; reason: AcknowledgeRefusal };

/**
 * A tap on **Acknowledge**: only a member of the security group (checked by the caller from the Teams
 * activity, never card data), never the requester of the break glass; the first acknowledgement wins.
 */
export function acknowledge(
  review: BreakGlassReview,
  tapper: { aadObjectId: string; name?: string },
  isSecurityTeamMember: boolean,
  now: Date,
): AcknowledgeResult {
  if (review.acknowledged) return { kind: 'alreadyAcknowledged', review };
  if (!isSecurityTeamMember) return { kind: 'refused', reason: 'notSecurityTeam' };
  if (tapper.aadObjectId.toLowerCase() === review.requesterId.toLowerCase()) return { kind: 'refused', reason: 'ownUse' };
  const acknowledged: ReviewAcknowledgement = { aadObjectId: tapper.aadObjectId, ...(tapper.name ? { name: tapper.name } : {}), at: now.toISOString() };
  return { kind: 'acknowledged', review: { ...review, acknowledged } };
}

/** Which re-post is due at `now`: 0 is the first post, 1 the re-post a day later, and so on. */
export function reviewRound(review: Pick<BreakGlassReview, 'openedAt'>, now: Date, intervalMs: number): number {
  const elapsed = now.getTime() - Date.parse(review.openedAt);
  return intervalMs <= 0 || !(elapsed > 0) ? 0 : Math.floor(elapsed / intervalMs);
}

/** When the round after `round` is due. */
export function nextReviewAt(review: Pick<BreakGlassReview, 'openedAt'>, round: number, intervalMs: number): Date {
  return new Date(Date.parse(review.openedAt) + (round + 1) * intervalMs);
}

/** What is wrong with a `breakGlass` section (field, problem); empty when sound. */
export function breakGlassProblems(policy: BreakGlassPolicy): { field: string; problem: string }[] {
  const found: { field: string; problem: string }[] = [];
  if (policy.onCallGroupIds.length === 0) found.push({ field: 'onCallGroupIds', problem: 'must list at least one Entra group object id' });
  if (policy.onCallGroupIds.length > 20)
    found.push({ field: 'onCallGroupIds', problem: 'lists at most 20 groups (Graph checkMemberGroups checks 20 at once)' });
  const minutes = parseIsoDuration(policy.maximumDuration);
  if (minutes === undefined) found.push({ field: 'maximumDuration', problem: 'must be an ISO 8601 duration such as PT1H or PT30M' });
  else if (minutes < PIM_MINIMUM_MINUTES || minutes > LONGEST_MINUTES)
    found.push({ field: 'maximumDuration', problem: `must be between PT${PIM_MINIMUM_MINUTES}M and PT24H` });
  return found;
}
