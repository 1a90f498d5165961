import type { Logger } from 'pino';

/**
 * One structured warning per refused request (a bad token, a malformed activity), with a rate limit
 * per source: the first `limit` refusals of a source in a window are logged, the rest are counted
 * and told in one summary line when the window ends ("N more refused from X"). Someone hammering
 * the endpoint with bad tokens cannot flood the log, and the log still says that they did.
 */
export interface RefusalLogOptions {
  logger: Logger;
  /** Refusals logged per source per window; 0 logs only the summaries. */
  limit: number;
  windowMs?: number;
  /** Sources tracked at once; beyond it, refusals of new sources share one entry (`other sources`). */
  maxSources?: number;
  now?: () => number;
}

interface Window {
  startedAt: number;
  logged: number;
  suppressed: number;
  timer?: ReturnType<typeof setTimeout>;
}

export const OTHER_SOURCES = 'other sources';

export class RefusalLog {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly maxSources: number;
  private readonly now: () => number;

  constructor(private readonly options: RefusalLogOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxSources = options.maxSources ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Logs `fields` (never a token or key: the caller names the reason) unless `source` is over its limit. */
  refused(source: string, fields: Record<string, unknown>, message: string): void {
    const key = this.keyFor(source);
    const window = this.windowOf(key);
    if (window.logged < this.options.limit) {
      window.logged += 1;
      this.options.logger.warn({ ...fields, source }, message);
      return;
    }
    window.suppressed += 1;
    // The summary is written when the window ends, even if the source has gone quiet by then.
    window.timer ??= setTimeout(() => this.close(key), Math.max(0, window.startedAt + this.windowMs - this.now()));
    window.timer.unref?.();
  }

  /** Writes the pending summaries now (shutdown). */
  flush(): void {
    for (const key of [...this.windows.keys()]) this.close(key);
  }

  private keyFor(source: string): string {
    if (this.windows.has(source) || this.windows.size < this.maxSources) return source;
    this.dropEnded();
    return this.windows.size < this.maxSources ? source : OTHER_SOURCES;
  }

  private windowOf(key: string): Window {
    const current = this.windows.get(key);
    if (current && this.now() - current.startedAt < this.windowMs) return current;
    if (current) this.close(key);
    const fresh: Window = { startedAt: this.now(), logged: 0, suppressed: 0 };
    this.windows.set(key, fresh);
    return fresh;
  }

  private close(key: string): void {
    const window = this.windows.get(key);
    if (!window) return;
    this.windows.delete(key);
    if (window.timer) clearTimeout(window.timer);
    if (window.suppressed === 0) return;
    this.options.logger.warn(
      { event: 'refusalsSuppressed', source: key, count: window.suppressed, windowSeconds: Math.round(this.windowMs / 1000) },
      `${window.suppressed} more refused from ${key}`,
    );
  }

  private dropEnded(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.close(key);
  }
}
