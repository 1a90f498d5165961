import type { AuditAnchor, AuditParty } from '../domain/audit.js';
import type { ElevationRecord } from '../domain/elevation.js';

/** An audit anchor to publish: the verified head of the log. */
export interface AuditAnchorNotice extends AuditAnchor {
  /** The key that sealed the head entry. */
  keyId?: string;
  /** Entries verified up to it. */
  count: number;
  /** Who asked for it (`audit anchor`); absent for the periodic one. */
  requestedBy?: AuditParty;
}

/** An elevation that needs a human. */
export type ElevationAlert =
  /** Its clean-up keeps failing (`error` is the last error's message). */
  | { kind: 'cleanupFailing'; attempts: number; error: string }
  /**
   * Issue #16: extending it from the end `from` deactivated the PIM role, and neither the new activation nor
   * giving back what was left went through (`detail`: PIM's answers): the elevation ends at once.
   */
  | { kind: 'pimRoleLost'; from: string; detail: string }
  /**
   * Issue #16: an extension from `from` lengthened PIM until `until` but had lost the record's `extending`
   * lease before it was saved (PIM outlasted the lease; another tap or instance took over): not recorded.
   */
  | { kind: 'extensionNotSaved'; from: string; until: string };

/**
 * An alert about the audit log itself, posted once per `key`: verification failed at entry `seq`, or
 * `unkeyed` entries written before audit keys were sealed with `keyId` in entry `seq` (the unkeyed
 * chain `brokenAt` an entry, when it was).
 */
export type AuditAlert = { key: string } & (
  | { kind: 'verifyFailed'; seq: number; reason: string }
  | { kind: 'sealed'; unkeyed: number; seq: number; keyId: string; brokenAt?: { seq: number; reason: string } }
);

/**
 * Tells the security team: posts each notable step of an elevation to the notification channel. */
export interface Notifier {
  /** Posts the record's current outcome; resolves false when no channel is configured. Never throws. */
  elevationChanged(record: ElevationRecord): Promise<boolean>;
  /** Posts one approval step (a vote, the approval's outcome) once per step. Never throws. */
  approvalChanged(record: ElevationRecord): Promise<boolean>;
  /** Posts an alert that needs a human (clean-up keeps failing), in the channel's language. Never throws. */
  alert(record: ElevationRecord, alert: ElevationAlert): Promise<boolean>;
  /**
   * Posts an audit anchor (with the `--anchor <seq>:<hash>` value to verify against), once per
   * anchor; resolves false when no channel is configured. Never throws.
   */
  auditAnchor(anchor: AuditAnchorNotice): Promise<boolean>;
  /**
   * Posts a reminder before expiry to the security channel (issue #16: where the Elevate policy says
   * `remindChannel`), once per `key` (one per reminder timer); false when no channel is set. Never throws.
   */
  reminder(record: ElevationRecord, minutesLeft: number, key: string): Promise<boolean>;
  /** Posts an alert about the audit log itself, once per `key`. Never throws. */
  auditAlert(alert: AuditAlert): Promise<boolean>;
}
