/**
 * The one transition step of Elevate's records (elevations and Power Platform RBAC grants). Pure:
 * the time is passed in. Each record kind gives its table of allowed moves, the states that reach
 * the tenant (allowed only once an approval the record carries is approved) and its typed errors.
 */
import type { ApprovalState, ApprovalStatus } from './approval.js';

/** The part of a record every transition reads and writes. */
export interface StatefulRecord<S extends string> {
  state: S;
  updatedAt: string;
  approval?: ApprovalState;
  history: { at: string; state: S; note?: string }[];
}

export interface StateMachine<S extends string> {
  /** From each state, the states it may move to. */
  readonly moves: Readonly<Record<S, readonly S[]>>;
  /** States that act in the tenant: never entered while the record's approval is not approved. */
  readonly needApproval: readonly S[];
  /** The error for a move the table forbids. */
  invalid(from: S, to: S): Error;
  /** The error for entering a `needApproval` state with an approval that is not approved. */
  unapproved(from: S, to: S, status: ApprovalStatus): Error;
}

export function allowsMove<S extends string>(machine: StateMachine<S>, from: S, to: S): boolean {
  return machine.moves[from].includes(to);
}

/**
 * The next record: `changes` applied, the new state, `updatedAt` and one history line (with `note`
 * when given). Throws the machine's errors for a forbidden move, or for reaching the tenant with an
 * approval (the record's, or one in `changes`) that is not approved.
 */
export function moveRecord<S extends string, R extends StatefulRecord<S>>(
  machine: StateMachine<S>,
  record: R,
  to: S,
  at: Date,
  changes: Partial<Omit<R, 'id' | 'state' | 'history' | 'createdAt'>> = {},
  note?: string,
): R {
  if (!allowsMove(machine, record.state, to)) throw machine.invalid(record.state, to);
  const approval = changes.approval ?? record.approval;
  if (machine.needApproval.includes(to) && approval && approval.status !== 'approved') throw machine.unapproved(record.state, to, approval.status);
  const iso = at.toISOString();
  const line = note === undefined ? { at: iso, state: to } : { at: iso, state: to, note };
  return { ...record, ...changes, state: to, updatedAt: iso, history: [...record.history, line] };
}
