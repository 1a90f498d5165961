import type { Logger } from 'pino';
import { sameId } from '../../domain/approval.js';
import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { GrantNotices } from '../../ports/grant-notices.js';
import { renderMessageCard } from '../cards/message-card.js';
import { grantApprovalCard, grantCard, grantChannelCard, grantReminderCard, grantSubject } from '../cards/grant-cards.js';
import { loadApprovalsChannel } from '../channels/approvals-channel.js';
import type { ConversationDirectory } from '../channels/conversations.js';
import { loadSecurityChannel } from '../channels/security-channel.js';
import type { Courier } from '../chat.js';

/** Listed approvers who get a grant's approval card 1:1, at most. */
const MAX_PERSONAL_CARDS = 25;

/**
 * Power Platform RBAC grants in Teams, through the outbox: every message is keyed by grant and step,
 * so it is sent once whatever the redeliveries, retries and instances. Approval cards go to the
 * approvals channel (`approvals here`) and 1:1 to the approver users the policy lists; they are not
 * updated in place after a decision (each tap is answered with the tapper's own view).
 */
export class TeamsGrantNotices implements GrantNotices {
  constructor(private readonly options: { courier: Courier; store: ElevationStore; conversations: ConversationDirectory; tenantId: string; logger: Logger }) {}

  async tellRequester(grant: RbacGrantRecord): Promise<void> {
    await this.toRequester(grant, `grant:${grant.id}:tell:${grant.state}:${grant.history.length}`, {
      card: grantCard(grant),
      summary: `Elevate: ${grantSubject(grant)}`,
    });
  }

  async remind(grant: RbacGrantRecord, minutesLeft: number): Promise<void> {
    await this.toRequester(grant, `grant:${grant.id}:remind:${minutesLeft}`, {
      card: grantReminderCard(grant, minutesLeft),
      summary: `Elevate: ends in ${minutesLeft} minutes`,
    });
  }

  async security(grant: RbacGrantRecord): Promise<void> {
    const step = `${grant.state}:${grant.approval?.votes.length ?? 0}:${grant.history.length}`;
    await this.toSecurity(`grant:${grant.id}:post:${step}`, grantChannelCard(grant), `Elevate RBAC: ${grant.requester.name}, ${grantSubject(grant)}`);
  }

  async alert(grant: RbacGrantRecord, message: string): Promise<void> {
    const card = renderMessageCard({ title: '⚠ Elevate needs attention: a Power Platform role assignment stays', text: message, tone: 'attention' });
    await this.toSecurity(`grant:${grant.id}:alert:${grant.removal?.attempts ?? 0}`, card, `Elevate alert: ${grantSubject(grant)}`);
  }

  async publishApproval(grant: RbacGrantRecord): Promise<void> {
    const approval = grant.approval;
    if (!approval || grant.state !== 'awaitingApproval') return;
    const message = { card: grantApprovalCard(grant), summary: `Approval needed: ${grant.requester.name}, ${grantSubject(grant)}` };
    try {
      const channel = await loadApprovalsChannel(this.options.store, approval.approvalsChannel);
      if (channel) await this.options.courier.startThread(channel, message, { key: `grant-approval:${grant.id}:channel` });
      const users = approval.approverUserIds.filter((id) => !sameId(id, grant.requester.aadObjectId)).slice(0, MAX_PERSONAL_CARDS);
      const serviceUrl = users.length > 0 ? await this.serviceUrl(grant) : undefined;
      for (const userId of serviceUrl ? users : []) {
        await this.options.courier.openPersonalChat({ serviceUrl: serviceUrl!, tenantId: this.options.tenantId, aadObjectId: userId }, message, {
          key: `grant-approval:${grant.id}:user:${userId}`,
        });
      }
      if (!channel && users.length === 0)
        this.options.logger.error({ grantId: grant.id }, 'no approval card could be posted: say "@Elevate approvals here" in the approvers\' channel');
    } catch (error) {
      this.options.logger.error({ err: error, grantId: grant.id }, 'could not queue the approval cards of a grant');
    }
  }

  private async toRequester(grant: RbacGrantRecord, key: string, message: { card: object; summary: string }): Promise<void> {
    try {
      const chat = grant.card ? await this.options.conversations.find(grant.card.conversationId) : undefined;
      if (!chat) return this.options.logger.warn({ grantId: grant.id }, "the requester's chat is not known: message not sent");
      await this.options.courier.send(chat, message, { key });
    } catch (error) {
      this.options.logger.error({ err: error, grantId: grant.id }, 'could not queue a message to the requester of a grant');
    }
  }

  private async toSecurity(key: string, card: object, summary: string): Promise<void> {
    try {
      const channel = await loadSecurityChannel(this.options.store);
      if (!channel) return this.options.logger.warn('no security notification channel is set: say "@Elevate notify here" in a team channel');
      await this.options.courier.startThread(channel, { card, summary }, { key });
    } catch (error) {
      this.options.logger.error({ err: error }, 'could not queue a post to the security channel');
    }
  }

  private async serviceUrl(grant: RbacGrantRecord): Promise<string | undefined> {
    const requester = grant.card ? await this.options.conversations.find(grant.card.conversationId) : undefined;
    return requester?.serviceUrl ?? (await loadSecurityChannel(this.options.store))?.chat.serviceUrl;
  }
}
