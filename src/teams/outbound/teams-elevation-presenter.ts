import type { Logger } from 'pino';
import type { ExtensionAllowance } from '../../domain/extension.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import type { ElevationPresenter, ElevationProgress, ScheduleNotice } from '../../ports/elevation-presenter.js';
import { dueCard, startingCard } from '../cards/scheduled-card.js';
import type { ConversationDirectory } from '../channels/conversations.js';
import type { StepUpSignIn } from '../sign-in/step-up.js';
import { continueCard, elevationCard, endedCard, reminderCard, type AdaptiveCard } from '../cards/elevation-cards.js';
import type { Courier, OutboundMessage } from '../chat.js';
import { textsFor, type Texts } from '../locale/texts.js';

/**
 * The requester's card for the record's current state, with the **Sign in** link when a failure
 * needs an interactive sign-in (a fresh single-use link each time).
 */
export async function requesterCard(
  stepUp: StepUpSignIn,
  record: ElevationRecord,
  activationWindowMinutes: number,
  progress?: ElevationProgress,
  texts?: Texts,
): Promise<AdaptiveCard> {
  const signInUrl =
    record.state === 'failed' && record.stepUp
      ? await stepUp.url(record.requester.aadObjectId, { kind: 'elevation', elevationId: record.id }, record.stepUp)
      : undefined;
  return elevationCard(record, {
    activationWindowMinutes,
    ...(progress ? { progress } : {}),
    ...(signInUrl ? { signInUrl } : {}),
    ...(texts ? { texts } : {}),
  });
}

interface CardQueue {
  next?: { record: ElevationRecord; progress?: ElevationProgress };
  done?: Promise<void>;
}

/** ElevationPresenter in Teams: the requester's card updated in place, and new 1:1 messages (proactive, through the outbox). */
export class TeamsElevationPresenter implements ElevationPresenter {
  private readonly cardQueues = new Map<string, CardQueue>();

  constructor(
    private readonly courier: Courier,
    private readonly conversations: ConversationDirectory,
    private readonly stepUp: StepUpSignIn,
    private readonly logger: Logger,
    private readonly activationWindowMinutes = 60,
  ) {}

  /**
   * Queues the update and returns at once (issue #13: the next step never waits for the store or
   * Teams). Updates of one card are rendered and put in the outbox one at a time, in order; while one
   * is being queued only the newest waiting update is kept, so a burst of progress ends on the last
   * state, never an older one (the outbox also sends only the newest queued update of a card).
   */
  async show(record: ElevationRecord, progress?: ElevationProgress): Promise<void> {
    if (!record.card) return;
    const key = `${record.card.conversationId}\u0000${record.card.activityId}`;
    const queue = this.cardQueues.get(key);
    if (queue) {
      queue.next = { record, ...(progress ? { progress } : {}) };
      return;
    }
    const fresh: CardQueue = { next: { record, ...(progress ? { progress } : {}) } };
    this.cardQueues.set(key, fresh);
    fresh.done = this.drain(key, fresh);
  }

  /** Resolves when every card update is in the outbox (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.cardQueues.values()].map((q) => q.done));
  }

  private async drain(key: string, queue: CardQueue): Promise<void> {
    while (queue.next) {
      const { record, progress } = queue.next;
      queue.next = undefined;
      await this.update(record, progress);
    }
    this.cardQueues.delete(key);
  }

  private async update(record: ElevationRecord, progress?: ElevationProgress): Promise<void> {
    if (!record.card) return;
    const { conversationId, activityId } = record.card;
    try {
      const chat = await this.conversations.find(conversationId);
      if (!chat) throw new Error('no chat address for the card');
      const card = await requesterCard(this.stepUp, record, this.activationWindowMinutes, progress, textsFor(chat));
      await this.courier.replace(chat, activityId, card);
    } catch (error) {
      this.logger.warn({ err: error, elevationId: record.id }, 'could not queue the requester card update');
    }
  }

  async remind(record: ElevationRecord, minutesLeft: number, extension?: ExtensionAllowance): Promise<void> {
    const environment = record.environment.displayName;
    await this.send(record, `remind:${record.id}:${minutesLeft}`, (texts) => [
      {
        card: reminderCard(record, minutesLeft, texts, extension),
        summary: texts.fill(texts.c.notice.reminder, { environment, duration: texts.duration(minutesLeft) }),
      },
    ]);
  }

  async tell(record: ElevationRecord): Promise<void> {
    const environment = record.environment.displayName;
    await this.send(record, `tell:${record.id}:${record.history.length}`, (texts) => [
      {
        card: elevationCard(record, { activationWindowMinutes: this.activationWindowMinutes, texts }),
        summary: texts.fill(record.state === 'failed' ? texts.c.notice.notApproved : texts.c.notice.approved, { environment }),
      },
    ]);
  }

  async ended(record: ElevationRecord): Promise<void> {
    await this.send(record, `ended:${record.id}`, (texts) => [
      { card: endedCard(record, texts), summary: texts.fill(texts.c.notice.ended, { environment: record.environment.displayName }) },
    ]);
  }

  /**
   * An OAuth card with a token exchange resource, which the Teams client answers silently with
   * `signin/tokenExchange` (docs/api-contracts.md §5), then a **Continue** card for a client that does not.
   */
  async askToSignIn(record: ElevationRecord): Promise<void> {
    const link = await this.stepUp.url(record.requester.aadObjectId, { kind: 'elevation', elevationId: record.id });
    await this.send(record, `ask-sign-in:${record.id}:${record.history.length}`, (texts) => [
      { signIn: { title: texts.c.notice.signInTitle, text: texts.c.notice.signInText, link } },
      { card: continueCard(record, texts), summary: texts.fill(texts.c.elevation.continueTitle, { environment: record.environment.displayName }) },
    ]);
  }

  async scheduleNotice(record: ElevationRecord, notice: ScheduleNotice): Promise<void> {
    const environment = record.environment.displayName;
    const link = notice === 'due' ? await this.stepUp.url(record.requester.aadObjectId, { kind: 'elevation', elevationId: record.id }) : undefined;
    await this.send(record, `schedule-${notice}:${record.id}:${record.history.length}`, (texts) => {
      const s = texts.c.schedule;
      if (notice === 'starting') return [{ card: startingCard(record, texts), summary: texts.fill(s.startingNotice, { environment }) }];
      if (notice === 'notStarted')
        return [
          {
            card: elevationCard(record, { activationWindowMinutes: this.activationWindowMinutes, texts }),
            summary: texts.fill(s.notStartedNotice, { environment }),
          },
        ];
      return [
        { signIn: { title: texts.c.notice.signInTitle, text: texts.c.notice.signInText, link: link ?? '' } },
        { card: dueCard(record, texts), summary: texts.fill(s.dueTitle, { environment }) },
      ];
    });
  }

  /**
   * New messages in the chat where the request was made (a notification, unlike a card update), in
   * the requester's language and zone as stored with that chat; queued once per `key` (a timer that
   * runs again after a crash does not send a second reminder).
   */
  private async send(record: ElevationRecord, key: string, messages: (texts: Texts) => OutboundMessage[]): Promise<void> {
    // An extension request has no card of its own: its messages go to the requester's chat all the same.
    const where = record.card ?? record.chat;
    if (!where) return;
    try {
      const chat = await this.conversations.find(where.conversationId);
      if (!chat) throw new Error('no chat address for the requester');
      for (const [n, message] of messages(textsFor(chat)).entries()) await this.courier.send(chat, message, { key: `${key}:${n}` });
    } catch (error) {
      this.logger.warn({ err: error, elevationId: record.id }, 'could not message the requester');
    }
  }
}
