import { randomBytes } from 'node:crypto';
import { RETENTION } from '../../domain/retention.js';
import type { Clock } from '../../ports/clock.js';
import type { ElevationStore, Versioned } from '../../ports/elevation-store.js';
import type { DurableTimer, TimerOutcome, TimerStore } from '../../ports/timer-store.js';

/** What to do once the user has signed in. */
export type Continuation = { kind: 'elevation'; elevationId: string } | { kind: 'command'; text: string; conversationId: string } | ApprovalContinuation;

/**
 * An approver's Approve that needs a fresh strong sign-in (issue #18): the vote is cast when the
 * approver comes back. `tapAt` (ISO, Elevate's clock) is what the token's `iat` must not precede.
 */
export interface ApprovalContinuation {
  kind: 'approval';
  elevationId: string;
  tapAt: string;
  approverName?: string;
  /** The chat and the card the approver tapped, whose sign-in answer is replaced by the outcome. */
  conversationId: string;
  cardId?: string;
}

/** One sign-in waiting for Entra's redirect: no secret (neither the state nor the PKCE verifier). */
interface PendingEntry {
  /** SHA-256 of the sign-in's `state`. */
  stateHash: string;
  continuation: Continuation;
  /** Epoch ms when the link was made. */
  at: number;
}

/**
 * The store document `signins:<object id>`: a user's pending sign-ins, newest last. `generation`
 * names the durable timer that removes the document once every entry expired; a document whose
 * entries all expired counts as absent, and the next sign-in starts a new generation (with its
 * own timer), so that a timer is never lost to a document deleted and written again meanwhile.
 */
interface PendingDocument {
  generation: string;
  entries: PendingEntry[];
}

/** Durable timer kind that removes a user's expired sign-ins. */
export const SIGN_IN_EXPIRY_KIND = 'signInExpiry';

const TTL_MS = RETENTION.pendingSignInMinutes * 60_000;
/**
 * Compare-and-swap tries, with a jittered pause (real time, as compare-and-swap.ts pauses) growing by
 * `JITTER_MS`: enough for a burst of messages from one user (tested with eight at once).
 */
const ATTEMPTS = 10;
const JITTER_MS = 10;

const documentKey = (aadObjectId: string): string => `signins:${aadObjectId.toLowerCase()}`;
const timerId = (aadObjectId: string, generation: string): string => `${documentKey(aadObjectId)}:${generation}`;

/**
 * A user's pending interactive sign-ins, in one store document whatever the number of messages
 * they send without signing in: at most `RETENTION.pendingSignInsPerUser` (a new one drops the
 * oldest), each usable for `RETENTION.pendingSignInMinutes` and once. Every write is
 * compare-and-swap and drops expired entries; a durable timer deletes the document when the last
 * entry expired.
 */
export class PendingSignIns {
  constructor(
    private readonly store: Pick<ElevationStore, 'getDocument' | 'putDocument' | 'deleteDocument'>,
    private readonly timers: Pick<TimerStore, 'schedule'>,
    private readonly clock: Clock,
  ) {}

  /** Keeps a new pending sign-in (the oldest goes when there are too many). */
  async add(aadObjectId: string, stateHash: string, continuation: Continuation): Promise<void> {
    const key = documentKey(aadObjectId);
    let fresh: string | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.store.getDocument<PendingDocument>(key);
      const now = this.clock.now().getTime();
      const live = this.live(current, now);
      // A document without live entries counts as absent: a new generation, whose timer is made once per call.
      const generation = live.length > 0 && current ? current.value.generation : (fresh ??= await this.newGeneration(aadObjectId, now));
      const entries = [...live, { stateHash, continuation, at: now }].slice(-RETENTION.pendingSignInsPerUser);
      if (await this.store.putDocument<PendingDocument>(key, { generation, entries }, current?.version)) return;
      await this.pause(attempt);
    }
    throw new Error('could not keep the sign-in state');
  }

  /** Removes the pending sign-in and returns its continuation; undefined when unknown, expired or already taken. */
  async take(aadObjectId: string, stateHash: string): Promise<Continuation | undefined> {
    const key = documentKey(aadObjectId);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.store.getDocument<PendingDocument>(key);
      const live = this.live(current, this.clock.now().getTime());
      const entry = live.find((e) => e.stateHash === stateHash);
      if (!current || !entry) return undefined;
      // Written back, even empty: only the timer deletes the document, once every entry expired, so
      // that a version seen here cannot come back on a new document before this write.
      const next = { generation: current.value.generation, entries: live.filter((e) => e !== entry) };
      if (await this.store.putDocument<PendingDocument>(key, next, current.version)) return entry.continuation;
      await this.pause(attempt);
    }
    return undefined;
  }

  /** Timer handler: deletes the document once every entry expired; looks again when the newest one expires. */
  async expire(timer: DurableTimer): Promise<TimerOutcome> {
    const aadObjectId = String(timer.payload['aadObjectId'] ?? '');
    const generation = String(timer.payload['generation'] ?? '');
    const key = documentKey(aadObjectId);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.store.getDocument<PendingDocument>(key);
      if (!current || current.value.generation !== generation) return 'done';
      const live = this.live(current, this.clock.now().getTime());
      if (live.length > 0) return { retryAt: new Date(Math.max(...live.map((e) => e.at)) + TTL_MS) };
      if (await this.store.deleteDocument(key, current.version)) return 'done';
    }
    return { retryAt: new Date(this.clock.now().getTime() + 60_000) };
  }

  private pause(attempt: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * JITTER_MS * (attempt + 1))));
  }

  private live(current: Versioned<PendingDocument> | undefined, now: number): PendingEntry[] {
    return (current?.value.entries ?? []).filter((e) => now - e.at <= TTL_MS);
  }

  /** A new generation and, before the document names it, its timer (idempotent by id; a lost race leaves a timer that finds nothing). */
  private async newGeneration(aadObjectId: string, now: number): Promise<string> {
    const generation = randomBytes(9).toString('base64url');
    const id = timerId(aadObjectId, generation);
    await this.timers.schedule({
      id,
      kind: SIGN_IN_EXPIRY_KIND,
      subject: documentKey(aadObjectId),
      dueAt: new Date(now + TTL_MS).toISOString(),
      payload: { aadObjectId: aadObjectId.toLowerCase(), generation },
    });
    return generation;
  }
}
