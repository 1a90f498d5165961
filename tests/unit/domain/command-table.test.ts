import assert from 'node:assert/strict';
import { parseCommand } from '../../../src/domain/command.js';
import { COMMAND_TABLE, commandEntry } from '../../../src/domain/command-table.js';

const NOW = new Date('2026-03-02T10:00:00Z');

describe('command table', () => {
  it('has one entry per command id', () => {
    const ids = COMMAND_TABLE.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('is what the parser reads: every phrase of every entry parses as that command', () => {
    for (const entry of COMMAND_TABLE) {
      for (const phrase of entry.phrases) assert.equal(parseCommand(phrase, NOW).kind, entry.id, `"${phrase}"`);
    }
  });

  it("parses every entry's example as that command", () => {
    for (const entry of COMMAND_TABLE) {
      const example = entry.example.replace('@Elevate ', '<at>Elevate</at> ');
      assert.equal(parseCommand(example, NOW).kind, entry.id, entry.example);
    }
  });

  it('lists deactivate, retry and the security team commands (audit, audit anchor, notify here, approvals here)', () => {
    assert.equal(commandEntry('deactivate').audience, 'everyone');
    assert.equal(commandEntry('retry').audience, 'everyone');
    for (const id of ['audit', 'auditAnchor', 'notifyHere', 'approvalsHere'] as const) assert.equal(commandEntry(id).audience, 'securityTeam', id);
  });
});
