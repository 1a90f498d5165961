import { ElevateError, HttpError } from '../../domain/errors.js';

export interface AppListingOptions<T> {
  /** The listing with Elevate's own identity. */
  list: () => Promise<T[]>;
  /** How long a listing is reused. */
  ttlMs: number;
  now: () => number;
  /** Told why the listing is not available, at most once per `ttlMs` (for one log line). */
  unavailable: (why: string) => void;
  /** An empty listing means "not available" too (an unregistered app may get one rather than a 403 [?]). */
  emptyIsUnavailable?: boolean;
}

/**
 * A tenant-wide Power Platform listing made with Elevate's own identity (environments, environment
 * groups), kept for a few minutes. A refusal (403 for an app that is not a registered management
 * application, no app token) means "not available": `undefined`, said once per period. Throttling and
 * 5xx are passing faults and are thrown, never taken for "nothing there".
 */
export class AppListing<T> {
  private cached: { at: number; items: T[] } | undefined;
  private lastWarning = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: AppListingOptions<T>) {}

  async get(): Promise<T[] | undefined> {
    const { now, ttlMs } = this.options;
    if (this.cached && now() - this.cached.at < ttlMs) return this.cached.items;
    let items: T[];
    try {
      items = await this.options.list();
    } catch (error) {
      if (isPassingFault(error)) throw error;
      return this.notAvailable(error instanceof HttpError ? `HTTP ${error.status}` : (error as ElevateError).code);
    }
    if (items.length === 0 && this.options.emptyIsUnavailable) return this.notAvailable('it listed nothing');
    this.cached = { at: now(), items };
    return items;
  }

  private notAvailable(why: string): undefined {
    if (this.options.now() - this.lastWarning >= this.options.ttlMs) {
      this.lastWarning = this.options.now();
      this.options.unavailable(why);
    }
    return undefined;
  }
}

/** Not a refusal: anything but an ElevateError, throttling (429) or a service error (5xx). */
export function isPassingFault(error: unknown): boolean {
  return !(error instanceof ElevateError) || (error instanceof HttpError && (error.status >= 500 || error.status === 429));
}

/** The listed items, then the configured ones not listed (ids compared without case): a listed item's details win. */
export function withConfigured<T extends { id: string }>(listed: readonly T[], configured: readonly T[]): T[] {
  const ids = new Set(listed.map((item) => item.id.toLowerCase()));
  return [...listed, ...configured.filter((item) => !ids.has(item.id.toLowerCase()))];
}
