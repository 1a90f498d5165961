import assert from 'node:assert/strict';
import { parseGrant } from '../../../src/domain/grant-command.js';

const NOW = new Date('2026-03-02T10:00:00Z');

describe('domain: grant commands', () => {
  const cases: { text: string; expected: unknown }[] = [
    {
      text: 'me Power Platform contributor on environment group Finance for 4h because CHG-7',
      expected: {
        kind: 'grant',
        role: 'Power Platform contributor',
        target: { kind: 'me' },
        scope: { kind: 'environmentGroup', name: 'Finance' },
        duration: { minutes: 240, source: '4h' },
        justification: 'CHG-7',
        tickets: [],
      },
    },
    {
      text: 'me reader on tenant for 30m',
      expected: { kind: 'grant', role: 'reader', target: { kind: 'me' }, scope: { kind: 'tenant' }, duration: { minutes: 30, source: '30m' }, tickets: [] },
    },
    {
      text: 'me Power Platform owner on Contoso Prod because INC0012345 restore',
      expected: {
        kind: 'grant',
        role: 'Power Platform owner',
        target: { kind: 'me' },
        scope: { kind: 'environment', name: 'Contoso Prod' },
        justification: 'INC0012345 restore',
        tickets: ['INC0012345'],
      },
    },
    {
      text: 'Power Platform contributor to app Contoso Deploy Pipeline on environment "Contoso Dev" for 2h because OPS-42 release',
      expected: {
        kind: 'grant',
        role: 'Power Platform contributor',
        target: { kind: 'app', app: 'Contoso Deploy Pipeline' },
        scope: { kind: 'environment', name: 'Contoso Dev' },
        duration: { minutes: 120, source: '2h' },
        justification: 'OPS-42 release',
        tickets: ['OPS-42'],
      },
    },
  ];
  for (const c of cases) {
    it(`reads "grant ${c.text}"`, () => {
      assert.deepEqual(parseGrant(c.text, NOW), c.expected);
    });
  }

  it('keeps "for" inside a scope name when no duration follows it', () => {
    const parsed = parseGrant('me reader on Center for Excellence', NOW);
    assert.deepEqual(parsed.kind === 'grant' && parsed.scope, { kind: 'environment', name: 'Center for Excellence' });
  });

  it('refuses a number that is not a duration, and a grant without scope, with an example', () => {
    const badDuration = parseGrant('me reader on tenant for 4 lightyears', NOW);
    const noScope = parseGrant('me reader', NOW);
    assert.equal(badDuration.kind, 'invalid');
    assert.equal(noScope.kind, 'invalid');
    assert.match(noScope.kind === 'invalid' ? noScope.message : '', /grant me Power Platform contributor/);
  });
});
