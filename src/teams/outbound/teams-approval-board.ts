import { compareAndSwap, documentAccess } from '../../use-cases/compare-and-swap.js';
import type { Logger } from 'pino';
import { sameId } from '../../domain/approval.js';
import { effectivePolicy, type ElevatePolicy } from '../../domain/elevate-policy.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import type { ApprovalBoard } from '../../ports/approval-board.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import { approvalCardFor, type ApprovalCardKind } from '../cards/approval-cards.js';
import { loadApprovalsChannel } from '../channels/approvals-channel.js';
import type { ConversationDirectory } from '../channels/conversations.js';
import { chatAddressOf, type ChatAddress, type Messenger, type OutboundMessage } from '../chat.js';
import { loadSecurityChannel } from '../channels/security-channel.js';

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

const postsKey = (elevationId: string): string => `approval-cards:${elevationId}`;
/** Listed approvers who get the card 1:1, at most (a group's members see it in the channel). */
const MAX_PERSONAL_CARDS = 25;

/**
 * Approval cards in Teams: posted to the approvals channel (`approvals here`, or the policy's
 * `approvalsChannel`) and 1:1 to every listed approver user; kept current by updating each posted
 * card in place from the latest stored record. Card posts are kept per elevation in the store, so
 * any instance, after any restart, updates the same cards.
 */
export class TeamsApprovalBoard implements ApprovalBoard {
  constructor(
    private readonly options: {
      messenger: Messenger;
      tenantId: string;
      store: ElevationStore;
      conversations: ConversationDirectory;
      policy: ElevatePolicy;
      logger: Logger;
    },
  ) {}

  async publish(record: ElevationRecord): Promise<void> {
    const approval = record.approval;
    if (record.state !== 'awaitingApproval' || !approval) return;
    // Once: a request whose approval cards are out is not posted again (e.g. by the start-up catch-up).
    const posts = (await this.options.store.getDocument<PostsDocument>(postsKey(record.id)))?.value.posts ?? [];
    if (posts.some((post) => (post.kind ?? 'elevate') === 'elevate')) return;
    await this.post(record, 'elevate', approval.approvalsChannel, approval.approverUserIds);
  }

  async publishPim(record: ElevationRecord): Promise<void> {
    if (!record.pimApprovalId || !record.roleId) return;
    // Once per request: a PIM approval whose cards are out is not posted again (a failed post may be tried again).
    const posts = (await this.options.store.getDocument<PostsDocument>(postsKey(record.id)))?.value.posts ?? [];
    if (posts.some((post) => post.kind === 'pim')) return;
    const policy = effectivePolicy(this.options.policy, record.environment, record.roleId);
    await this.post(record, 'pim', policy.approvalsChannel, policy.namedApproverUserIds);
  }

  async refresh(record: ElevationRecord): Promise<void> {
    const posts = (await this.options.store.getDocument<PostsDocument>(postsKey(record.id)))?.value.posts ?? [];
    if (posts.length === 0) return;
    // Render from the newest stored record, again if it changed meanwhile: racing votes never leave a stale card.
    let seen: string | undefined;
    for (let round = 0; round < 3; round++) {
      const latest = await this.options.store.getElevation(record.id);
      if (!latest || latest.version === seen) return;
      seen = latest.version;
      const cards = {
        elevate: approvalCardFor(latest.value, undefined, undefined, 'elevate'),
        pim: approvalCardFor(latest.value, undefined, undefined, 'pim'),
      };
      await Promise.all(posts.map((post) => this.update(post, cards[post.kind ?? 'elevate'], record.id)));
    }
  }

  private async post(record: ElevationRecord, kind: ApprovalCardKind, channelId: string | undefined, approverUserIds: readonly string[]): Promise<void> {
    const card = approvalCardFor(record, undefined, undefined, kind);
    const posted: ApprovalPost[] = [];
    const channel = await this.channelPost(record, channelId, card);
    if (channel) posted.push({ ...channel, kind });
    const users = approverUserIds.filter((id) => !sameId(id, record.requester.aadObjectId)).slice(0, MAX_PERSONAL_CARDS);
    const serviceUrl = await this.serviceUrl(record);
    for (const userId of users) {
      const personal = serviceUrl ? await this.personalPost(record, userId, serviceUrl, card) : undefined;
      if (personal) posted.push({ ...personal, kind });
    }
    if (posted.length === 0) {
      this.options.logger.error(
        { elevationId: record.id },
        'no approval card could be posted: say "@Elevate approvals here" in the approvers\' channel or list approverUserIds in the policy',
      );
    }
    await this.remember(record.id, posted);
  }

  private async channelPost(record: ElevationRecord, channelId: string | undefined, card: object): Promise<ApprovalPost | undefined> {
    const channel = await loadApprovalsChannel(this.options.store, channelId);
    if (!channel) {
      if (channelId)
        this.options.logger.warn({ elevationId: record.id, channelId }, 'the policy names an approvals channel, but nobody said "@Elevate approvals here" yet');
      return undefined;
    }
    try {
      const posted = await this.options.messenger.startThread(channel, this.message(record, card));
      return { target: 'channel', chat: posted.chat, activityId: posted.messageId };
    } catch (error) {
      this.options.logger.error(
        { err: error, elevationId: record.id, channelId: channel.channelId },
        'could not post the approval card to the approvals channel',
      );
      return undefined;
    }
  }

  private async personalPost(record: ElevationRecord, userId: string, serviceUrl: string, card: object): Promise<ApprovalPost | undefined> {
    try {
      const posted = await this.options.messenger.openPersonalChat(
        { serviceUrl, tenantId: this.options.tenantId, aadObjectId: userId },
        this.message(record, card),
      );
      return { target: 'personal', userId, chat: posted.chat, activityId: posted.messageId };
    } catch (error) {
      this.options.logger.warn({ err: error, elevationId: record.id, approverId: userId }, 'could not send the approval card 1:1 to an approver');
      return undefined;
    }
  }

  private async update(post: ApprovalPost, card: object, elevationId: string): Promise<void> {
    try {
      const chat = post.chat ?? chatAddressOf((post as { reference?: unknown }).reference);
      if (!chat) throw new Error('the post has no chat address');
      await this.options.messenger.replace(chat, post.activityId, card);
    } catch (error) {
      this.options.logger.warn({ err: error, elevationId, target: post.target }, 'could not update an approval card');
    }
  }

  private message(record: ElevationRecord, card: object): OutboundMessage {
    return { card, summary: `Approval needed: ${record.requester.name}, ${record.roleName ?? 'admin role'} in ${record.environment.displayName}` };
  }

  /** The Teams service URL: from the requester's chat, else from the security channel. */
  private async serviceUrl(record: ElevationRecord): Promise<string | undefined> {
    const requester = record.card ? await this.options.conversations.find(record.card.conversationId) : undefined;
    return requester?.serviceUrl ?? (await loadSecurityChannel(this.options.store))?.chat.serviceUrl;
  }

  private async remember(elevationId: string, posts: ApprovalPost[]): Promise<void> {
    if (posts.length === 0) return;
    const result = await compareAndSwap(documentAccess<PostsDocument>(this.options.store, postsKey(elevationId)), (existing) => ({
      posts: [...(existing?.value.posts ?? []), ...posts],
    }));
    if (result.kind === 'conflict') this.options.logger.error({ elevationId }, 'could not remember where the approval cards are: they will not be updated');
  }
}
