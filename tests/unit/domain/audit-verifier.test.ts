import assert from 'node:assert/strict';
import { sha256Hex } from '../../../src/adapters/store/audit-hash.js';
import {
  canonicalJson,
  GENESIS_HASH,
  sealAuditEntry,
  storedEventText,
  unkeyedHash,
  verifyChain,
  type AuditEvent,
  type AuditKeys,
  type ChainVerdict,
  type StoredAuditEntry,
} from '../../../src/domain/audit.js';
import { ROTATED_AUDIT_KEY, TEST_AUDIT_KEY, testAuditKeys } from '../../support/audit-keys.js';

const keys = testAuditKeys();

function event(n: number): AuditEvent {
  return {
    type: 'requested',
    at: `2026-03-01T10:00:${String(n).padStart(2, '0')}.000Z`,
    actor: { aadObjectId: 'user-1', name: 'Adele Vance' },
    elevationId: `e-${n}`,
    details: { justification: `case ${n}`, minutes: 60 },
  };
}

async function sealed(length: number, with_: AuditKeys = keys, from: StoredAuditEntry[] = []): Promise<StoredAuditEntry[]> {
  const entries = [...from];
  for (let n = entries.length + 1; n <= length; n++) entries.push((await sealAuditEntry(sha256Hex, with_.sealer, entries.at(-1), event(n))).stored);
  return entries;
}

/** Entries as Elevate wrote them before audit keys: SHA-256 hashes, no key id. */
function unkeyed(length: number): StoredAuditEntry[] {
  const entries: StoredAuditEntry[] = [];
  for (let n = 1; n <= length; n++) {
    const prevHash = entries.at(-1)?.hash ?? GENESIS_HASH;
    entries.push({ seq: n, event: storedEventText(event(n)), prevHash, hash: unkeyedHash(sha256Hex, event(n), { seq: n, prevHash }) });
  }
  return entries;
}

const verify = (entries: StoredAuditEntry[], options: { anchor?: { seq: number; hash: string }; acceptUnsealed?: boolean; keys?: AuditKeys } = {}) =>
  verifyChain(entries, { sha256: sha256Hex, check: (...args) => (options.keys ?? keys).check(...args), ...options });

const editEvent = (entry: StoredAuditEntry, edit: (event: Record<string, unknown>) => void): StoredAuditEntry => {
  const parsed = JSON.parse(entry.event) as Record<string, unknown>;
  edit(parsed);
  return { ...entry, event: canonicalJson(parsed) };
};

function assertBroken(verdict: ChainVerdict, seq: number, reason: RegExp): void {
  assert.equal(verdict.ok, false, 'the chain is broken');
  assert.equal(!verdict.ok && verdict.seq, seq);
  assert.match(!verdict.ok ? verdict.reason : '', reason);
}

describe('audit chain verification', () => {
  const tamperings: { name: string; tamper: (entries: StoredAuditEntry[]) => StoredAuditEntry[]; seq: number; reason: RegExp }[] = [
    {
      name: 'an edited field',
      tamper: (entries) => entries.map((e) => (e.seq === 3 ? editEvent(e, (ev) => (ev['roleName'] = 'Global Administrator')) : e)),
      seq: 3,
      reason: /^seal mismatch under key "test-1": the entry was changed after it was sealed/,
    },
    {
      name: 'an edited field whose hash was recomputed without the key',
      tamper: (entries) =>
        entries.map((e) => {
          if (e.seq !== 3) return e;
          const edited = editEvent(e, (ev) => (ev['elevationId'] = 'e-x'));
          return { ...edited, hash: sha256Hex(edited.event) };
        }),
      seq: 3,
      reason: /^seal mismatch/,
    },
    { name: 'a deleted middle entry', tamper: (entries) => entries.filter((e) => e.seq !== 3), seq: 4, reason: /^expected #3 next, found #4/ },
    { name: 'a deleted first entry', tamper: (entries) => entries.slice(1), seq: 2, reason: /^expected #1 next/ },
    {
      name: 'a deleted middle entry with the later ones renumbered',
      tamper: (entries) => entries.filter((e) => e.seq !== 3).map((e) => (e.seq > 3 ? { ...e, seq: e.seq - 1 } : e)),
      seq: 3,
      reason: /^prevHash does not match the hash of #2/,
    },
    {
      name: 'two swapped entries',
      tamper: (entries) => [entries[0], entries[2], entries[1], entries[3], entries[4]] as StoredAuditEntry[],
      seq: 3,
      reason: /^expected #2 next, found #3/,
    },
    {
      name: 'two entries whose contents were swapped under their seq',
      tamper: (entries) =>
        entries.map((e) => (e.seq === 2 ? { ...(entries[2] as StoredAuditEntry), seq: 2 } : e.seq === 3 ? { ...(entries[1] as StoredAuditEntry), seq: 3 } : e)),
      seq: 2,
      reason: /^prevHash does not match the hash of #1/,
    },
    {
      name: 'a duplicated entry',
      tamper: (entries) => [...entries.slice(0, 3), entries[2] as StoredAuditEntry, ...entries.slice(3)],
      seq: 3,
      reason: /out of order or duplicated/,
    },
    {
      name: 'a duplicated JSON key',
      tamper: (entries) => entries.map((e) => (e.seq === 2 ? { ...e, event: e.event.replace('"actor":{', '"actor":{"aadObjectId":"x"},"actor":{') } : e)),
      seq: 2,
      reason: /^its stored JSON is not canonical/,
    },
    {
      name: 'a filter index that disagrees with the sealed JSON',
      tamper: (entries) => entries.map((e) => (e.seq === 4 ? { ...e, index: { at: '2026-03-01T10:00:04.000Z', actorId: 'user-9', subjectId: null } } : e)),
      seq: 4,
      reason: /^its actor id index says "user-9" but its sealed JSON says "user-1" \(filters would select it wrongly\)$/,
    },
    {
      name: 'a forged entry appended without the key',
      tamper: (entries) => {
        const last = entries.at(-1) as StoredAuditEntry;
        return [...entries, { seq: 6, event: storedEventText(event(6)), prevHash: last.hash, hash: sha256Hex('forged'), keyId: 'test-1' }];
      },
      seq: 6,
      reason: /^seal mismatch/,
    },
    {
      name: 'a forged unkeyed entry appended after keyed ones',
      tamper: (entries) => {
        const last = entries.at(-1) as StoredAuditEntry;
        return [
          ...entries,
          { seq: 6, event: storedEventText(event(6)), prevHash: last.hash, hash: unkeyedHash(sha256Hex, event(6), { seq: 6, prevHash: last.hash }) },
        ];
      },
      seq: 6,
      reason: /^has no key id after keyed entries/,
    },
    {
      name: 'a whole log rewritten as unkeyed entries with recomputed hashes',
      tamper: () => unkeyed(5),
      seq: 5,
      reason: /^entries #1-#5 have no key id and no keyed entry seals them/,
    },
    {
      name: 'an entry claiming a key that is not configured',
      tamper: (entries) => entries.map((e) => (e.seq === 5 ? { ...e, keyId: 'attacker' } : e)),
      seq: 5,
      reason: /^sealed with key "attacker", which is not among the configured audit keys$/,
    },
  ];
  for (const { name, tamper, seq, reason } of tamperings) {
    it(`finds ${name}`, async () => assertBroken(await verify(tamper(await sealed(5))), seq, reason));
  }

  it('accepts an intact chain and says where it ends', async () => {
    const entries = await sealed(5);

    assert.deepEqual(await verify(entries), { ok: true, count: 5, unkeyed: 0, last: { seq: 5, hash: entries[4]?.hash, keyId: 'test-1' } });
  });

  it('cannot tell a truncated log from a shorter one without an anchor, and finds it with one', async () => {
    const entries = await sealed(5);
    const anchor = { seq: 5, hash: (entries[4] as StoredAuditEntry).hash };

    assert.equal((await verify(entries.slice(0, -1))).ok, true);
    assert.deepEqual(await verify(entries.slice(0, -1), { anchor }), {
      ok: false,
      seq: 5,
      reason: 'anchored entry is missing: the log ends at #4 (entries were deleted)',
    });
    assert.equal((await verify(entries, { anchor })).ok, true);
  });

  it('finds an emptied log, and a rewrite by someone holding the key, only against an anchor', async () => {
    const entries = await sealed(5);
    const anchor = { seq: 3, hash: (entries[2] as StoredAuditEntry).hash };
    const rewritten = [
      ...entries.slice(0, 2),
      (await sealAuditEntry(sha256Hex, keys.sealer, entries[1], { ...event(3), details: { rewritten: true } })).stored,
    ];

    assert.deepEqual(await verify([]), { ok: true, count: 0, unkeyed: 0 });
    assertBroken(await verify([], { anchor }), 3, /^anchored entry is missing: the log is empty/);
    assert.equal((await verify(rewritten)).ok, true, 'whoever holds the key can rewrite after the anchor');
    assertBroken(await verify(rewritten, { anchor }), 3, /^hash differs from the anchor/);
  });

  it('verifies entries sealed before a key rotation with the retired key, and refuses them once it is dropped', async () => {
    const before = await sealed(3, testAuditKeys(TEST_AUDIT_KEY));
    const rotated = testAuditKeys(ROTATED_AUDIT_KEY, TEST_AUDIT_KEY);
    const after = await sealed(5, rotated, before);

    assert.deepEqual(
      after.map((e) => e.keyId),
      ['test-1', 'test-1', 'test-1', 'test-2', 'test-2'],
    );
    assert.equal((await verify(after, { keys: rotated })).ok, true);
    assertBroken(await verify(after, { keys: testAuditKeys(ROTATED_AUDIT_KEY) }), 1, /^sealed with key "test-1", which is not among/);
  });

  it('accepts unkeyed entries written before audit keys once a keyed entry seals them, and finds them changed', async () => {
    const legacy = unkeyed(3);
    const sealedLog = [
      ...legacy,
      (await sealAuditEntry(sha256Hex, keys.sealer, legacy[2], { type: 'auditSealed', at: '2026-03-02T00:00:00.000Z', details: {} })).stored,
    ];
    const edited = legacy.map((e) => (e.seq === 2 ? editEvent(e, (ev) => (ev['elevationId'] = 'e-x')) : e));
    const rehashed: StoredAuditEntry[] = [];
    for (const e of edited) {
      const prevHash = rehashed.at(-1)?.hash ?? GENESIS_HASH;
      rehashed.push({ ...e, prevHash, hash: unkeyedHash(sha256Hex, JSON.parse(e.event) as AuditEvent, { seq: e.seq, prevHash }) });
    }
    assert.deepEqual(await verify(sealedLog), { ok: true, count: 4, unkeyed: 3, last: { seq: 4, hash: sealedLog[3]?.hash, keyId: 'test-1' } });
    assertBroken(await verify(legacy), 3, /^entries #1-#3 have no key id/);
    assert.equal((await verify(legacy, { acceptUnsealed: true })).ok, true);
    assertBroken(await verify([...edited, sealedLog[3] as StoredAuditEntry]), 2, /^hash mismatch: the unkeyed entry was changed/);
    assertBroken(await verify([...rehashed, sealedLog[3] as StoredAuditEntry]), 4, /^prevHash does not match the hash of #3/);
  });

  it('quotes stored text in its reasons, control characters escaped', async () => {
    const entries = (await sealed(1)).map((e) => ({ ...e, keyId: 'k\u001b[2J\u009b' }));

    assertBroken(await verify(entries), 1, /^sealed with key "k\\u001b\[2J\\u009b"/);
  });
});
