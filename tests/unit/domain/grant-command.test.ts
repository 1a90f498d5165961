import assert from 'node:assert/strict';
import { parseGrant, typedInFull } from '../../../src/domain/grant-command.js';

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

  it('refuses a number that is not a duration, and a grant for nobody, with an example', () => {
    const badDuration = parseGrant('me reader on tenant for 4 lightyears', NOW);
    const forNobody = parseGrant('reader on tenant', NOW);
    assert.equal(badDuration.kind, 'invalid');
    assert.equal(forNobody.kind, 'invalid');
    assert.match(forNobody.kind === 'invalid' ? forNobody.message : '', /grant me Power Platform contributor/);
  });

  const partial: { text: string; expected: unknown; complete: boolean }[] = [
    { text: 'me', expected: { kind: 'grant', target: { kind: 'me' }, tickets: [] }, complete: false },
    { text: 'me reader', expected: { kind: 'grant', role: 'reader', target: { kind: 'me' }, tickets: [] }, complete: false },
    { text: 'me on tenant', expected: { kind: 'grant', target: { kind: 'me' }, scope: { kind: 'tenant' }, tickets: [] }, complete: false },
    {
      text: 'me for 2h because CHG-7 fix',
      expected: { kind: 'grant', target: { kind: 'me' }, duration: { minutes: 120, source: '2h' }, justification: 'CHG-7 fix', tickets: [] },
      complete: false,
    },
    {
      text: 'contributor to app Pipeline',
      expected: { kind: 'grant', role: 'contributor', target: { kind: 'app', app: 'Pipeline' }, tickets: [] },
      complete: false,
    },
    {
      text: 'to app Pipeline on group Finance',
      expected: { kind: 'grant', target: { kind: 'app', app: 'Pipeline' }, scope: { kind: 'environmentGroup', name: 'Finance' }, tickets: [] },
      complete: false,
    },
    { text: 'me reader on tenant because read', expected: undefined, complete: false },
    { text: 'me reader on tenant for 1h because read', expected: undefined, complete: true },
  ];
  for (const c of partial) {
    it(`reads "grant ${c.text}" as ${c.complete ? 'typed in full' : 'a request card to fill in'}`, () => {
      const parsed = parseGrant(c.text, NOW);
      assert.equal(parsed.kind, 'grant');
      if (c.expected !== undefined) assert.deepEqual(parsed, c.expected);
      assert.equal(parsed.kind === 'grant' && typedInFull(parsed), c.complete);
    });
  }
});
