import type { Logger } from 'pino';
import { formatAnchor } from '../../domain/audit.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { PIM_APPROVAL_APPROVED, PIM_APPROVAL_DENIED } from '../../domain/failures.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { AuditAlert, AuditAnchorNotice, ElevationAlert, Notifier } from '../../ports/notifier.js';
import type { Clock } from '../../ports/clock.js';
import type { DurableTimer, TimerOutcome } from '../../ports/timer-store.js';
import { channelCard, channelOutcome, channelReminderCard } from '../cards/elevation-cards.js';
import type { Courier } from '../chat.js';
import { textsFor, type Texts } from '../locale/texts.js';
import { loadSecurityChannel } from '../channels/security-channel.js';
import {
  approvalStepNotice,
  auditAlertNotice,
  auditAnchorNotice,
  deliveryFailingNotice,
  elevationAlertNotice,
  pimDecisionNotice,
  type ChannelNotice,
} from '../channels/security-notices.js';

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
    await this.post(fields, `outbox-failing:${notice.id}`, (texts) => deliveryFailingNotice(notice, texts));
  }

  async alert(record: ElevationRecord, alert: ElevationAlert): Promise<boolean> {
    const key = `alert:${record.id}:${alert.kind}:${alert.kind === 'cleanupFailing' ? alert.attempts : alert.from}`;
    return this.post(logContext(record), key, (texts) => elevationAlertNotice(record, alert, texts));
  }

  async auditAnchor(anchor: AuditAnchorNotice): Promise<boolean> {
    return this.post({ auditSeq: anchor.seq }, `audit-anchor:${formatAnchor(anchor)}`, (texts) => auditAnchorNotice(anchor, texts));
  }

  async auditAlert(alert: AuditAlert): Promise<boolean> {
    return this.post({ auditAlert: alert.kind }, alert.key, (texts) => auditAlertNotice(alert, texts));
  }

  async reminder(record: ElevationRecord, minutesLeft: number, key: string): Promise<boolean> {
    return this.post(logContext(record), `reminder:${key}`, (texts) => ({
      card: channelReminderCard(record, minutesLeft, texts),
      summary: texts.fill(texts.c.security.reminderSummary, { requester: record.requester.name, environment: record.environment.displayName }),
    }));
  }

  async approvalChanged(record: ElevationRecord): Promise<boolean> {
    const approval = record.approval;
    const pim = record.pimDecision;
    // A PIM decision made through Elevate, also on a request that needed Elevate's approval first.
    if (pim && (record.failure?.code === PIM_APPROVAL_APPROVED || record.failure?.code === PIM_APPROVAL_DENIED)) {
      const key = `pim-approval:${record.id}:${record.pimApprovalId ?? ''}:${pim.decision}`;
      return this.post(logContext(record), key, (texts) => pimDecisionNotice(record, texts));
    }
    if (!approval) return false;
    // One post per step: the n-th vote (or the outcome) posts once, however many instances see it.
    const key = `approval:${record.id}:${approval.votes.length}:${approval.status}`;
    return this.post(logContext(record), key, (texts) => approvalStepNotice(record, texts));
  }

  async elevationChanged(record: ElevationRecord): Promise<boolean> {
    // One post per state; a failed elevation may fail again after a retry, with another failure.
    // A scheduled elevation (issue #16) is posted again at each move (a history step each), an
    // extended one at each extension (its activation took `active`).
    const step =
      record.state === 'failed'
        ? `failed:${record.failure?.code ?? ''}:${record.history.length}`
        : record.state === 'active' && record.extensions?.length
          ? `extended:${record.extensions.length}`
          : record.schedule && (record.state === 'scheduled' || record.state === 'awaitingApproval')
            ? `${record.state}:${record.history.length}`
            : record.state;
    // In the channel's language (stored when "notify here" was said there).
    return this.post(logContext(record), `post:${record.id}:${step}`, (texts) => ({
      card: channelCard(record, texts),
      summary: texts.fill(texts.c.security.elevationSummary, {
        outcome: texts.c.channel[channelOutcome(record)],
        requester: record.requester.name,
        environment: record.environment.displayName,
      }),
    }));
  }

  /**
   * Queues the post once per `key`, in the channel's language (that of the member who said `notify
   * here` there, stored with the channel; else English); false when no security channel is set.
   */
  private async post(context: Record<string, unknown>, key: string, notice: (texts: Texts) => ChannelNotice): Promise<boolean> {
    const log = this.logger.child(context);
    try {
      const channel = await loadSecurityChannel(this.store);
      if (!channel) {
        log.warn('no security notification channel is set: say "@Elevate notify here" in a team channel');
        return false;
      }
      const { card, summary } = notice(textsFor(channel.chat));
      await this.courier.startThread(channel, { card, summary }, { key });
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
