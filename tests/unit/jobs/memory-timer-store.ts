import type { DurableTimer, RetryOptions, TimerStore } from '../../../src/ports/timer-store.js';

interface Held {
  timer: DurableTimer;
  owner?: string;
  leaseUntil?: number;
}

/**
 * TimerStore in memory for the scheduler tests, following the SQLite store's contract. Records
 * how many claims overlap; `failNextClaim` makes the next claim throw.
 */
export class MemoryTimerStore implements TimerStore {
  readonly rows = new Map<string, Held>();
  claims = 0;
  maxConcurrentClaims = 0;
  failNextClaim: Error | undefined;
  private activeClaims = 0;

  async schedule(timer: Omit<DurableTimer, 'attempts'>): Promise<void> {
    const existing = this.rows.get(timer.id);
    if (existing?.owner !== undefined) return;
    this.rows.set(timer.id, { timer: { ...timer, attempts: existing?.timer.attempts ?? 0 } });
  }

  async claimDue(now: Date, owner: string, leaseMs: number, limit: number): Promise<DurableTimer[]> {
    this.claims++;
    this.activeClaims++;
    this.maxConcurrentClaims = Math.max(this.maxConcurrentClaims, this.activeClaims);
    try {
      await Promise.resolve();
      if (this.failNextClaim) throw this.failNextClaim;
      const due = [...this.rows.values()]
        .filter((row) => Date.parse(row.timer.dueAt) <= now.getTime())
        .filter((row) => row.owner === undefined || row.owner === owner || (row.leaseUntil ?? 0) < now.getTime())
        .sort((a, b) => Date.parse(a.timer.dueAt) - Date.parse(b.timer.dueAt) || a.timer.id.localeCompare(b.timer.id))
        .slice(0, limit);
      for (const row of due) Object.assign(row, { owner, leaseUntil: now.getTime() + leaseMs });
      return due.map((row) => ({ ...row.timer }));
    } finally {
      this.failNextClaim = undefined;
      this.activeClaims--;
    }
  }

  async complete(id: string, owner: string): Promise<boolean> {
    return this.rows.get(id)?.owner === owner && this.rows.delete(id);
  }

  async nextDue(owner: string, now: Date): Promise<Date | undefined> {
    const times = [...this.rows.values()].map((row) => {
      const due = Date.parse(row.timer.dueAt);
      const held = row.owner !== undefined && row.owner !== owner && (row.leaseUntil ?? 0) >= now.getTime();
      return held ? Math.max(due, (row.leaseUntil ?? 0) + 1) : due;
    });
    return times.length === 0 ? undefined : new Date(Math.min(...times));
  }

  async releaseEarlierRuns(instance: string, current: string): Promise<number> {
    const earlier = [...this.rows.values()].filter((row) => row.owner?.startsWith(`${instance}#`) && row.owner !== current);
    for (const row of earlier) Object.assign(row, { owner: undefined, leaseUntil: undefined });
    return earlier.length;
  }

  async renew(id: string, owner: string, leaseUntil: Date): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.owner !== owner) return false;
    row.leaseUntil = leaseUntil.getTime();
    return true;
  }

  async retryLater(id: string, owner: string, dueAt: Date, options: RetryOptions = {}): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.owner !== owner) return false;
    const attempts = row.timer.attempts + (options.countAttempt === false ? 0 : 1);
    this.rows.set(id, { timer: { ...row.timer, dueAt: dueAt.toISOString(), attempts } });
    return true;
  }

  async cancel(subject: string, kinds?: string[]): Promise<number> {
    const doomed = [...this.rows.values()].filter((row) => row.timer.subject === subject && (!kinds || kinds.includes(row.timer.kind)));
    for (const row of doomed) this.rows.delete(row.timer.id);
    return doomed.length;
  }

  async list(subject?: string): Promise<DurableTimer[]> {
    return [...this.rows.values()].map((row) => ({ ...row.timer })).filter((timer) => subject === undefined || timer.subject === subject);
  }
}
