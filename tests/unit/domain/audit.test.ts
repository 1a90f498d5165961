import assert from 'node:assert/strict';
import { sha256Hex } from '../../../src/adapters/store/audit-hash.js';
import {
  canonicalJson,
  chainEntry,
  GENESIS_HASH,
  hashEntry,
  normalizeAuditEvent,
  verifyChain,
  type AuditEntry,
  type AuditEvent,
} from '../../../src/domain/audit.js';

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

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let n = 1; n <= length; n++) entries.push(chainEntry(sha256Hex, entries.at(-1), event(n)));
  return entries;
}

describe('audit chain', () => {
  it('starts at #1 from the genesis hash and links each entry to the previous hash', () => {
    const [first, second] = chain(2);

    assert.equal(first?.seq, 1);
    assert.equal(first?.prevHash, GENESIS_HASH);
    assert.equal(second?.seq, 2);
    assert.equal(second?.prevHash, first?.hash);
    assert.match(first?.hash ?? '', /^[0-9a-f]{64}$/);
  });

  it('hashes the canonical JSON, so key order does not matter but every value does', () => {
    const entry = chain(1)[0] as AuditEntry;
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as AuditEntry;

    assert.equal(hashEntry(sha256Hex, entry.prevHash, reordered), entry.hash);
    assert.notEqual(hashEntry(sha256Hex, entry.prevHash, { ...entry, details: { ...entry.details, minutes: 61 } }), entry.hash);
    assert.equal(canonicalJson({ b: 1, a: { d: [2, 'x'], c: undefined } }), '{"a":{"d":[2,"x"]},"b":1}');
  });

  it('normalizes what a store could not give back as written', () => {
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

  const tamperings: { name: string; tamper: (entries: AuditEntry[]) => AuditEntry[]; expected: { seq: number; reason: RegExp } | { count: number } }[] = [
    { name: 'an intact chain', tamper: (entries) => entries, expected: { count: 5 } },
    {
      name: 'an edited field',
      tamper: (entries) => entries.map((e) => (e.seq === 3 ? { ...e, details: { ...e.details, justification: 'nothing to see' } } : e)),
      expected: { seq: 3, reason: /hash mismatch/ },
    },
    {
      name: 'an edited field whose hash was recomputed',
      tamper: (entries) =>
        entries.map((e) => {
          if (e.seq !== 3) return e;
          const edited = { ...e, roleName: 'Global Administrator' };
          return { ...edited, hash: hashEntry(sha256Hex, edited.prevHash, edited) };
        }),
      expected: { seq: 4, reason: /prevHash does not match the hash of #3/ },
    },
    { name: 'a deleted middle entry', tamper: (entries) => entries.filter((e) => e.seq !== 3), expected: { seq: 4, reason: /expected #3 next, found #4/ } },
    { name: 'a deleted first entry', tamper: (entries) => entries.slice(1), expected: { seq: 2, reason: /expected #1 next/ } },
    {
      name: 'a deleted middle entry with the later ones renumbered',
      tamper: (entries) => entries.filter((e) => e.seq !== 3).map((e) => (e.seq > 3 ? { ...e, seq: e.seq - 1 } : e)),
      expected: { seq: 3, reason: /prevHash does not match the hash of #2/ },
    },
    {
      name: 'two swapped entries',
      tamper: (entries) => [entries[0], entries[2], entries[1], entries[3], entries[4]] as AuditEntry[],
      expected: { seq: 3, reason: /expected #2 next, found #3/ },
    },
    {
      name: 'two entries whose contents were swapped under their seq',
      tamper: (entries) =>
        entries.map((e) => (e.seq === 2 ? { ...(entries[2] as AuditEntry), seq: 2 } : e.seq === 3 ? { ...(entries[1] as AuditEntry), seq: 3 } : e)),
      expected: { seq: 2, reason: /prevHash does not match the hash of #1/ },
    },
    {
      name: 'a duplicated entry',
      tamper: (entries) => [...entries.slice(0, 3), entries[2] as AuditEntry, ...entries.slice(3)],
      expected: { seq: 3, reason: /out of order or duplicated/ },
    },
    // The chain alone cannot tell a truncated log from a shorter one: see the anchor case below.
    { name: 'a deleted last entry (not detectable by the chain alone)', tamper: (entries) => entries.slice(0, -1), expected: { count: 4 } },
  ];
  for (const { name, tamper, expected } of tamperings) {
    it(`${'count' in expected ? 'accepts' : 'finds'} ${name}`, () => {
      const verdict = verifyChain(sha256Hex, tamper(chain(5)));

      if ('count' in expected)
        assert.deepEqual(verdict, { ok: true, count: expected.count, last: { seq: expected.count, hash: chain(5)[expected.count - 1]?.hash } });
      else {
        assert.equal(verdict.ok, false);
        assert.equal(!verdict.ok && verdict.seq, expected.seq);
        assert.match(!verdict.ok ? verdict.reason : '', expected.reason);
      }
    });
  }

  it('finds a deleted last entry when given an anchor recorded before the deletion', () => {
    const entries = chain(5);
    const anchor = { seq: 5, hash: (entries[4] as AuditEntry).hash };

    const verdict = verifyChain(sha256Hex, entries.slice(0, -1), anchor);

    assert.deepEqual(verdict, { ok: false, seq: 5, reason: 'anchored entry is missing: the log ends at #4 (newer entries were deleted)' });
    assert.equal(verifyChain(sha256Hex, entries, anchor).ok, true);
    assert.equal(verifyChain(sha256Hex, entries, { seq: 5, hash: GENESIS_HASH }).ok, false);
  });

  it('accepts an empty log', () => {
    assert.deepEqual(verifyChain(sha256Hex, []), { ok: true, count: 0 });
  });
});
