import type { ElevationRecord, ElevationState } from '../domain/elevation.js';

/** A stored value with its opaque version (a counter kept in the row, in SQLite and in Azure Tables). */
export interface Versioned<T> {
  value: T;
  version: string;
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
  /** Elevations in any of these states, oldest first (work to resume after a restart). */
  listElevationsInStates(states: readonly ElevationState[]): Promise<Versioned<ElevationRecord>[]>;

  /** Small JSON documents: channel settings, conversation references. */
  getDocument<T>(key: string): Promise<Versioned<T> | undefined>;
  /** Writes when `expectedVersion` matches (or when absent and `expectedVersion` is undefined); undefined on conflict. */
  putDocument<T>(key: string, value: T, expectedVersion?: string): Promise<Versioned<T> | undefined>;

  /** Records that an activity id was handled; false when it was already claimed (redelivery). */
  claimOnce(key: string, at: Date): Promise<boolean>;

  close(): Promise<void>;
}
