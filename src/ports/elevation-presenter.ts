import type { ProgressWords } from '../domain/progress-text.js';
import type { ElevationRecord } from '../domain/elevation.js';
import type { ExtensionAllowance } from '../domain/extension.js';

/** Shows the requester what happens to an elevation (Teams: the request card, and 1:1 messages). */
export interface ElevationPresenter {
  /** Updates the request card in place to the record's current state. */
  show(record: ElevationRecord, progress?: ElevationProgress): Promise<void>;
  /** A new 1:1 message: the elevation ends in `minutesLeft` minutes, with **Deactivate now**. */
  remind(record: ElevationRecord, minutesLeft: number, extension?: ExtensionAllowance): Promise<void>;
  /** A new 1:1 message with the record's current card (e.g. "Approved by … — Activate", or denied). */
  tell(record: ElevationRecord): Promise<void>;
  /** A new 1:1 message: the elevation ended and what clean-up did. */
  ended(record: ElevationRecord): Promise<void>;
  /**
   * Elevate needs the requester's token again to go on (after a restart, or on another instance):
   * a sign-in card in the requester's chat, which the Teams client answers silently with SSO, and a
   * **Continue** card for when it does not.
   */
  askToSignIn(record: ElevationRecord): Promise<void>;
  /**
   * A new 1:1 message about a scheduled elevation (issue #16), once per record step: `due` (the start
   * came and Elevate needs the requester's token: a sign-in card Teams answers silently, and a **Start**
   * card), `starting` (the activation began), `notStarted` (it did not start, and why).
   */
  scheduleNotice(record: ElevationRecord, notice: ScheduleNotice): Promise<void>;
}

export type ScheduleNotice = 'due' | 'starting' | 'notStarted';

/** Transient detail for the card while a step runs (not stored): catalogue words, and their English. */
export interface ElevationProgress {
  detail: string;
  words?: ProgressWords;
}
