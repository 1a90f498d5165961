/**
 * A scheduled elevation (issue #16): submitted (and approved, where the Elevate policy needs it)
 * ahead of time, activated by a durable timer at `startAt` on the requester's own token. Pure.
 */
import type { ElevationRecord, ScheduledStart } from './elevation.js';

export type { ScheduledStart };

/** History note of a move (a scheduled record keeps its state; the note makes each move a step). */
export const MOVED_NOTE = 'scheduled start moved';
/** History note of the activation a scheduled start began. */
export const STARTED_NOTE = 'scheduled start';

/**
 * Whether the record waits for its scheduled start: scheduled, or waiting for (or granted) approval
 * with a start. Never an extension request (`extends`): it is applied to its elevation, never started.
 */
export function waitsForStart(record: ElevationRecord): boolean {
  if (!record.schedule || record.extends) return false;
  if (record.state === 'scheduled') return true;
  return record.state === 'awaitingApproval' && (record.approval?.status === 'pending' || record.approval?.status === 'approved');
}

/** Whether the start has come (`now` at or after it). */
export function startReached(record: ElevationRecord, now: Date): boolean {
  return record.schedule !== undefined && now.getTime() >= Date.parse(record.schedule.startAt);
}

/**
 * Until when Elevate may still start a scheduled elevation whose start came without the requester's
 * token: the start plus the activation window (ELEVATE_APPROVAL_ACTIVATION_WINDOW_MINUTES), as an
 * approved request waits that long for **Activate**.
 */
export function startDeadline(schedule: ScheduledStart, windowMinutes: number): Date {
  return new Date(Date.parse(schedule.startAt) + windowMinutes * 60_000);
}

/** The record moved to a new start: the old one remembered, the sign-in request forgotten, a history step. */
export function movedRecord(record: ElevationRecord, startAt: string, now: Date): ElevationRecord {
  const schedule = record.schedule!;
  const { signInRequestedAt: _asked, ...kept } = schedule;
  const at = now.toISOString();
  return {
    ...record,
    schedule: { ...kept, startAt, movedFrom: [...(schedule.movedFrom ?? []), schedule.startAt].slice(-10) },
    updatedAt: at,
    history: [...record.history, { at, state: record.state, note: `${MOVED_NOTE} to ${startAt}` }],
  };
}
