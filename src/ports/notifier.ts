import type { ElevationRecord } from '../domain/elevation.js';

/** Tells the security team: posts each notable step of an elevation to the notification channel. */
export interface Notifier {
  /** Posts the record's current outcome; resolves false when no channel is configured. Never throws. */
  elevationChanged(record: ElevationRecord): Promise<boolean>;
  /** Posts one approval step (a vote, the approval's outcome) once per step. Never throws. */
  approvalChanged(record: ElevationRecord): Promise<boolean>;
  /** Posts an alert that needs a human (e.g. clean-up keeps failing). Never throws. */
  alert(record: ElevationRecord, message: string): Promise<boolean>;
}
