import type { BreakGlassReview } from '../domain/break-glass.js';
import type { ElevationRecord } from '../domain/elevation.js';

/**
 * Where the security team reviews break-glass uses (Teams: the security notification channel). Never
 * throws: a post that cannot be queued is logged.
 */
export interface BreakGlassBoard {
  /**
   * Posts the review card of `round` (0 the first post, n the re-post n intervals later) as a new
   * thread, once per round however often it is asked; false when no security channel is set.
   */
  post(record: ElevationRecord, review: BreakGlassReview, round: number): Promise<boolean>;
  /** Updates every posted review card of the elevation to the review's current state. */
  refresh(record: ElevationRecord, review: BreakGlassReview): Promise<void>;
}
