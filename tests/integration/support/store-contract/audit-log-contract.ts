import assert from 'node:assert/strict';
import { GENESIS_HASH, storedAuditEntry, type AuditEvent } from '../../../../src/domain/audit.js';
import type { AuditLog } from '../../../../src/ports/audit-log.js';
import { testAuditKeys } from '../../../support/audit-keys.js';
import { collectStored, verifyStored } from './audit-support.js';
import type { ContractContext } from './context.js';
import { race } from './stores.js';

function event(at: string, actor = 'user-1', overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    type: 'requested',
    at,
    actor: { aadObjectId: actor, name: 'Adele' },
    elevationId: 'e-1',
    details: { justification: 'INC-1, "prod" down' },
    ...overrides,
  };
}

const keys = testAuditKeys();

/** AuditLog: one sealed chain however many writers, listed and paged by seq. */
export function describeAuditLogContract(ctx: ContractContext): void {
  describe('AuditLog', () => {
    const open = async () => (await ctx.open()).auditLog(keys.sealer);

    it('appends sealed entries that chain from the genesis hash and reads them back unchanged', async () => {
      const log = await open();

      const first = await log.append(event('2026-03-01T10:00:00.000Z'));
      const second = await log.append(event('2026-03-01T11:00:00+01:00', 'user-2', { type: 'decided', subject: { aadObjectId: 'user-1' } }));

      assert.equal(first.prevHash, GENESIS_HASH);
      assert.equal(second.prevHash, first.hash);
      assert.equal(second.at, '2026-03-01T10:00:00.000Z');
      assert.equal(second.keyId, 'test-1');
      assert.deepEqual(await log.list(), [first, second]);
      const stored = await collectStored(log);
      assert.deepEqual(
        stored.map(({ index: _index, ...rest }) => rest),
        [first, second].map(storedAuditEntry),
      );
      assert.deepEqual(stored[0]?.index, { at: '2026-03-01T10:00:00.000Z', actorId: 'user-1', subjectId: null });
      assert.deepEqual(stored[1]?.index, { at: '2026-03-01T10:00:00.000Z', actorId: 'user-2', subjectId: 'user-1' });
      assert.deepEqual(await verifyStored(stored, keys), { ok: true, count: 2, unkeyed: 0, last: { seq: 2, hash: second.hash, keyId: 'test-1' } });
    });

    it('lists by time, by actor or subject, and the newest few, always oldest first', async () => {
      const log = await open();
      await log.append(event('2026-03-01T08:00:00.000Z', 'user-1'));
      await log.append(event('2026-03-01T09:00:00.000Z', 'user-2'));
      await log.append(event('2026-03-01T10:00:00.000Z', 'approver', { type: 'decided', subject: { aadObjectId: 'user-1' } }));
      await log.append(event('2026-03-01T11:00:00.000Z', 'user-2'));

      const seqs = async (filter: Parameters<AuditLog['list']>[0]) => (await log.list(filter)).map((entry) => entry.seq);

      assert.deepEqual(await seqs({}), [1, 2, 3, 4]);
      assert.deepEqual(await seqs({ since: new Date('2026-03-01T09:00:00.000Z') }), [2, 3, 4]);
      assert.deepEqual(await seqs({ aadObjectId: 'user-1' }), [1, 3]);
      assert.deepEqual(await seqs({ aadObjectId: 'user-2', since: new Date('2026-03-01T10:00:00Z') }), [4]);
      assert.deepEqual(await seqs({ limit: 2 }), [3, 4]);
      assert.deepEqual(await seqs({ limit: 0 }), []);
    });

    it('lists an entry whose actor is also its subject once, and combines filters with a limit', async () => {
      const log = await open();
      await log.append(event('2026-03-01T08:00:00.000Z', 'user-1', { subject: { aadObjectId: 'user-1' } }));
      for (let n = 0; n < ctx.kind.pageSize * 2; n++)
        await log.append(event(`2026-03-01T09:${String(n).padStart(2, '0')}:00.000Z`, n % 2 ? 'user-1' : 'user-2'));
      // Out of time order: seq, not time, orders the result.
      await log.append(event('2026-03-01T08:30:00.000Z', 'user-1'));

      const mine = await log.list({ aadObjectId: 'user-1' });
      const lastTwo = await log.list({ aadObjectId: 'user-1', since: new Date('2026-03-01T08:15:00.000Z'), limit: 2 });

      assert.equal(mine.length, 1 + ctx.kind.pageSize + 1);
      assert.deepEqual(
        mine.map((e) => e.seq),
        [...mine.map((e) => e.seq)].sort((a, b) => a - b),
      );
      assert.deepEqual(
        lastTwo.map((e) => [e.seq, e.at]),
        [
          [ctx.kind.pageSize * 2 + 1, `2026-03-01T09:${String(ctx.kind.pageSize * 2 - 1).padStart(2, '0')}:00.000Z`],
          [ctx.kind.pageSize * 2 + 2, '2026-03-01T08:30:00.000Z'],
        ],
      );
    });

    it('reads more entries than one page through stored()', async function () {
      this.timeout(120_000);
      const log = await open();
      const count = ctx.kind.auditPageSize * 2 + 203;
      for (let n = 0; n < count; n++) await log.append({ type: 'reminded', at: '2026-03-01T10:00:00.000Z', details: { n } });

      const entries = await collectStored(log);

      assert.deepEqual(
        entries.map((entry) => entry.seq),
        Array.from({ length: count }, (_, n) => n + 1),
      );
      assert.equal((await verifyStored(entries, keys)).ok, true);
    });

    it('keeps an event longer than one Azure property holds, and its seal', async () => {
      const log = await open();
      const entry = await log.append(event('2026-03-01T10:00:00.000Z', 'user-1', { details: { justification: '€'.repeat(70_000) } }));

      const [read] = await collectStored(log);
      const [listed] = await log.list();

      assert.deepEqual(listed, entry);
      assert.equal(read?.event, storedAuditEntry(entry).event);
      assert.equal((await verifyStored(read ? [read] : [], keys)).ok, true);
    });

    it('makes one chain from two store instances appending at once', async function () {
      this.timeout(60_000);
      const a = await open();
      const b = await open();

      await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 === 0 ? a : b).append(event('2026-03-01T10:00:00.000Z', `user-${n}`))));

      const entries = await collectStored(a);
      assert.deepEqual(
        entries.map((entry) => entry.seq),
        Array.from({ length: 40 }, (_, n) => n + 1),
      );
      assert.equal((await verifyStored(entries, keys)).ok, true);
    });

    it('makes one chain from several processes appending to the same store', async function () {
      this.timeout(120_000);
      const log = await open();
      const startAt = String(Date.now() + 3000);

      await Promise.all(['a', 'b', 'c'].map((tag) => race('audit', ctx.locator(), '60', startAt, tag)));

      const entries = await collectStored(log);
      assert.equal(entries.length, 180);
      assert.deepEqual(await verifyStored(entries, keys), { ok: true, count: 180, unkeyed: 0, last: { seq: 180, hash: entries[179]?.hash, keyId: 'test-1' } });
      const racers = entries.map((entry) => (JSON.parse(entry.event) as AuditEvent).details.racer);
      for (const tag of ['a', 'b', 'c']) assert.equal(racers.filter((racer) => racer === tag).length, 60);
    });
  });
}
