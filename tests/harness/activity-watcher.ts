import { cardOf } from './card-find.js';
import { cardText, type AdaptiveCard } from './cards.js';
import type { ControlClient, RecordedActivity } from './control.js';

export interface WaitOptions {
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Default 100 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function summary(record: RecordedActivity): string {
  const text = [record.activity.text ?? '', cardText(cardOf(record))].filter(Boolean).join(' | ').replace(/\s+/g, ' ');
  const kinds = (record.activity.attachments ?? []).map((a) => a.contentType.split('.').pop()).join(',');
  return `  ${record.id}${record.deleted ? ' (deleted)' : ''} ${record.activity.type ?? ''}${kinds ? ` [${kinds}]` : ''} v${record.updates.length + 1}: ${text.slice(0, 160)}`;
}

/**
 * Reads what the bot posted to one conversation through the simulator's connector
 * (`/_control/activities`), and keeps the cards this user was shown in invoke responses, which
 * Teams displays without the connector seeing them.
 */
export class ActivityWatcher {
  /** activity id → card from an invoke response, and how many connector updates the activity had when the tap was sent. */
  private readonly views = new Map<string, { card: AdaptiveCard; updatesBefore: number }>();

  constructor(
    protected readonly control: ControlClient,
    readonly watchedConversationId: string,
    /** For channel clients: every reply chain of the channel ("<channelId>;messageid=…") belongs to it. */
    private readonly channelId?: string,
  ) {}

  private belongs(record: RecordedActivity): boolean {
    const id = record.conversationId ?? record.activity.conversation?.id ?? '';
    if (this.channelId === undefined) return id === this.watchedConversationId;
    return id === this.channelId || id.split(';')[0] === this.channelId;
  }

  /** What the bot posted to this conversation, oldest first, each with its latest version and updates. */
  async activities(): Promise<RecordedActivity[]> {
    // The simulator answers a bare channel id with every reply chain of that channel.
    const records = await this.control.activities(this.channelId ?? this.watchedConversationId);
    return records.filter((r) => this.belongs(r));
  }

  /** The recorded activity with this id; throws when the bot never posted it here. */
  async recorded(activityId: string): Promise<RecordedActivity> {
    const records = await this.activities();
    const record = records.find((r) => r.id === activityId);
    if (!record) throw new Error(`no activity ${activityId} in ${this.watchedConversationId}; recorded:\n${records.map(summary).join('\n')}`);
    return record;
  }

  /**
   * Polls until `check(records)` returns something other than `undefined`, and returns that. A
   * `check` that throws counts as "not yet" (so predicates may use `latestCard`); the last error is
   * reported on timeout.
   */
  async waitUntil<T>(check: (records: RecordedActivity[]) => T | undefined, options: WaitOptions = {}): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    let records: RecordedActivity[];
    let lastError: unknown;
    for (;;) {
      records = await this.activities();
      try {
        const found = check(records);
        if (found !== undefined) return found;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() >= deadline) break;
      await sleep(options.intervalMs ?? 100);
    }
    const seen = records.map(summary).join('\n') || '  (nothing)';
    const error = lastError instanceof Error ? `\nlast error of the check: ${lastError.message}` : '';
    throw new Error(
      `timed out after ${options.timeoutMs ?? 10_000} ms waiting for ${options.what ?? 'a matching activity'} in ${this.watchedConversationId}; recorded:\n${seen}${error}`,
    );
  }

  /** The newest recorded activity that satisfies `predicate`, waiting for one to appear. */
  waitFor(predicate: (record: RecordedActivity) => boolean, options: WaitOptions = {}): Promise<RecordedActivity> {
    const matches = (record: RecordedActivity): boolean => {
      try {
        return predicate(record);
      } catch {
        return false;
      }
    };
    return this.waitUntil((records) => records.filter(matches).at(-1), options);
  }

  /** The newest activity whose text or card text contains `pattern` (string) or matches it (RegExp). */
  waitForText(pattern: string | RegExp, options: WaitOptions = {}): Promise<RecordedActivity> {
    const test = (text: string): boolean => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
    return this.waitFor((r) => !r.deleted && test(`${r.activity.text ?? ''}\n${cardText(cardOf(r))}`), { what: `text ${String(pattern)}`, ...options });
  }

  /**
   * The card this user sees on `record`: the card of an invoke response to this user's tap, unless
   * the bot updated the activity after that tap was sent; otherwise the bot's latest version.
   */
  visibleCard(record: RecordedActivity): AdaptiveCard {
    const view = this.views.get(record.id);
    if (view && record.updates.length <= view.updatesBefore) return view.card;
    const card = cardOf(record);
    if (!card) throw new Error(`activity ${record.id} has no Adaptive Card:\n${summary(record)}`);
    return card;
  }

  protected showCard(activityId: string, card: AdaptiveCard, updatesBefore: number): void {
    this.views.set(activityId, { card, updatesBefore });
  }
}
