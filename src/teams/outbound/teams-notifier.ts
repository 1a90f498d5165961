import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { formatAnchor } from '../../domain/audit.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { PIM_APPROVAL_APPROVED, PIM_APPROVAL_DENIED } from '../../domain/failures.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { AuditAnchorNotice, Notifier } from '../../ports/notifier.js';
import type { Clock } from '../../ports/clock.js';
import type { DurableTimer, TimerOutcome, TimerStore } from '../../ports/timer-store.js';
import { approvalStepText } from '../cards/approval-cards.js';
import { channelCard, messageCard } from '../cards/elevation-cards.js';
import type { Messenger } from '../chat.js';
import { loadSecurityChannel, type SecurityChannel } from '../channels/security-channel.js';

/** Durable timer kind of the outbox: a channel post not (yet) delivered. */
export const CHANNEL_POST_KIND = 'channelPost';
/**
 * An outbox entry waits this long before the scheduler delivers it: longer than any direct send
 * (botbuilder's own retries included) takes, so a slow send and the outbox do not both post.
 */
const OUTBOX_DELAY_MS = 5 * 60_000;

/**
 * Posts elevation outcomes to the security notification channel, each as a new thread. A post is
 * claimed in the store first (per elevation and step), so duplicate workers or redeliveries do not
 * post it again; it is then written to a durable outbox (a timer due in five minutes) before it is
 * sent, and the outbox entry is removed once Teams accepted it. A post that fails, or is cut short
 * by a crash, is delivered by the timer scheduler with backoff: no notification is lost (at least
 * once; twice only if a send outlives the outbox delay or its removal fails).
 */
export class TeamsNotifier implements Notifier {
  constructor(
    private readonly messenger: Messenger,
    private readonly store: ElevationStore,
    private readonly timers: TimerStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Timer handler (`channelPost`): delivers an outbox entry; a failure throws, so the scheduler retries with backoff. */
  async deliver(timer: DurableTimer): Promise<TimerOutcome> {
    const channel = await loadSecurityChannel(this.store);
    if (!channel) return { retryAt: new Date(this.clock.now().getTime() + 5 * 60_000) };
    await this.send(channel, JSON.parse(String(timer.payload['card'])) as object, String(timer.payload['summary'] ?? ''));
    return 'done';
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
    const step = record.state === 'failed' ? `failed:${record.failure?.code ?? ''}:${record.history.length}` : record.state;
    return this.post(logContext(record), `post:${record.id}:${step}`, channelCard(record), summary);
  }

  /**
   * Posts once per `claimKey` (claimed in the store only once a channel is known): claim, outbox,
   * send, remove from the outbox. Resolves true when the post was sent or is in the outbox.
   */
  private async post(context: Record<string, unknown>, claimKey: string, card: object, summary: string): Promise<boolean> {
    const log = this.logger.child(context);
    let queued = false;
    const outboxId = `outbox:${createHash('sha256').update(claimKey).digest('hex').slice(0, 40)}`;
    try {
      const channel = await loadSecurityChannel(this.store);
      if (!channel) {
        log.warn('no security notification channel is set: say "@Elevate notify here" in a team channel');
        return false;
      }
      if (!(await this.store.claimOnce(claimKey, this.clock.now()))) return true;
      const dueAt = new Date(this.clock.now().getTime() + OUTBOX_DELAY_MS).toISOString();
      await this.timers.schedule({ id: outboxId, kind: CHANNEL_POST_KIND, subject: outboxId, dueAt, payload: { card: JSON.stringify(card), summary } });
      queued = true;
      await this.send(channel, card, summary);
    } catch (error) {
      log.error({ err: error, queued }, queued ? 'could not post to the security channel yet: the outbox retries' : 'could not post to the security channel');
      // Sooner than the crash-safety delay: the scheduler's next poll, then its backoff.
      if (queued) await this.retrySoon(outboxId).catch(() => undefined);
      return queued;
    }
    // Sent: out of the outbox. Should that fail, the entry posts once more in five minutes (at least once, never lost).
    await this.timers.cancel(outboxId, [CHANNEL_POST_KIND]).catch((error: unknown) => log.error({ err: error }, 'could not clear a sent post from the outbox'));
    return true;
  }

  private async retrySoon(outboxId: string): Promise<void> {
    const [entry] = await this.timers.list(outboxId);
    if (entry) await this.timers.schedule({ ...entry, dueAt: new Date(this.clock.now().getTime() + 1_000).toISOString() });
  }

  private async send(channel: SecurityChannel, card: object, summary: string): Promise<void> {
    await this.messenger.startThread(channel, { card, summary });
  }
}

function logContext(record: ElevationRecord): Record<string, unknown> {
  return { elevationId: record.id, state: record.state };
}
