import type { ElevationRecord } from '../domain/elevation.js';

/** Shows the requester the current state of an elevation (Teams: updates the request card in place). */
export interface ElevationPresenter {
  show(record: ElevationRecord, progress?: ElevationProgress): Promise<void>;
}

/** Transient detail for the card while a step runs (not stored). */
export interface ElevationProgress {
  detail: string;
}
