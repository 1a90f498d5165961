import assert from 'node:assert/strict';
import { parseCommand, type Command } from '../../../src/domain/command.js';
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

describe('command words in German and French', () => {
  const cases: [string, Command['kind']][] = [
    ['Hilfe', 'help'],
    ['aide', 'help'],
    ['Status', 'status'],
    ['statut', 'status'],
    ['État', 'status'],
    ['deaktivieren', 'deactivate'],
    ['désactiver', 'deactivate'],
    ['Désactive-moi', 'deactivate'],
    ['erneut versuchen', 'retry'],
    ['réessayer', 'retry'],
  ];
  for (const [text, kind] of cases) it(`reads "${text}" as ${kind}`, () => assert.equal(parseCommand(text, NOW).kind, kind));

  it('reads "erhöhe mich in Contoso Prod for 2h" and "élève-moi dans Contoso Prod" as elevate requests', () => {
    assert.deepEqual(parseCommand('erhöhe mich in Contoso Prod for 2h', NOW), {
      kind: 'elevate',
      environment: 'Contoso Prod',
      duration: { minutes: 120, source: '2h' },
      tickets: [],
    });
    assert.deepEqual(parseCommand('élève-moi dans Contoso Prod', NOW), { kind: 'elevate', environment: 'Contoso Prod', tickets: [] });
    assert.deepEqual(parseCommand('Eleve moi dans Contoso Prod', NOW), { kind: 'elevate', environment: 'Contoso Prod', tickets: [] });
  });

  it("parses every entry's German and French words as that command", () => {
    for (const entry of COMMAND_TABLE) {
      for (const words of [...entry.localized.de, ...entry.localized.fr]) {
        const text = words.replace(/<[^>]+>/, 'Contoso Prod');
        assert.equal(parseCommand(text, NOW).kind, entry.id, text);
      }
    }
  });
});
