import type { Logger } from 'pino';
import { sameId } from '../../domain/approval.js';
import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { GrantNotices } from '../../ports/grant-notices.js';
import { getGrant } from '../../use-cases/grants/grant-store.js';
import { renderMessageCard } from '../cards/message-card.js';
import { grantApprovalCard } from '../cards/grant-approval-card.js';
import { grantCard, grantChannelCard, grantReminderCard, grantSubject } from '../cards/grant-cards.js';
import { loadApprovalsChannel } from '../channels/approvals-channel.js';
import type { ConversationDirectory } from '../channels/conversations.js';
import { loadSecurityChannel } from '../channels/security-channel.js';
import type { ChatAddress, Courier, OutboundMessage, PostedMessage } from '../chat.js';
import { ENGLISH, textsFor, type Texts } from '../locale/texts.js';
import { ApprovalPosts } from './approval-posts.js';

/** Listed approvers who get a grant's approval card 1:1, at most. */
const MAX_PERSONAL_CARDS = 25;
/** The outbox hook that remembers a delivered grant approval card (registered by compose-grants.ts). */
export const GRANT_APPROVAL_POST_HOOK = 'grantApprovalPost';
const postsKey = (grantId: string): string => `grant-approval-cards:${grantId}`;

/** What an approval card shows: a card queued at one stamp is stale at another. */
function stampOf(grant: RbacGrantRecord): string {
  return [grant.state, grant.approval?.status ?? '', grant.approval?.votes.length ?? 0, grant.history.length].join('|');
}

/**
 * Steps worth a new 1:1 message besides the card updated in place (the card may be far up the chat by
 * then, as for elevations): an approver's decision and what follows it, a failure, the end at expiry.
 * A grant without approval that is assigned at once, a cancel or a deactivation the requester asked
 * for only update the card.
 */
function notifies(grant: RbacGrantRecord): boolean {
  if (grant.state === 'failed') return true;
  if (grant.state === 'ended') return grant.ending?.reason === 'expired';
  return grant.approval !== undefined && grant.state !== 'cancelled' && grant.state !== 'awaitingApproval';
}

/**
 * Power Platform RBAC grants in Teams, through the outbox: every message is keyed by grant and step,
 * so it is sent once whatever the redeliveries, retries and instances, in the language of the chat it
 * goes to. Approval cards go to the approvals channel (`approvals here`) and 1:1 to the approver users
 * the policy lists; where each was posted is kept in the store, and every later step of the grant
 * updates each of them in place, as elevation approval cards are (teams-approval-board.ts).
 */
export class TeamsGrantNotices implements GrantNotices {
  private readonly posts: ApprovalPosts;

  constructor(private readonly options: { courier: Courier; store: ElevationStore; conversations: ConversationDirectory; tenantId: string; logger: Logger }) {
    this.posts = new ApprovalPosts({ ...options, key: postsKey, maxPosts: MAX_PERSONAL_CARDS + 2 });
  }

  async tellRequester(grant: RbacGrantRecord): Promise<void> {
    await this.showRequester(grant);
    if (grant.card?.messageId && !notifies(grant)) return;
    await this.toRequester(grant, `grant:${grant.id}:tell:${grant.state}:${grant.history.length}`, (texts) => ({
      card: grantCard(grant, texts),
      summary: texts.fill(texts.c.grant.summary, { subject: grantSubject(grant, texts) }),
    }));
  }

  /** Rendered from the newest stored grant, so racing steps (assigning, then active) never leave an older card. */
  async showRequester(grant: RbacGrantRecord): Promise<void> {
    const messageId = grant.card?.messageId;
    if (!grant.card || !messageId) return;
    try {
      const chat = await this.options.conversations.find(grant.card.conversationId);
      if (!chat) return this.options.logger.warn({ grantId: grant.id }, "the requester's chat is not known: grant card not updated");
      const latest = (await getGrant(this.options.store, grant.id))?.value ?? grant;
      await this.options.courier.replace(chat, messageId, grantCard(latest, textsFor(chat)), {
        key: `grant:${grant.id}:card:${latest.state}:${latest.history.length}`,
      });
    } catch (error) {
      this.options.logger.error({ err: error, grantId: grant.id }, "could not queue the update of the requester's grant card");
    }
  }

  async remind(grant: RbacGrantRecord, minutesLeft: number): Promise<void> {
    await this.toRequester(grant, `grant:${grant.id}:remind:${minutesLeft}`, (texts) => ({
      card: grantReminderCard(grant, minutesLeft, texts),
      summary: texts.fill(texts.c.grant.reminderSummary, { subject: grantSubject(grant, texts), duration: texts.duration(minutesLeft) }),
    }));
  }

  async security(grant: RbacGrantRecord): Promise<void> {
    const step = `${grant.state}:${grant.approval?.votes.length ?? 0}:${grant.history.length}`;
    await this.toSecurity(`grant:${grant.id}:post:${step}`, (texts) => ({
      card: grantChannelCard(grant, texts),
      summary: texts.fill(texts.c.grant.channelSummary, { requester: grant.requester.name, subject: grantSubject(grant, texts) }),
    }));
  }

  async alert(grant: RbacGrantRecord, message: string): Promise<void> {
    await this.toSecurity(`grant:${grant.id}:alert:${grant.removal?.attempts ?? 0}`, (texts) => ({
      card: renderMessageCard({ title: texts.c.grant.alertTitle, text: message, tone: 'attention' }),
      summary: texts.fill(texts.c.grant.alertSummary, { subject: grantSubject(grant, texts) }),
    }));
  }

  async publishApproval(grant: RbacGrantRecord): Promise<void> {
    const approval = grant.approval;
    if (!approval || grant.state !== 'awaitingApproval') return;
    const data = { grantId: grant.id, stamp: stampOf(grant) };
    try {
      const channel = await loadApprovalsChannel(this.options.store, approval.approvalsChannel);
      if (channel) {
        await this.options.courier.startThread(channel, this.approvalMessage(grant, textsFor(channel.chat)), {
          key: `grant-approval:${grant.id}:channel`,
          after: { hook: GRANT_APPROVAL_POST_HOOK, data: { ...data, target: 'channel' } },
        });
      }
      const users = approval.approverUserIds.filter((id) => !sameId(id, grant.requester.aadObjectId)).slice(0, MAX_PERSONAL_CARDS);
      const serviceUrl = users.length > 0 ? await this.serviceUrl(grant) : undefined;
      for (const userId of serviceUrl ? users : []) {
        // 1:1 cards in English until the approver writes there (as elevation approval cards).
        await this.options.courier.openPersonalChat(
          { serviceUrl: serviceUrl!, tenantId: this.options.tenantId, aadObjectId: userId },
          this.approvalMessage(grant, ENGLISH),
          {
            key: `grant-approval:${grant.id}:user:${userId}`,
            after: { hook: GRANT_APPROVAL_POST_HOOK, data: { ...data, target: 'personal', userId } },
          },
        );
      }
      if (!channel && users.length === 0)
        this.options.logger.error({ grantId: grant.id }, 'no approval card could be posted: say "@Elevate approvals here" in the approvers\' channel');
    } catch (error) {
      this.options.logger.error({ err: error, grantId: grant.id }, 'could not queue the approval cards of a grant');
    }
  }

  async refreshApproval(grant: RbacGrantRecord): Promise<void> {
    try {
      const posts = await this.posts.list(grant.id);
      if (posts.length === 0) return;
      // Render from the newest stored grant, again if it changed meanwhile: racing votes never leave a stale card.
      let seen: string | undefined;
      for (let round = 0; round < 3; round++) {
        const latest = await getGrant(this.options.store, grant.id);
        if (!latest || latest.version === seen) return;
        seen = latest.version;
        await Promise.all(posts.map((post) => this.posts.update(post, grantApprovalCard(latest.value, undefined, textsFor(post.chat)), grant.id)));
      }
    } catch (error) {
      this.options.logger.error({ err: error, grantId: grant.id }, 'could not update the approval cards of a grant');
    }
  }

  /**
   * Outbox hook: a grant approval card Teams has taken. Remembered (compare-and-swap) so every later
   * step updates it; if the grant changed while the card waited in the outbox, it is updated at once.
   */
  async recordPost(posted: PostedMessage, data: Record<string, string>): Promise<void> {
    const grantId = data['grantId'] ?? '';
    const post = ApprovalPosts.of(posted, data);
    await this.posts.remember(grantId, [post]);
    const latest = await getGrant(this.options.store, grantId);
    if (latest && stampOf(latest.value) !== data['stamp'])
      await this.posts.update(post, grantApprovalCard(latest.value, undefined, textsFor(post.chat)), grantId);
  }

  private approvalMessage(grant: RbacGrantRecord, texts: Texts): OutboundMessage {
    const summary = texts.fill(texts.c.grant.approvalSummary, { requester: grant.requester.name, subject: grantSubject(grant, texts) });
    return { card: grantApprovalCard(grant, undefined, texts), summary };
  }

  private async toRequester(grant: RbacGrantRecord, key: string, message: (texts: Texts) => OutboundMessage): Promise<void> {
    try {
      const chat: ChatAddress | undefined = grant.card ? await this.options.conversations.find(grant.card.conversationId) : undefined;
      if (!chat) return this.options.logger.warn({ grantId: grant.id }, "the requester's chat is not known: message not sent");
      await this.options.courier.send(chat, message(textsFor(chat)), { key });
    } catch (error) {
      this.options.logger.error({ err: error, grantId: grant.id }, 'could not queue a message to the requester of a grant');
    }
  }

  private async toSecurity(key: string, message: (texts: Texts) => OutboundMessage): Promise<void> {
    try {
      const channel = await loadSecurityChannel(this.options.store);
      if (!channel) return this.options.logger.warn('no security notification channel is set: say "@Elevate notify here" in a team channel');
      await this.options.courier.startThread(channel, message(textsFor(channel.chat)), { key });
    } catch (error) {
      this.options.logger.error({ err: error }, 'could not queue a post to the security channel');
    }
  }

  private async serviceUrl(grant: RbacGrantRecord): Promise<string | undefined> {
    const requester = grant.card ? await this.options.conversations.find(grant.card.conversationId) : undefined;
    return requester?.serviceUrl ?? (await loadSecurityChannel(this.options.store))?.chat.serviceUrl;
  }
}
