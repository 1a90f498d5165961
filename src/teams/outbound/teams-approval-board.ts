import type { Logger } from 'pino';
import { sameId } from '../../domain/approval.js';
import { effectivePolicy, type ElevatePolicy } from '../../domain/elevate-policy.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import type { ApprovalBoard } from '../../ports/approval-board.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import { approvalCardFor, type ApprovalCardKind } from '../cards/approval-cards.js';
import { textsFor, type Texts } from '../locale/texts.js';
import { loadApprovalsChannel } from '../channels/approvals-channel.js';
import type { ConversationDirectory } from '../channels/conversations.js';
import type { ChatAddress, Courier, OutboundMessage, PostedMessage } from '../chat.js';
import { ApprovalPosts, type ApprovalPost } from './approval-posts.js';
import { loadSecurityChannel } from '../channels/security-channel.js';

/** The outbox hook that remembers a delivered approval card (registered in main.ts). */
export const APPROVAL_POST_HOOK = 'approvalPost';

/** What an approval card shows: a card queued at one stamp is stale at another. */
function stampOf(record: ElevationRecord): string {
  return [record.state, record.approval?.status ?? '', record.approval?.votes.length ?? 0, record.pimDecision?.decision ?? '', record.history.length].join('|');
}
/** Listed approvers who get the card 1:1, at most (a group's members see it in the channel). */
const MAX_PERSONAL_CARDS = 25;
/** Where an elevation's approval cards are kept (the key earlier versions wrote). */
const postsKey = (elevationId: string): string => `approval-cards:${elevationId}`;

export type { ApprovalPost };

/**
 * Approval cards in Teams: posted to the approvals channel (`approvals here`, or the policy's
 * `approvalsChannel`) and 1:1 to every listed approver user; kept current by updating each posted
 * card in place from the latest stored record. Card posts are kept per elevation in the store, so
 * any instance, after any restart, updates the same cards.
 */
export class TeamsApprovalBoard implements ApprovalBoard {
  private readonly posts: ApprovalPosts;

  constructor(
    private readonly options: {
      courier: Courier;
      tenantId: string;
      store: ElevationStore;
      conversations: ConversationDirectory;
      policy: ElevatePolicy;
      logger: Logger;
    },
  ) {
    this.posts = new ApprovalPosts({ ...options, key: postsKey, maxPosts: MAX_PERSONAL_CARDS + 2 });
  }

  async publish(record: ElevationRecord): Promise<void> {
    const approval = record.approval;
    if (record.state !== 'awaitingApproval' || !approval) return;
    // Once: a request whose approval cards are out is not posted again (e.g. by the start-up catch-up).
    const posts = await this.posts.list(record.id);
    if (posts.some((post) => (post.kind ?? 'elevate') === 'elevate')) return;
    await this.post(record, 'elevate', approval.approvalsChannel, approval.approverUserIds);
  }

  async publishPim(record: ElevationRecord): Promise<void> {
    if (!record.pimApprovalId || !record.roleId) return;
    // Once per request: a PIM approval whose cards are out is not posted again (a failed post may be tried again).
    const posts = await this.posts.list(record.id);
    if (posts.some((post) => post.kind === 'pim')) return;
    const policy = effectivePolicy(this.options.policy, record.environment, record.roleId);
    await this.post(record, 'pim', policy.approvalsChannel, policy.namedApproverUserIds);
  }

  async refresh(record: ElevationRecord): Promise<void> {
    const posts = await this.posts.list(record.id);
    if (posts.length === 0) return;
    // Render from the newest stored record, again if it changed meanwhile: racing votes never leave a stale card.
    let seen: string | undefined;
    for (let round = 0; round < 3; round++) {
      const latest = await this.options.store.getElevation(record.id);
      if (!latest || latest.version === seen) return;
      seen = latest.version;
      // Each post in the language of its chat (the approvals channel as stored; 1:1 cards in English until the approver writes).
      await Promise.all(
        posts.map((post) =>
          this.posts.update(post, approvalCardFor(latest.value, undefined, undefined, post.kind ?? 'elevate', textsFor(post.chat)), record.id),
        ),
      );
    }
  }

  /**
   * Queues the card for the approvals channel and 1:1 for each listed approver (once per place, by
   * key); `recordPost` remembers each one when Teams has taken it, so later updates reach it.
   */
  private async post(record: ElevationRecord, kind: ApprovalCardKind, channelId: string | undefined, approverUserIds: readonly string[]): Promise<void> {
    const message = (texts: Texts) => this.message(record, approvalCardFor(record, undefined, undefined, kind, texts), texts);
    const data = { elevationId: record.id, kind, stamp: stampOf(record) };
    let queued = 0;
    const channel = await loadApprovalsChannel(this.options.store, channelId);
    if (channel) {
      await this.options.courier.startThread(channel, message(textsFor(channel.chat)), {
        key: `approval-card:${record.id}:${kind}:channel`,
        after: { hook: APPROVAL_POST_HOOK, data: { ...data, target: 'channel' } },
      });
      queued++;
    } else if (channelId) {
      this.options.logger.warn({ elevationId: record.id, channelId }, 'the policy names an approvals channel, but nobody said "@Elevate approvals here" yet');
    }
    const users = approverUserIds.filter((id) => !sameId(id, record.requester.aadObjectId)).slice(0, MAX_PERSONAL_CARDS);
    // The requester's chat: where their card is, or (an extension request) where its elevation's is.
    const chat = record.card ?? record.chat;
    const requester = users.length > 0 && chat ? await this.options.conversations.find(chat.conversationId) : undefined;
    const serviceUrl = users.length > 0 ? await this.serviceUrl(requester) : undefined;
    for (const userId of serviceUrl ? users : []) {
      const texts = await this.approverTexts(userId, requester);
      await this.options.courier.openPersonalChat({ serviceUrl: serviceUrl!, tenantId: this.options.tenantId, aadObjectId: userId }, message(texts), {
        key: `approval-card:${record.id}:${kind}:user:${userId}`,
        after: { hook: APPROVAL_POST_HOOK, data: { ...data, target: 'personal', userId } },
      });
      queued++;
    }
    if (queued === 0) {
      this.options.logger.error(
        { elevationId: record.id },
        'no approval card could be posted: say "@Elevate approvals here" in the approvers\' channel or list approverUserIds in the policy',
      );
    }
  }

  /**
   * Outbox hook: an approval card Teams has taken. Remembered (compare-and-swap) so every later change
   * updates it; if the request changed while the card waited in the outbox, it is updated at once.
   */
  async recordPost(posted: PostedMessage, data: Record<string, string>): Promise<void> {
    const elevationId = data['elevationId'] ?? '';
    const post = ApprovalPosts.of(posted, data);
    const kind = post.kind ?? 'elevate';
    await this.posts.remember(elevationId, [post]);
    const latest = await this.options.store.getElevation(elevationId);
    if (latest && stampOf(latest.value) !== data['stamp'])
      await this.posts.update(post, approvalCardFor(latest.value, undefined, undefined, kind, textsFor(post.chat)), elevationId);
  }

  private message(record: ElevationRecord, card: object, texts: Texts): OutboundMessage {
    const what = texts.fill(texts.c.approval.what, {
      requester: record.requester.name,
      role: record.roleName ?? texts.c.common.administratorRole,
      environment: record.environment.displayName,
    });
    return { card, summary: texts.fill(texts.c.approval.neededTitle, { what }) };
  }

  /** The Teams service URL: from the requester's chat, else from the security channel. */
  private async serviceUrl(requester: ChatAddress | undefined): Promise<string | undefined> {
    return requester?.serviceUrl ?? (await loadSecurityChannel(this.options.store))?.chat.serviceUrl;
  }

  /**
   * The language of a 1:1 approval card Elevate opens itself: the approver's own Teams locale when
   * they ever wrote to Elevate 1:1, else the requester's (same organisation: the best guess Elevate
   * has), else English. Teams refreshes the card for the approver when they open it (Universal
   * Actions `refresh.userIds`), and the refresh answers in their own locale (README, Languages).
   */
  private async approverTexts(approverId: string, requester: ChatAddress | undefined): Promise<Texts> {
    const own = await this.options.conversations.readerOf(approverId);
    return textsFor(own ?? requester);
  }
}
