import type { Logger } from 'pino';
import type { BreakGlassReview, MentionTag } from '../../domain/break-glass.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import type { BreakGlassBoard } from '../../ports/break-glass-board.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import { compareAndSwap, documentAccess } from '../../use-cases/compare-and-swap.js';
import { loadReview } from '../../use-cases/break-glass-review.js';
import { renderBreakGlassCard } from '../cards/break-glass-card.js';
import { loadSecurityChannel } from '../channels/security-channel.js';
import type { ChatAddress, Courier, PostedMessage } from '../chat.js';
import { textsFor } from '../locale/texts.js';

/** One posted review card: where it is (to update it in place) and which round it was. No secrets. */
interface ReviewPost {
  chat: ChatAddress;
  activityId: string;
  round: number;
}

const postsKey = (elevationId: string): string => `breakGlassReviewPosts:${elevationId}`;
/** The outbox hook that remembers a delivered review card (registered in main.ts). */
export const BREAK_GLASS_POST_HOOK = 'breakGlassReviewPost';
/** A review is posted once a day at most for a few weeks: enough tries for one post at a time. */
const REMEMBER_ATTEMPTS = 8;

/**
 * Break-glass review cards in the security channel: each round is a new thread (queued once per
 * round by key, so re-posts from several instances or retries post once), remembered when Teams has
 * taken it, and every posted card is updated in place when the review is acknowledged.
 */
export class TeamsBreakGlassBoard implements BreakGlassBoard {
  constructor(private readonly options: { courier: Courier; store: ElevationStore; mentionTag?: MentionTag; logger: Logger }) {}

  async post(record: ElevationRecord, review: BreakGlassReview, round: number): Promise<boolean> {
    const channel = await loadSecurityChannel(this.options.store);
    if (!channel) {
      this.options.logger.warn({ elevationId: record.id }, 'break glass was used but no security channel is set: say "@Elevate notify here" in one');
      return false;
    }
    const texts = textsFor(channel.chat);
    const card = renderBreakGlassCard({ record, review, round, ...this.mention() }, texts);
    const summary = texts.fill(texts.c.breakGlass.reviewTitle, { requester: record.requester.name, environment: record.environment.displayName });
    await this.options.courier.startThread(
      channel,
      { card, summary },
      {
        key: `break-glass-review:${record.id}:${round}`,
        after: { hook: BREAK_GLASS_POST_HOOK, data: { elevationId: record.id, round: String(round) } },
      },
    );
    return true;
  }

  async refresh(record: ElevationRecord, review: BreakGlassReview): Promise<void> {
    const posts = (await this.options.store.getDocument<{ posts: ReviewPost[] }>(postsKey(record.id)))?.value.posts ?? [];
    await Promise.all(posts.map((post) => this.update(post, record, review)));
  }

  /**
   * Outbox hook: a review card Teams has taken, remembered (compare-and-swap) so that the
   * acknowledgement updates it; acknowledged while the card waited in the outbox, it is updated at once.
   */
  async recordPost(posted: PostedMessage, data: Record<string, string>): Promise<void> {
    const elevationId = data['elevationId'] ?? '';
    const post: ReviewPost = { chat: posted.chat, activityId: posted.messageId, round: Number(data['round'] ?? 0) || 0 };
    const result = await compareAndSwap(
      documentAccess<{ posts: ReviewPost[] }>(this.options.store, postsKey(elevationId)),
      (current) => {
        const known = current?.value.posts ?? [];
        return known.some((p) => p.activityId === post.activityId) ? undefined : { posts: [...known, post] };
      },
      { attempts: REMEMBER_ATTEMPTS, jitterMs: 20 },
    );
    if (result.kind === 'conflict') this.options.logger.error({ elevationId }, 'could not remember where a break-glass review card is');
    const [review, record] = await Promise.all([loadReview({ store: this.options.store }, elevationId), this.options.store.getElevation(elevationId)]);
    if (review?.acknowledged && record) await this.update(post, record.value, review);
  }

  private async update(post: ReviewPost, record: ElevationRecord, review: BreakGlassReview): Promise<void> {
    try {
      const card = renderBreakGlassCard({ record, review, round: post.round, ...this.mention() }, textsFor(post.chat));
      await this.options.courier.replace(post.chat, post.activityId, card);
    } catch (error) {
      this.options.logger.warn({ err: error, elevationId: record.id }, 'could not queue a break-glass review card update');
    }
  }

  private mention(): { mentionTag?: MentionTag } {
    return this.options.mentionTag ? { mentionTag: this.options.mentionTag } : {};
  }
}
