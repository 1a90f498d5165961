import assert from 'node:assert/strict';
import { parseCommand } from '../../../src/domain/command.js';

const NOW = new Date('2026-03-02T10:00:00Z');

describe('extend command (issue #16)', () => {
  const cases: [string, object][] = [
    ['extend', { kind: 'extend' }],
    ['Extend by 1h', { kind: 'extend', minutes: 60 }],
    ['extend 30m', { kind: 'extend', minutes: 30 }],
    ['extend by 1h30m because INC0012345 still restoring', { kind: 'extend', minutes: 90, justification: 'INC0012345 still restoring' }],
    ['verlängern um 2h', { kind: 'extend', minutes: 120 }],
    ['verlangern', { kind: 'extend' }],
    ['prolonger de 45m', { kind: 'extend', minutes: 45 }],
  ];
  for (const [text, expected] of cases) {
    it(`reads "${text}"`, () => assert.deepEqual(parseCommand(text, NOW), expected));
  }

  it('says which duration it could not read', () => {
    const command = parseCommand('extend by a while', NOW);
    assert.equal(command.kind, 'invalid');
    assert.equal(command.kind === 'invalid' && command.detail, 'a while');
  });

  it('leaves other messages alone', () => {
    assert.equal(parseCommand('elevate me in Extend Labs', NOW).kind, 'elevate');
    assert.equal(parseCommand('status', NOW).kind, 'status');
  });
});
