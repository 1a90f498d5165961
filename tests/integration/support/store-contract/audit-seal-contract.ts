import assert from 'node:assert/strict';
import {
  canonicalJson,
  normalizeAuditEvent,
  parseStoredEvent,
  storedAuditEntry,
  UnsealedAuditLogError,
  type AuditEvent,
  type StoredAuditEntry,
} from '../../../../src/domain/audit.js';
import { AuditAppendConflict, AuditLogReadOnlyError } from '../../../../src/ports/audit-log.js';
import { ROTATED_AUDIT_KEY, TEST_AUDIT_KEY, testAuditKeys } from '../../../support/audit-keys.js';
import { legacyAuditFixture } from '../../../support/legacy-audit-store.js';
import { collectStored, plantAuditEntries, verifyStored } from './audit-support.js';
import type { ContractContext } from './context.js';

const keys = testAuditKeys();
const reminder = (n: number): AuditEvent => ({ type: 'reminded', at: `2026-03-01T10:0${n}:00.000Z`, subject: { aadObjectId: 'user-1' }, details: { n } });

/** AuditLog, keyed: what every store owes the domain's sealing (src/domain/audit-seal.ts) and its verifier. */
export function describeAuditSealContract(ctx: ContractContext): void {
  describe('AuditLog sealing', () => {
    it('seals under the first audit key and keeps each entry’s key id, so entries sealed before a rotation still verify', async () => {
      const store = await ctx.open();
      await store.auditLog(testAuditKeys(TEST_AUDIT_KEY).sealer).append(reminder(1));
      const rotated = testAuditKeys(ROTATED_AUDIT_KEY, TEST_AUDIT_KEY);

      const second = await store.auditLog(rotated.sealer).append(reminder(2));
      const reopened = (await ctx.open()).auditLog();
      const stored = await collectStored(reopened);

      assert.equal(second.keyId, 'test-2');
      assert.deepEqual(
        (await reopened.list()).map((entry) => entry.keyId),
        ['test-1', 'test-2'],
      );
      assert.deepEqual(
        stored.map((entry) => entry.keyId),
        ['test-1', 'test-2'],
      );
      assert.deepEqual(await verifyStored(stored, rotated), { ok: true, count: 2, unkeyed: 0, last: { seq: 2, hash: second.hash, keyId: 'test-2' } });
      assert.deepEqual(await verifyStored(stored, testAuditKeys(ROTATED_AUDIT_KEY)), {
        ok: false,
        seq: 1,
        reason: 'sealed with key "test-1", which is not among the configured audit keys',
      });
    });

    it('stores the canonical text of the normalized event and hands it back unchanged', async () => {
      const store = await ctx.open();
      const event = {
        details: { z: 1, a: 'lone \uD800 surrogate', emoji: '😀 "quoted"\n\u0001', skipped: undefined, huge: Number.POSITIVE_INFINITY },
        roleName: '',
        at: '2026-03-01T11:00:00+01:00',
        type: 'requested',
        actor: { name: 'Vance, Adele', aadObjectId: 'user-1' },
      } as unknown as AuditEvent;

      const entry = await store.auditLog(keys.sealer).append(event);
      const [stored] = await collectStored((await ctx.open()).auditLog());

      const expected = canonicalJson(normalizeAuditEvent(event));
      assert.equal(stored?.event, expected);
      assert.deepEqual(stored && parseStoredEvent(stored.event), { ok: true, event: JSON.parse(expected) });
      assert.deepEqual(stored && { ...stored, index: undefined }, { ...storedAuditEntry(entry), index: undefined });
      assert.deepEqual(await (await ctx.open()).auditLog().list(), [entry]);
      assert.equal((await verifyStored(stored ? [stored] : [], keys)).ok, true);
    });

    it('appends only after the expected newest entry when asked, and of two clients expecting the same one, one wins', async () => {
      const [a, b] = [(await ctx.open()).auditLog(keys.sealer), (await ctx.open()).auditLog(keys.sealer)];
      const first = await a.append(reminder(1), { expectLastSeq: 0 });

      await assert.rejects(a.append(reminder(2), { expectLastSeq: 0 }), AuditAppendConflict);
      const raced = await Promise.allSettled([a.append(reminder(3), { expectLastSeq: 1 }), b.append(reminder(4), { expectLastSeq: 1 })]);

      assert.equal(first.seq, 1);
      assert.deepEqual(
        raced.map((outcome) => outcome.status),
        raced[0]?.status === 'fulfilled' ? ['fulfilled', 'rejected'] : ['rejected', 'fulfilled'],
      );
      const lost = raced.find((outcome) => outcome.status === 'rejected');
      assert.ok(lost?.reason instanceof AuditAppendConflict, String(lost?.reason));
      assert.equal(lost.reason.expectedLastSeq, 1);
      assert.equal(lost.reason.actualLastSeq, 2);
      assert.deepEqual(
        (await collectStored(a)).map((entry) => entry.seq),
        [1, 2],
      );
    });

    it('reads without a sealer but refuses to append', async () => {
      const store = await ctx.open();
      await store.auditLog(keys.sealer).append(reminder(1));

      await assert.rejects(store.auditLog().append(reminder(2)), AuditLogReadOnlyError);
      assert.equal((await store.auditLog().list()).length, 1);
    });

    it('after entries written before audit keys, appends nothing but the auditSealed entry that seals them', async () => {
      const store = await ctx.open();
      const legacy: StoredAuditEntry[] = legacyAuditFixture().rows;
      await plantAuditEntries(ctx.locator(), legacy);
      const log = store.auditLog(keys.sealer);
      const head = legacy.at(-1)!;

      await assert.rejects(log.append(reminder(1)), (error) => error instanceof UnsealedAuditLogError && error.seq === head.seq);
      const unsealed = await collectStored(log);
      const sealed = await log.append(
        { type: 'auditSealed', at: '2026-03-02T00:00:00.000Z', details: { unkeyedEntries: head.seq } },
        { expectLastSeq: head.seq },
      );
      const next = await log.append(reminder(2));

      assert.equal((await verifyStored(unsealed, keys, { acceptUnsealed: true })).ok, true);
      assert.deepEqual(
        unsealed.map(({ index: _index, ...entry }) => entry),
        legacy,
      );
      assert.deepEqual([sealed.seq, sealed.prevHash, next.seq], [head.seq + 1, head.hash, head.seq + 2]);
      assert.deepEqual(await verifyStored(await collectStored(log), keys), {
        ok: true,
        count: head.seq + 2,
        unkeyed: head.seq,
        last: { seq: next.seq, hash: next.hash, keyId: 'test-1' },
      });
    });
  });
}
