import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ApprovalState } from '../../../src/domain/approval.js';
import { ApprovalNotGrantedError, InvalidTransitionError, transition, type ElevationRecord } from '../../../src/domain/elevation.js';
import { InvalidGrantTransitionError, transitionGrant, type RbacGrantRecord } from '../../../src/domain/rbac-grant.js';
import { allowsMove, moveRecord, type StatefulRecord, type StateMachine } from '../../../src/domain/state-machine.js';

type Light = 'red' | 'green' | 'amber';
interface Signal extends StatefulRecord<Light> {
  id: string;
  createdAt: string;
  label?: string;
}

class NoSuchMove extends Error {}
class NotApproved extends Error {}

const LIGHTS: StateMachine<Light> = {
  moves: { red: ['green'], green: ['amber'], amber: ['red'] },
  needApproval: ['green'],
  invalid: (from, to) => new NoSuchMove(`${from}→${to}`),
  unapproved: (_from, _to, status) => new NotApproved(status),
};

const T0 = '2026-03-02T10:00:00.000Z';
const AT = new Date('2026-03-02T10:05:00Z');

function approval(status: ApprovalState['status']): ApprovalState {
  return { policySource: 'rule', required: 1, approverGroupIds: [], approverUserIds: [], votes: [], status, expiresAt: T0 };
}

function signal(extra: Partial<Signal> = {}): Signal {
  return { id: 's1', state: 'red', createdAt: T0, updatedAt: T0, history: [{ at: T0, state: 'red' }], ...extra };
}

describe('domain: the shared transition step of records', () => {
  it('applies the changes, moves the state, stamps updatedAt and appends one history line (with the note when given)', () => {
    const next = moveRecord(LIGHTS, signal(), 'green', AT, { label: 'go' }, 'approved');
    assert.equal(next.state, 'green');
    assert.equal(next.label, 'go');
    assert.equal(next.updatedAt, AT.toISOString());
    assert.deepEqual(next.history, [
      { at: T0, state: 'red' },
      { at: AT.toISOString(), state: 'green', note: 'approved' },
    ]);
    assert.deepEqual(moveRecord(LIGHTS, next, 'amber', AT).history.at(-1), { at: AT.toISOString(), state: 'amber' }, 'no note key without a note');
  });

  it("throws the machine's own error for a move its table forbids, and leaves the record as it was", () => {
    const record = signal();
    assert.throws(() => moveRecord(LIGHTS, record, 'amber', AT), NoSuchMove);
    assert.equal(record.state, 'red');
    assert.equal(record.history.length, 1);
    assert.equal(allowsMove(LIGHTS, 'red', 'green'), true);
    assert.equal(allowsMove(LIGHTS, 'red', 'amber'), false);
  });

  it('enters a state that needs approval only with an approved approval (the record’s, or the one in the changes)', () => {
    assert.throws(() => moveRecord(LIGHTS, signal({ approval: approval('pending') }), 'green', AT), NotApproved);
    assert.throws(() => moveRecord(LIGHTS, signal({ approval: approval('approved') }), 'green', AT, { approval: approval('denied') }), NotApproved);
    assert.equal(moveRecord(LIGHTS, signal({ approval: approval('pending') }), 'green', AT, { approval: approval('approved') }).state, 'green');
    assert.equal(moveRecord(LIGHTS, signal(), 'green', AT).state, 'green', 'a record without approval needs none');
  });

  it('is the one step elevations and grants use, each with its own errors', () => {
    const elevation = {
      id: 'e1',
      state: 'awaitingApproval',
      approval: approval('pending'),
      createdAt: T0,
      updatedAt: T0,
      history: [{ at: T0, state: 'awaitingApproval' }],
    } as unknown as ElevationRecord;
    assert.throws(() => transition(elevation, 'activating', AT), ApprovalNotGrantedError);
    assert.throws(() => transition(elevation, 'ended', AT), InvalidTransitionError);
    const grant = { ...elevation, id: 'g-1' } as unknown as RbacGrantRecord;
    assert.throws(() => transitionGrant(grant, 'assigning', AT), InvalidGrantTransitionError);
    assert.throws(() => transitionGrant(grant, 'ended', AT), InvalidGrantTransitionError);
    for (const file of ['src/domain/elevation.ts', 'src/domain/rbac-grant.ts']) {
      const source = readFileSync(file, 'utf8');
      assert.match(source, /moveRecord\(/, `${file} moves through the shared step`);
      assert.doesNotMatch(source, /history: \[\.\.\.record\.history/, `${file} builds no history line of its own`);
    }
  });
});
