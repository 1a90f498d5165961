import { createHash } from 'node:crypto';
import type { ElevationStore } from '../../ports/elevation-store.js';
import { compareAndSwap, documentAccess } from '../../use-cases/compare-and-swap.js';
import type { RateLimit } from '../../domain/rate-limits.js';

interface PaceDocument {
  /** Epoch ms of the sends in the longest window, oldest first. */
  sent: number[];
}

/**
 * A send budget per conversation shared by every instance through the store: a slot is taken with
 * compare-and-swap on the conversation's document of recent send times, so two instances never
 * both take the last slot of a window.
 */
export class Pacer {
  private readonly longestMs: number;

  constructor(
    private readonly store: Pick<ElevationStore, 'getDocument' | 'putDocument'>,
    private readonly limits: readonly RateLimit[],
  ) {
    this.longestMs = Math.max(0, ...limits.map((l) => l.windowMs));
  }

  /**
   * Once the send is over: its slot moves from when it was taken to when Teams had answered. Teams
   * counts a message when it arrives, which lies between the two; counting from the answer keeps the
   * next slot clear of it however long the send took (a slow send followed by a fast one would
   * otherwise arrive closer together than they were paced).
   */
  async settle(lane: string, takenAt: number, answeredAt: number): Promise<void> {
    if (this.limits.length === 0) return;
    await compareAndSwap(documentAccess<PaceDocument>(this.store, paceKey(lane)), (current) => {
      const sent = current?.value.sent ?? [];
      const at = sent.lastIndexOf(takenAt);
      if (at < 0) return undefined;
      return { sent: [...sent.slice(0, at), ...sent.slice(at + 1), answeredAt].sort((a, b) => a - b) };
    });
  }

  /** Takes a slot at `now` and resolves 'go', or resolves the earliest time a slot may be free. */
  async reserve(lane: string, now: number): Promise<'go' | { notBefore: number }> {
    if (this.limits.length === 0) return 'go';
    let wait = 0;
    const result = await compareAndSwap(documentAccess<PaceDocument>(this.store, paceKey(lane)), (current) => {
      const sent = (current?.value.sent ?? []).filter((t) => now - t < this.longestMs);
      wait = this.waitFor(sent, now);
      return wait > 0 ? undefined : { sent: [...sent, now] };
    });
    if (result.kind === 'conflict') return { notBefore: now + 50 };
    return wait > 0 ? { notBefore: now + wait } : 'go';
  }

  /** How long until every limit has room for one more send. */
  private waitFor(sent: readonly number[], now: number): number {
    let wait = 0;
    for (const { count, windowMs } of this.limits) {
      const inWindow = sent.filter((t) => now - t < windowMs);
      if (inWindow.length < count) continue;
      // The slot frees when the oldest send that keeps the window full leaves it.
      const oldest = inWindow[inWindow.length - count]!;
      wait = Math.max(wait, oldest + windowMs - now);
    }
    return wait;
  }
}

function paceKey(lane: string): string {
  return `outbox-pace:${createHash('sha256').update(lane).digest('hex').slice(0, 32)}`;
}
