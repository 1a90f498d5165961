import type { Logger } from 'pino';
import { formatAnchor } from '../../domain/audit.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { PIM_APPROVAL_APPROVED, PIM_APPROVAL_DENIED } from '../../domain/failures.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { AuditAnchorNotice, Notifier } from '../../ports/notifier.js';
import type { Clock } from '../../ports/clock.js';
import type { DurableTimer, TimerOutcome } from '../../ports/timer-store.js';
import { approvalStepText } from '../cards/approval-cards.js';
import { channelCard, channelReminderCard, messageCard } from '../cards/elevation-cards.js';
import type { Courier } from '../chat.js';
import { textsFor, type Texts } from '../locale/texts.js';
import { loadSecurityChannel } from '../channels/security-channel.js';

/**
 * Durable timer kind of the security-channel outbox of earlier versions: entries an upgrade finds
 * are handed to the outbox (`outbox.ts`), which now carries every proactive message.
 */
export const CHANNEL_POST_KIND = 'channelPost';

/**
 * Posts elevation outcomes to the security notification channel, each as a new thread, through the
 * outbox: queued once per elevation and step (the key), so duplicate workers, redeliveries and other
 * instances do not post it again, and delivered even across a crash or a Teams outage.
 */
export class TeamsNotifier implements Notifier {
  constructor(
    private readonly courier: Courier,
    private readonly store: ElevationStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Timer handler (`channelPost`): an entry of an earlier version's outbox, queued again in the outbox. */
  async deliver(timer: DurableTimer): Promise<TimerOutcome> {
    const channel = await loadSecurityChannel(this.store);
    if (!channel) return { retryAt: new Date(this.clock.now().getTime() + 5 * 60_000) };
    await this.courier.startThread(
      channel,
      { card: JSON.parse(String(timer.payload['card'])) as object, summary: String(timer.payload['summary'] ?? '') },
      { key: timer.id },
    );
    return 'done';
  }

  /**
   * The outbox could not deliver a message to a conversation after several tries: an alert in the
   * security channel, once per message; only logged when the security channel is the one failing.
   */
  async deliveryFailing(notice: { id: string; conversation: string; op: string; status: number | undefined; attempts: number }): Promise<void> {
    const channel = await loadSecurityChannel(this.store);
    const fields = { outboxId: notice.id, op: notice.op, status: notice.status, attempts: notice.attempts };
    if (!channel || channel.chat.conversationId === notice.conversation) {
      this.logger.error(fields, 'the security channel keeps refusing messages: check that Elevate is still installed in its team');
      return;
    }
    const card = messageCard({
      title: '⚠ Teams keeps refusing a message from Elevate',
      text: `A ${notice.op === 'replace' ? 'card update' : 'message'} to one conversation failed ${notice.attempts} times (${notice.status ? `Teams answered ${notice.status}` : 'no answer'}). Elevate keeps trying for a while; if the user removed the app or left the chat, the message cannot be delivered.`,
      tone: 'attention',
    });
    await this.post(fields, `outbox-failing:${notice.id}`, card, 'Elevate: a message keeps failing');
  }

  async alert(record: ElevationRecord, message: string): Promise<boolean> {
    const card = messageCard({ title: '⚠ Elevate needs attention', text: message, tone: 'attention' });
    return this.post(logContext(record), `alert:${record.id}:${message}`, card, `Elevate alert: ${record.environment.displayName}`);
  }

  async auditAnchor(anchor: AuditAnchorNotice): Promise<boolean> {
    const value = formatAnchor(anchor);
    const key = anchor.keyId ? ` sealed with key "${anchor.keyId}"` : '';
    const by = anchor.requestedBy ? ` Published on request of ${anchor.requestedBy.name ?? anchor.requestedBy.aadObjectId}.` : '';
    const card = messageCard({
      title: `Audit anchor: entry #${anchor.seq}`,
      text: `Elevate verified its audit log: ${anchor.count} ${anchor.count === 1 ? 'entry' : 'entries'} up to #${anchor.seq}${key}.${by} Keep this post: with it, a later check finds entries up to #${anchor.seq} deleted or rewritten. Run:`,
      items: [`npm run audit -- --verify --anchor ${value}`],
      tone: 'good',
    });
    return this.post({ auditSeq: anchor.seq }, `audit-anchor:${value}`, card, `Elevate audit anchor: --anchor ${value}`);
  }

  async auditAlert(alert: { key: string; title: string; text: string }): Promise<boolean> {
    const card = messageCard({ title: alert.title, text: alert.text, tone: 'attention' });
    return this.post({ auditAlert: alert.title }, alert.key, card, `Elevate: ${alert.title}`);
  }

  async reminder(record: ElevationRecord, minutesLeft: number, key: string): Promise<boolean> {
    const summary = `Elevate reminder: ${record.requester.name} in ${record.environment.displayName}`;
    return this.post(logContext(record), `reminder:${key}`, (texts) => channelReminderCard(record, minutesLeft, texts), summary);
  }

  async approvalChanged(record: ElevationRecord): Promise<boolean> {
    const approval = record.approval;
    const pim = record.pimDecision;
    // A PIM decision made through Elevate, also on a request that needed Elevate's approval first.
    if (pim && (record.failure?.code === PIM_APPROVAL_APPROVED || record.failure?.code === PIM_APPROVAL_DENIED)) {
      const verb = pim.decision === 'approve' ? 'approved' : `denied (${pim.reason ?? ''})`;
      const text = `PIM approver ${pim.name} ${verb} ${record.requester.name}'s PIM activation of ${record.roleName ?? 'a role'} for ${record.environment.displayName}.`;
      const card = messageCard({
        title: `PIM approval: ${record.requester.name} in ${record.environment.displayName}`,
        text,
        tone: pim.decision === 'approve' ? 'good' : 'default',
      });
      return this.post(
        logContext(record),
        `pim-approval:${record.id}:${record.pimApprovalId ?? ''}:${pim.decision}`,
        card,
        `Elevate PIM approval: ${record.requester.name}`,
      );
    }
    if (!approval) return false;
    const tone = approval.status === 'approved' ? 'good' : 'default';
    const card = messageCard({ title: `Approval: ${record.requester.name} in ${record.environment.displayName}`, text: approvalStepText(record), tone });
    // One post per step: the n-th vote (or the outcome) posts once, however many instances see it.
    return this.post(
      logContext(record),
      `approval:${record.id}:${approval.votes.length}:${approval.status}`,
      card,
      `Elevate approval: ${record.requester.name}`,
    );
  }

  async elevationChanged(record: ElevationRecord): Promise<boolean> {
    const summary = `Elevate: ${record.requester.name} ${record.state} in ${record.environment.displayName}`;
    // One post per state; a failed elevation may fail again after a retry, with another failure.
    // A scheduled elevation (issue #16) is posted again at each move (a history step each).
    const step =
      record.state === 'failed'
        ? `failed:${record.failure?.code ?? ''}:${record.history.length}`
        : record.schedule && (record.state === 'scheduled' || record.state === 'awaitingApproval')
          ? `${record.state}:${record.history.length}`
          : record.state;
    // In the channel's language (stored when "notify here" was said there).
    return this.post(logContext(record), `post:${record.id}:${step}`, (texts) => channelCard(record, texts), summary);
  }

  /** Queues the post once per `key`; false when no security channel is set. */
  private async post(context: Record<string, unknown>, key: string, card: object | ((texts: Texts) => object), summary: string): Promise<boolean> {
    const log = this.logger.child(context);
    try {
      const channel = await loadSecurityChannel(this.store);
      if (!channel) {
        log.warn('no security notification channel is set: say "@Elevate notify here" in a team channel');
        return false;
      }
      await this.courier.startThread(channel, { card: typeof card === 'function' ? card(textsFor(channel.chat)) : card, summary }, { key });
      return true;
    } catch (error) {
      log.error({ err: error }, 'could not queue a post to the security channel');
      return false;
    }
  }
}

function logContext(record: ElevationRecord): Record<string, unknown> {
  return { elevationId: record.id, state: record.state };
}
