import assert from 'node:assert/strict';
import { sha256Hex } from '../../../src/adapters/store/audit-hash.js';
import {
  auditIndexOf,
  canonicalJson,
  GENESIS_HASH,
  normalizeAuditEvent,
  parseStoredEvent,
  sealAuditEntry,
  sealInput,
  storedEventText,
  UnsealedAuditLogError,
  type AuditEvent,
} from '../../../src/domain/audit.js';
import { testAuditKeys } from '../../support/audit-keys.js';

const keys = testAuditKeys();

function event(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    type: 'requested',
    at: `2026-03-01T10:00:${String(n).padStart(2, '0')}.000Z`,
    actor: { aadObjectId: 'user-1', name: 'Adele Vance' },
    elevationId: `e-${n}`,
    environment: { id: 'env-1', displayName: 'Contoso Prod' },
    roleName: 'Power Platform Administrator',
    details: { justification: `case ${n}, "urgent"\nline two`, minutes: 60, mfa: true, ticket: null },
    ...overrides,
  };
}

describe('audit entries', () => {
  it('start at #1 from the genesis hash, link each entry to the previous seal and record the key id', async () => {
    const first = await sealAuditEntry(sha256Hex, keys.sealer, undefined, event(1));
    const second = await sealAuditEntry(sha256Hex, keys.sealer, first.entry, event(2));

    assert.equal(first.entry.seq, 1);
    assert.equal(first.entry.prevHash, GENESIS_HASH);
    assert.equal(first.entry.keyId, 'test-1');
    assert.equal(second.entry.seq, 2);
    assert.equal(second.entry.prevHash, first.entry.hash);
    assert.match(first.entry.hash, /^[0-9a-f]{64}$/);
  });

  it('seal the SHA-256 digest of the canonical event with seq, prevHash and key id, with the key', async () => {
    const { entry, stored } = await sealAuditEntry(sha256Hex, keys.sealer, undefined, event(1));
    const digest = sha256Hex(sealInput(normalizeAuditEvent(event(1)), { seq: 1, prevHash: GENESIS_HASH, keyId: 'test-1' }));

    assert.equal(await keys.check('test-1', digest, entry.hash), 'valid');
    assert.equal(await keys.check('test-1', sha256Hex(`${digest}x`), entry.hash), 'invalid');
    assert.notEqual(entry.hash, digest, 'a seal is not the plain hash');
    assert.equal(stored.event, storedEventText(normalizeAuditEvent(event(1))));
    assert.deepEqual(stored.index, { at: '2026-03-01T10:00:01.000Z', actorId: 'user-1', subjectId: null });
  });

  it('store the canonical JSON, so key order does not matter but every value does', () => {
    const reordered = Object.fromEntries(Object.entries(event(1)).reverse()) as AuditEvent;

    assert.equal(storedEventText(reordered), storedEventText(event(1)));
    assert.notEqual(storedEventText(event(1, { details: { minutes: 61 } })), storedEventText(event(1)));
    assert.equal(canonicalJson({ b: 1, a: { d: [2, 'x'], c: undefined } }), '{"a":{"d":[2,"x"]},"b":1}');
  });

  it('normalize what a store could not give back as written', () => {
    const normalized = normalizeAuditEvent({
      type: 'failed',
      at: '2026-03-01T12:00:00+02:00',
      actor: { aadObjectId: 'u', name: '' },
      elevationId: '',
      details: { ratio: Number.NaN, lone: 'a\uD800b', skipped: undefined as unknown as null },
    });

    assert.deepEqual(normalized, { type: 'failed', at: '2026-03-01T10:00:00.000Z', actor: { aadObjectId: 'u' }, details: { ratio: null, lone: 'a\uFFFDb' } });
    assert.throws(() => normalizeAuditEvent(event(1, { at: 'yesterday' })), RangeError);
  });

  it('refuse to chain anything but the seal after an unkeyed entry', async () => {
    const unkeyedHead = { seq: 4, hash: 'a'.repeat(64) };

    await assert.rejects(sealAuditEntry(sha256Hex, keys.sealer, unkeyedHead, event(5)), UnsealedAuditLogError);
    const seal = await sealAuditEntry(sha256Hex, keys.sealer, unkeyedHead, { type: 'auditSealed', at: '2026-03-02T00:00:00Z', details: {} });
    assert.equal(seal.entry.prevHash, unkeyedHead.hash);
  });
});

describe('stored audit event text', () => {
  const text = storedEventText(normalizeAuditEvent(event(1, { subject: { aadObjectId: 'user-2' } })));

  it('reads back canonical text written by Elevate', () => {
    const parsed = parseStoredEvent(text);

    assert.ok(parsed.ok);
    assert.deepEqual(auditIndexOf(parsed.event), { at: '2026-03-01T10:00:01.000Z', actorId: 'user-1', subjectId: 'user-2' });
  });

  const refusals: { name: string; text: string; problem: RegExp }[] = [
    { name: 'text that is not JSON', text: text.slice(0, -1), problem: /^its event is not JSON$/ },
    {
      name: 'a duplicated key (JSON.parse keeps the last, SQLite json_extract the first)',
      text: text.replace('"actor":{', '"actor":{"aadObjectId":"someone-else"},"actor":{'),
      problem: /not canonical \(a duplicated or reordered key/,
    },
    { name: 'added whitespace', text: text.replace('"at":', '"at": '), problem: /not canonical/ },
    { name: 'reordered keys', text: `{"type":"requested",${text.slice(1).replace(',"type":"requested"', '')}`, problem: /not canonical/ },
    { name: 'another escape of the same text', text: text.replace('"requested"', '"r\\u0065quested"'), problem: /not canonical/ },
    { name: 'an unknown event type', text: text.replace('"requested"', '"invented"'), problem: /not an audit event/ },
    { name: 'an unknown field', text: text.replace('"at":', '"added":1,"at":'), problem: /not in the form Elevate writes/ },
    { name: 'a time not in toISOString form', text: text.replace('.000Z', 'Z'), problem: /not in the form Elevate writes/ },
    { name: 'nested details', text: text.replace('"mfa":true', '"mfa":{"x":1}'), problem: /not an audit event/ },
  ];
  for (const { name, text: stored, problem } of refusals) {
    it(`refuses ${name}`, () => {
      const parsed = parseStoredEvent(stored);

      assert.equal(parsed.ok, false);
      assert.match(!parsed.ok ? parsed.problem : '', problem);
    });
  }
});
