import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pino from 'pino';
import { SqliteElevationStore } from '../../../src/adapters/store/sqlite-elevation-store.js';
import type { AuditEvent } from '../../../src/domain/audit.js';
import { TimerScheduler } from '../../../src/jobs/scheduler.js';
import type { Clock } from '../../../src/ports/clock.js';
import { AUDIT_ANCHOR_KIND, auditAnchorHandler, publishAuditAnchor, scheduleAuditAnchors } from '../../../src/use-cases/audit-anchor.js';
import { auditDeps, type AuditPosts } from './audit-deps.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const MINUTE = 60_000;
const event = (n: number): AuditEvent => ({ type: 'reminded', at: new Date(T0 + n * MINUTE).toISOString(), details: { n } });

describe('audit anchors', () => {
  let dir: string;
  let path: string;
  let nowMs: number;
  const clock: Clock = { now: () => new Date(nowMs), sleep: async () => undefined };
  const opened: SqliteElevationStore[] = [];
  const schedulers: TimerScheduler[] = [];
  const open = () => {
    const store = SqliteElevationStore.open(path);
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-anchor-'));
    path = join(dir, 'elevate.db');
    nowMs = T0;
  });

  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts the verified head as an anchor, and nothing periodically until the log moves on', async () => {
    const deps = auditDeps(open(), clock);
    for (let n = 1; n <= 3; n++) await deps.audit.append(event(n));
    const head = (await deps.audit.list({ limit: 1 }))[0];

    const first = await publishAuditAnchor(deps, { force: false });
    const again = await publishAuditAnchor(deps, { force: false });
    await deps.audit.append(event(4));
    const moved = await publishAuditAnchor(deps, { force: false });

    assert.deepEqual(first, { kind: 'anchored', anchor: { seq: 3, hash: head?.hash, keyId: 'test-1', count: 3 }, posted: true });
    assert.deepEqual(again, { kind: 'unchanged', anchor: { seq: 3, hash: head?.hash } });
    assert.equal(moved.kind === 'anchored' && moved.anchor.seq, 4);
    assert.deepEqual(
      deps.posts.anchors.map((a) => a.seq),
      [3, 4],
    );
  });

  it('posts on demand even when nothing changed, naming who asked, and never the same anchor twice', async () => {
    const deps = auditDeps(open(), clock);
    await deps.audit.append(event(1));
    const nestor = { aadObjectId: 'nestor', name: 'Nestor Wilke' };

    const first = await publishAuditAnchor(deps, { force: true, requestedBy: nestor });
    const second = await publishAuditAnchor(deps, { force: true, requestedBy: nestor });

    assert.equal(first.kind === 'anchored' && first.posted, true);
    assert.equal(second.kind === 'anchored' && second.posted, true);
    assert.equal(deps.posts.anchorCalls, 2, 'asked twice');
    assert.deepEqual(deps.posts.anchors, [
      { seq: 1, hash: first.kind === 'anchored' ? first.anchor.hash : '', keyId: 'test-1', count: 1, requestedBy: nestor },
    ]);
  });

  it('says when there is nothing to anchor, and keeps the anchor when no channel is set', async () => {
    const posts: AuditPosts = { anchors: [], anchorCalls: 0, alerts: [], channelSet: false };
    const deps = auditDeps(open(), clock, { posts });

    assert.deepEqual(await publishAuditAnchor(deps, { force: true }), { kind: 'empty' });
    await deps.audit.append(event(1));
    const outcome = await publishAuditAnchor(deps, { force: false });

    assert.equal(outcome.kind === 'anchored' && outcome.posted, false);
    assert.equal((await publishAuditAnchor(deps, { force: false })).kind, 'anchored', 'not remembered, so tried again');
  });

  it('never anchors a broken log: it alerts the channel once instead', async () => {
    const deps = auditDeps(open(), clock);
    for (let n = 1; n <= 3; n++) await deps.audit.append(event(n));
    const raw = new BetterSqlite3(path);
    raw.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET event = replace(event, '"n":2', '"n":7') WHERE seq = 2`);
    raw.close();

    const outcome = await publishAuditAnchor(deps, { force: false });
    await publishAuditAnchor(deps, { force: false });

    assert.deepEqual(outcome, {
      kind: 'broken',
      seq: 2,
      reason: 'seal mismatch under key "test-1": the entry was changed after it was sealed, or forged without the key',
    });
    assert.equal(deps.posts.anchors.length, 0);
    assert.equal(deps.posts.alerts.length, 1);
    assert.deepEqual(
      { ...deps.posts.alerts[0], key: undefined },
      { key: undefined, kind: 'verifyFailed', seq: 2, reason: outcome.kind === 'broken' ? outcome.reason : '' },
    );
  });

  it('notices newest entries deleted since its last anchor', async () => {
    const deps = auditDeps(open(), clock);
    for (let n = 1; n <= 4; n++) await deps.audit.append(event(n));
    await publishAuditAnchor(deps, { force: false });
    const raw = new BetterSqlite3(path);
    raw.exec('DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq > 2');
    raw.close();

    const outcome = await publishAuditAnchor(deps, { force: false });

    assert.deepEqual(outcome, { kind: 'broken', seq: 4, reason: 'anchored entry is missing: the log ends at #2 (entries were deleted)' });
  });

  it('schedules one periodic anchor, which a restart does not postpone, and removes it when turned off', async () => {
    const deps = auditDeps(open(), clock, { anchorMinutes: 30 });

    await scheduleAuditAnchors(deps);
    nowMs += 20 * MINUTE;
    await scheduleAuditAnchors(deps);

    assert.deepEqual(
      (await deps.timers.list()).map((t) => [t.kind, t.dueAt]),
      [[AUDIT_ANCHOR_KIND, new Date(T0 + 30 * MINUTE).toISOString()]],
    );
    await scheduleAuditAnchors({ ...deps, anchorMinutes: 0 });
    assert.deepEqual(await deps.timers.list(), []);
  });

  it('fires the periodic anchor once across two instances, every interval, and after a restart', async () => {
    const a = auditDeps(open(), clock, { anchorMinutes: 60 });
    const b = auditDeps(open(), clock, { anchorMinutes: 60, posts: a.posts });
    await a.audit.append(event(1));
    await scheduleAuditAnchors(a);
    await scheduleAuditAnchors(b);
    const start = (deps: typeof a, owner: string) => {
      const scheduler = new TimerScheduler({
        timers: deps.timers,
        clock,
        owner,
        handlers: { [AUDIT_ANCHOR_KIND]: auditAnchorHandler(deps) },
        logger: pino({ level: 'silent' }),
        pollMs: 3_600_000,
      });
      schedulers.push(scheduler);
      return scheduler;
    };
    const [one, two] = [start(a, 'bot-1'), start(b, 'bot-2')];

    nowMs = T0 + 61 * MINUTE;
    await Promise.all([one.runDueNow(), two.runDueNow()]);
    await b.audit.append(event(2));
    nowMs = T0 + 122 * MINUTE;
    await Promise.all([two.runDueNow(), one.runDueNow()]);
    await opened[0]?.close();
    await b.audit.append(event(3));
    nowMs = T0 + 183 * MINUTE;
    const restarted = auditDeps(open(), clock, { anchorMinutes: 60, posts: a.posts });
    await scheduleAuditAnchors(restarted);
    await start(restarted, 'bot-1').runDueNow();

    assert.deepEqual(
      a.posts.anchors.map((anchor) => anchor.seq),
      [1, 2, 3],
    );
    assert.equal(a.posts.anchorCalls, 3, 'each interval ran on one instance only');
    assert.equal((await restarted.timers.list())[0]?.dueAt, new Date(T0 + 243 * MINUTE).toISOString());
  });
});
