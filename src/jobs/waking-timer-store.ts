import type { RetryOptions, TimerStore } from '../ports/timer-store.js';

/**
 * The timer store as the use cases and the scheduler see it: every new or moved due time is also
 * told to `wake` (the scheduler's `wakeAt`), so a timer due in seconds does not wait for the next
 * poll. Everything else is the store's.
 */
export function wakingTimerStore(store: TimerStore, wake: (due: Date) => void): TimerStore {
  return {
    schedule: async (timer) => {
      await store.schedule(timer);
      wake(new Date(timer.dueAt));
    },
    claimDue: (now, owner, leaseMs, limit) => store.claimDue(now, owner, leaseMs, limit),
    complete: (id, owner) => store.complete(id, owner),
    nextDue: (owner, now) => store.nextDue(owner, now),
    releaseEarlierRuns: (instance, current) => store.releaseEarlierRuns(instance, current),
    renew: (id, owner, leaseUntil) => store.renew(id, owner, leaseUntil),
    retryLater: async (id: string, owner: string, dueAt: Date, options?: RetryOptions) => {
      const held = await store.retryLater(id, owner, dueAt, options);
      if (held) wake(dueAt);
      return held;
    },
    cancel: (subject, kinds) => store.cancel(subject, kinds),
    list: (subject) => store.list(subject),
  };
}
