import type { Logger } from 'pino';
import type { ElevationStore } from '../../ports/elevation-store.js';
import { compareAndSwap, documentAccess } from '../../use-cases/compare-and-swap.js';
import type { ApprovalCardKind } from '../cards/approval-cards.js';
import { chatAddressOf, type ChatAddress, type Courier, type PostedMessage } from '../chat.js';

/** One posted approval card: where it is, to update it in place. No secrets. */
export interface ApprovalPost {
  target: 'channel' | 'personal';
  /** Elevate policy approval, or PIM's own approval (both may happen for one request). Absent in old posts: elevate. */
  kind?: ApprovalCardKind;
  /** The approver of a 1:1 card. */
  userId?: string;
  activityId: string;
  /** Where the card is. Posts of earlier versions hold a Bot Framework `reference` instead: read with `chatAddressOf`. */
  chat: ChatAddress;
}

interface PostsDocument {
  posts: ApprovalPost[];
}

/**
 * Where the approval cards of one request were posted (elevations and RBAC grants), kept in the
 * store so any instance, after any restart, updates the same cards in place.
 */
export class ApprovalPosts {
  constructor(
    private readonly options: {
      store: Pick<ElevationStore, 'getDocument' | 'putDocument'>;
      courier: Courier;
      logger: Logger;
      /** The store key of a request's posts. */
      key: (requestId: string) => string;
      /** Cards one request can have (approvers and a channel): enough compare-and-swap tries for all of them. */
      maxPosts: number;
    },
  ) {}

  async list(requestId: string): Promise<ApprovalPost[]> {
    return (await this.options.store.getDocument<PostsDocument>(this.options.key(requestId)))?.value.posts ?? [];
  }

  /** The post an outbox delivery hook reports (`data` as queued: target, kind, userId). */
  static of(posted: PostedMessage, data: Record<string, string>): ApprovalPost {
    return {
      target: data['target'] === 'personal' ? 'personal' : 'channel',
      kind: data['kind'] === 'pim' ? 'pim' : 'elevate',
      ...(data['userId'] ? { userId: data['userId'] } : {}),
      activityId: posted.messageId,
      chat: posted.chat,
    };
  }

  /** Queues the replacement of one posted card; a failure is logged (the next step or a refresh repairs it). */
  async update(post: ApprovalPost, card: object, requestId: string): Promise<void> {
    try {
      const chat = post.chat ?? chatAddressOf((post as { reference?: unknown }).reference);
      if (!chat) throw new Error('the post has no chat address');
      await this.options.courier.replace(chat, post.activityId, card);
    } catch (error) {
      this.options.logger.warn({ err: error, requestId, target: post.target }, 'could not queue an approval card update');
    }
  }

  /** Adds posts not known yet (compare-and-swap): every card of a request is delivered at about the same time. */
  async remember(requestId: string, posts: ApprovalPost[]): Promise<void> {
    if (posts.length === 0) return;
    const result = await compareAndSwap(
      documentAccess<PostsDocument>(this.options.store, this.options.key(requestId)),
      (existing) => {
        const known = existing?.value.posts ?? [];
        const fresh = posts.filter((post) => !known.some((k) => k.activityId === post.activityId && k.chat?.conversationId === post.chat.conversationId));
        return fresh.length === 0 ? undefined : { posts: [...known, ...fresh] };
      },
      { attempts: 2 * this.options.maxPosts, jitterMs: 20 },
    );
    if (result.kind === 'conflict') this.options.logger.error({ requestId }, 'could not remember where the approval cards are: they will not be updated');
  }
}
