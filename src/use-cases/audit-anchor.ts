import { compareAndSwap, documentAccess } from './compare-and-swap.js';
import type { AuditAnchor, AuditParty } from '../domain/audit.js';
import type { AuditAnchorNotice } from '../ports/notifier.js';
import type { TimerHandler } from '../ports/timer-store.js';
import { verifyAuditLog, type AuditIntegrityDeps } from './audit-integrity.js';

/** Durable timer kind (and id) of the periodic anchor: one timer, whichever instance runs it. */
export const AUDIT_ANCHOR_KIND = 'auditAnchor';
const AUDIT_ANCHOR_TIMER = 'audit-anchor';
/** Store document with the newest published anchor: the bot's own truncation check between posts. */
const LAST_ANCHOR_KEY = 'audit:lastAnchor';

export type PublishedAnchor = Omit<AuditAnchorNotice, 'requestedBy'>;

export type AnchorOutcome =
  | { kind: 'anchored'; anchor: PublishedAnchor; posted: boolean }
  /** Periodic run with nothing appended since the last anchor: nothing posted. */
  | { kind: 'unchanged'; anchor: AuditAnchor }
  | { kind: 'empty' }
  | { kind: 'broken'; seq: number; reason: string };

/**
 * Verifies the log (against the last anchor the bot published, so that it notices truncation
 * itself) and posts its head to the security channel as an anchor: `--anchor <seq>:<hash>`
 * that `npm run audit -- --verify` checks later. A broken log is never anchored: the channel
 * gets an alert instead. `force` (on demand) posts even when nothing changed since the last one.
 */
export async function publishAuditAnchor(deps: AuditIntegrityDeps, options: { force: boolean; requestedBy?: AuditParty }): Promise<AnchorOutcome> {
  const last = (await deps.store.getDocument<AuditAnchor>(LAST_ANCHOR_KEY))?.value;
  const verdict = await verifyAuditLog(deps, last ? { anchor: { seq: last.seq, hash: last.hash } } : {});
  if (!verdict.ok) {
    deps.logger.error({ seq: verdict.seq, reason: verdict.reason }, 'AUDIT LOG VERIFICATION FAILED');
    await deps.notifier.auditAlert({ key: `audit-broken:${verdict.seq}:${verdict.reason}`, kind: 'verifyFailed', seq: verdict.seq, reason: verdict.reason });
    return { kind: 'broken', seq: verdict.seq, reason: verdict.reason };
  }
  if (!verdict.last) return { kind: 'empty' };
  const anchor: PublishedAnchor = {
    seq: verdict.last.seq,
    hash: verdict.last.hash,
    count: verdict.count,
    ...(verdict.last.keyId ? { keyId: verdict.last.keyId } : {}),
  };
  if (!options.force && last?.seq === anchor.seq && last.hash === anchor.hash) return { kind: 'unchanged', anchor: last };
  const posted = await deps.notifier.auditAnchor({ ...anchor, ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}) });
  if (posted) await rememberAnchor(deps, anchor);
  deps.logger.info({ event: 'auditAnchor', seq: anchor.seq, keyId: anchor.keyId, posted }, 'audit anchor published');
  return { kind: 'anchored', anchor, posted };
}

/** Keeps the newest anchor (compare-and-swap; an older one never replaces a newer one). */
async function rememberAnchor(deps: AuditIntegrityDeps, anchor: AuditAnchor): Promise<void> {
  await compareAndSwap(documentAccess<AuditAnchor>(deps.store, LAST_ANCHOR_KEY), (current) =>
    current && current.value.seq >= anchor.seq ? undefined : { seq: anchor.seq, hash: anchor.hash },
  );
}

/**
 * Schedules the periodic anchor unless it is scheduled already (a restart must not push it back),
 * or removes it when periodic anchors are off. Idempotent across instances: one timer id.
 */
export async function scheduleAuditAnchors(deps: AuditIntegrityDeps): Promise<void> {
  if (deps.anchorMinutes <= 0) {
    await deps.timers.cancel(AUDIT_ANCHOR_TIMER, [AUDIT_ANCHOR_KIND]);
    return;
  }
  if ((await deps.timers.list(AUDIT_ANCHOR_TIMER)).some((timer) => timer.kind === AUDIT_ANCHOR_KIND)) return;
  const dueAt = new Date(deps.clock.now().getTime() + deps.anchorMinutes * 60_000).toISOString();
  await deps.timers.schedule({ id: AUDIT_ANCHOR_TIMER, kind: AUDIT_ANCHOR_KIND, subject: AUDIT_ANCHOR_TIMER, dueAt, payload: {} });
}

/** Timer handler: anchor, then run again an interval later (the lease keeps other instances off it). */
export function auditAnchorHandler(deps: AuditIntegrityDeps): TimerHandler {
  return async () => {
    if (deps.anchorMinutes <= 0) return 'done';
    await publishAuditAnchor(deps, { force: false });
    return { retryAt: new Date(deps.clock.now().getTime() + deps.anchorMinutes * 60_000) };
  };
}
