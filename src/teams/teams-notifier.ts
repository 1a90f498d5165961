import { CardFactory, MessageFactory, TeamsInfo, type Activity, type CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationStore } from '../ports/elevation-store.js';
import type { Notifier } from '../ports/notifier.js';
import { approvalStepText } from './approval-cards.js';
import { channelCard, messageCard } from './elevation-cards.js';
import { loadSecurityChannel } from './security-channel.js';

/**
 * Posts elevation outcomes to the security notification channel, each as a new thread. A post is
 * claimed in the store first (per elevation and state), so duplicate workers or redeliveries never
 * post twice.
 */
export class TeamsNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botId: string,
    private readonly store: ElevationStore,
    private readonly logger: Logger,
  ) {}

  async alert(record: ElevationRecord, message: string): Promise<boolean> {
    const card = messageCard({ title: '⚠ Elevate needs attention', text: message, tone: 'attention' });
    return this.post(record, `alert:${record.id}:${message}`, card, `Elevate alert: ${record.environment.displayName}`);
  }

  async approvalChanged(record: ElevationRecord): Promise<boolean> {
    const approval = record.approval;
    const pim = record.pimDecision;
    // A PIM decision made through Elevate, also on a request that needed Elevate's approval first.
    if (pim && (record.failure?.code === 'PimApproved' || record.failure?.code === 'PimApprovalDenied')) {
      const verb = pim.decision === 'approve' ? 'approved' : `denied (${pim.reason ?? ''})`;
      const text = `PIM approver ${pim.name} ${verb} ${record.requester.name}'s PIM activation of ${record.roleName ?? 'a role'} for ${record.environment.displayName}.`;
      const card = messageCard({
        title: `PIM approval: ${record.requester.name} in ${record.environment.displayName}`,
        text,
        tone: pim.decision === 'approve' ? 'good' : 'default',
      });
      return this.post(
        record,
        `pim-approval:${record.id}:${record.pimApprovalId ?? ''}:${pim.decision}`,
        card,
        `Elevate PIM approval: ${record.requester.name}`,
      );
    }
    if (!approval) return false;
    const tone = approval.status === 'approved' ? 'good' : 'default';
    const card = messageCard({ title: `Approval: ${record.requester.name} in ${record.environment.displayName}`, text: approvalStepText(record), tone });
    // One post per step: the n-th vote (or the outcome) posts once, however many instances see it.
    return this.post(record, `approval:${record.id}:${approval.votes.length}:${approval.status}`, card, `Elevate approval: ${record.requester.name}`);
  }

  async elevationChanged(record: ElevationRecord): Promise<boolean> {
    const summary = `Elevate: ${record.requester.name} ${record.state} in ${record.environment.displayName}`;
    // One post per state; a failed elevation may fail again after a retry, with another failure.
    const step = record.state === 'failed' ? `failed:${record.failure?.code ?? ''}:${record.history.length}` : record.state;
    return this.post(record, `post:${record.id}:${step}`, channelCard(record), summary);
  }

  /** Posts once per `claimKey` (claimed in the store only once a channel is known). */
  private async post(record: ElevationRecord, claimKey: string, card: object, summary: string): Promise<boolean> {
    const log = this.logger.child({ elevationId: record.id, state: record.state });
    try {
      const channel = await loadSecurityChannel(this.store);
      if (!channel) {
        log.warn('no security notification channel is set: say "@Elevate notify here" in a team channel');
        return false;
      }
      if (!(await this.store.claimOnce(claimKey, new Date()))) return true;
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.summary = summary;
      await this.adapter.continueConversationAsync(this.botId, channel.reference, async (context) => {
        if (this.botId) await TeamsInfo.sendMessageToTeamsChannel(context, activity as Activity, channel.channelId, this.botId);
        else await context.sendActivity(activity);
      });
      return true;
    } catch (error) {
      log.error({ err: error }, 'could not post to the security channel');
      return false;
    }
  }
}
