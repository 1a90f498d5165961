import type { ElevationRecord } from '../../domain/elevation.js';

/** Everything a store holds besides timers and the audit log (those have ports that list them): what the copy tool reads. */
export interface StoreContents {
  elevations(): AsyncIterable<ElevationRecord>;
  documents(): AsyncIterable<{ key: string; value: unknown }>;
  claims(): AsyncIterable<{ key: string; claimedAt: string }>;
}

/** What the copy tool writes. Each returns false when the target already holds that item (a copy run again). */
export interface StoreImport {
  importElevation(record: ElevationRecord): Promise<boolean>;
  importDocument(key: string, value: unknown): Promise<boolean>;
  importClaim(key: string, claimedAt: string): Promise<boolean>;
}
