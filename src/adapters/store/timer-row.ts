import type { DurableTimer } from '../../ports/timer-store.js';

/** A timer's fields as both stores keep them: the due time in epoch milliseconds, the payload as JSON text. */
export interface StoredTimerFields {
  id: string;
  kind: string;
  subject: string;
  dueMs: number;
  attempts: number;
  payload: string;
}

export function timerOf(row: StoredTimerFields): DurableTimer {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    dueAt: new Date(row.dueMs).toISOString(),
    attempts: row.attempts,
    payload: JSON.parse(row.payload) as DurableTimer['payload'],
  };
}
