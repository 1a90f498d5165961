/**
 * `GET /readyz`: whether this instance can do its work now: the store answers and the credentials it
 * needs are obtainable. Load balancers (App Service health check, Container Apps readiness probes)
 * call it every few seconds, so the outcome is kept for `cacheMs` and concurrent probes share one run;
 * a check never takes longer than `timeoutMs`.
 */
export interface ReadinessCheck {
  name: string;
  run(): Promise<unknown>;
}

export interface CheckOutcome {
  name: string;
  ok: boolean;
  /** Why it failed: an error code or name, never a message that could carry a token. */
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: CheckOutcome[];
  /** When the checks ran (epoch ms). */
  checkedAt: number;
}

export interface ReadinessOptions {
  cacheMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

const DEFAULT_CACHE_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 5_000;

function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, errorCode, name } = error as { code?: unknown; errorCode?: unknown; name?: unknown };
    for (const value of [code, errorCode, name]) if (typeof value === 'string' && value !== '') return value;
  }
  return 'Error';
}

class CheckTimeout extends Error {
  readonly code = 'Timeout';
}

export class Readiness {
  private last: ReadinessReport | undefined;
  private running: Promise<ReadinessReport> | undefined;
  private readonly cacheMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    options: ReadinessOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** The cached report while fresh, else a new run (shared by concurrent callers). */
  report(): Promise<ReadinessReport> {
    if (this.last && this.now() - this.last.checkedAt < this.cacheMs) return Promise.resolve(this.last);
    this.running ??= this.runAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runAll(): Promise<ReadinessReport> {
    const checkedAt = this.now();
    const checks = await Promise.all(this.checks.map((check) => this.runOne(check)));
    this.last = { ready: checks.every((c) => c.ok), checks, checkedAt };
    return this.last;
  }

  private async runOne(check: ReadinessCheck): Promise<CheckOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CheckTimeout('readiness check timed out')), this.timeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([check.run(), timeout]);
      return { name: check.name, ok: true };
    } catch (error) {
      return { name: check.name, ok: false, error: errorName(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
