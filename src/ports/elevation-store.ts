import type { ElevationRecord, ElevationState } from '../domain/elevation.js';

/** A stored value with its opaque version (a counter kept in the row, in SQLite and in Azure Tables). */
export interface Versioned<T> {
  value: T;
  version: string;
}

/** Narrows `listElevationsInStates`: only records created before `createdBefore`, at most `limit` (the oldest). */
export interface StateQuery {
  createdBefore?: Date;
  limit?: number;
}

/**
 * Durable state. Every update is compare-and-swap on `version` so that duplicate deliveries,
 * double taps and several bot instances never act twice. Implementations: SQLite (embedded),
 * Azure Tables (etag-conditional entity group transactions; azure-tables-store.ts).
 */
export interface ElevationStore {
  /** Inserts a new elevation; throws if the id exists. */
  createElevation(record: ElevationRecord): Promise<Versioned<ElevationRecord>>;
  getElevation(id: string): Promise<Versioned<ElevationRecord> | undefined>;
  /** Replaces the record if its version is still `expectedVersion`; returns undefined on conflict. */
  updateElevation(record: ElevationRecord, expectedVersion: string): Promise<Versioned<ElevationRecord> | undefined>;
  listElevationsByRequester(aadObjectId: string): Promise<Versioned<ElevationRecord>[]>;
  /** Elevations in any of these states, oldest first (work to resume after a restart; drafts to prune). */
  listElevationsInStates(states: readonly ElevationState[], query?: StateQuery): Promise<Versioned<ElevationRecord>[]>;
  /**
   * Removes the record if its version is still `expectedVersion` (compare-and-swap, like an
   * update); false when it changed or is gone. Only for records nothing refers to (unsubmitted drafts).
   */
  deleteElevation(id: string, expectedVersion: string): Promise<boolean>;

  /** Small JSON documents: channel settings, conversation references. */
  getDocument<T>(key: string): Promise<Versioned<T> | undefined>;
  /** Writes when `expectedVersion` matches (or when absent and `expectedVersion` is undefined); undefined on conflict. */
  putDocument<T>(key: string, value: T, expectedVersion?: string): Promise<Versioned<T> | undefined>;
  /** Removes the document if its version is still `expectedVersion`; false when it changed or is gone. */
  deleteDocument(key: string, expectedVersion: string): Promise<boolean>;

  /** Records that an activity id was handled; false when it was already claimed (redelivery). */
  claimOnce(key: string, at: Date): Promise<boolean>;
  /** Whether the key was claimed (a point read). */
  hasClaim(key: string): Promise<boolean>;
  /**
   * Removes up to `limit` claims made before `claimedBefore` and returns how many it removed: a key
   * claimed again after that is new again, so only claims past any redelivery or retry are pruned.
   */
  pruneClaims(claimedBefore: Date, limit: number): Promise<number>;

  close(): Promise<void>;
}
