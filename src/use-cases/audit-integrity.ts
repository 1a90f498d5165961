import type { Logger } from 'pino';
import { ChainVerifier, type AuditAnchor, type AuditKeys, type ChainVerdict, type Sha256 } from '../domain/audit.js';
import { AuditAppendConflict, type AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { ElevationStore } from '../ports/elevation-store.js';
import type { Notifier } from '../ports/notifier.js';
import type { TimerStore } from '../ports/timer-store.js';

/** What keeping the audit log verifiable needs; built in `main.ts` beside ElevationDeps. */
export interface AuditIntegrityDeps {
  audit: AuditLog;
  /** ELEVATE_AUDIT_KEYS: the newest seals, all verify. Never in the store. */
  keys: AuditKeys;
  sha256: Sha256;
  /** Keeps the last published anchor (a hint for the bot's own check; the posts are the record). */
  store: ElevationStore;
  notifier: Notifier;
  timers: TimerStore;
  clock: Clock;
  logger: Logger;
  /** Minutes between periodic anchors (ELEVATE_AUDIT_ANCHOR_MINUTES); 0: on demand only. */
  anchorMinutes: number;
}

/**
 * Verifies the whole log as stored, with the configured keys and, when given, an anchor
 * (see ChainVerifier for what each finds). Reads in pages: the log may be larger than memory.
 */
export async function verifyAuditLog(
  deps: Pick<AuditIntegrityDeps, 'audit' | 'keys' | 'sha256'>,
  options: { anchor?: AuditAnchor; acceptUnsealed?: boolean } = {},
): Promise<ChainVerdict> {
  const verifier = new ChainVerifier({ sha256: deps.sha256, check: (keyId, digest, seal) => deps.keys.check(keyId, digest, seal), ...options });
  for await (const entry of deps.audit.stored()) if (!(await verifier.add(entry))) break;
  return verifier.result();
}

export type SealOutcome = { kind: 'nothingToSeal' } | { kind: 'sealed'; unkeyed: number; seq: number } | { kind: 'sealedElsewhere' };

/**
 * The migration to keyed entries: a log whose newest entry has no key id (written by Elevate
 * before audit keys) gets an `auditSealed` entry, sealed with the current key, whose seal covers
 * the unkeyed head and so every entry before it. Runs at start, before anything else appends;
 * compare-and-swap on the newest seq, so of several instances starting at once one seals. The
 * security channel is told: a seal after the first upgrade means unkeyed entries were written
 * into the store since (published anchors then fail too). A broken unkeyed chain is sealed as
 * found (verification keeps naming the break) and reported.
 */
export async function sealUnkeyedAuditLog(deps: AuditIntegrityDeps): Promise<SealOutcome> {
  const [head] = await deps.audit.list({ limit: 1 });
  if (!head || head.keyId !== undefined) return { kind: 'nothingToSeal' };
  const verdict = await verifyAuditLog(deps, { acceptUnsealed: true });
  const chain = verdict.ok ? 'intact' : `broken at #${verdict.seq}: ${verdict.reason}`;
  if (!verdict.ok) deps.logger.error({ seq: verdict.seq, reason: verdict.reason }, 'the unkeyed audit chain is broken; sealing it as found');
  try {
    const sealed = await deps.audit.append(
      {
        type: 'auditSealed',
        at: deps.clock.now().toISOString(),
        details: { unkeyedEntries: head.seq, unkeyedHead: head.hash, unkeyedChain: chain, keyId: deps.keys.sealer.keyId },
      },
      { expectLastSeq: head.seq },
    );
    deps.logger.warn({ unkeyed: head.seq, seq: sealed.seq, keyId: deps.keys.sealer.keyId }, 'audit entries written before audit keys are now sealed');
    await deps.notifier.auditAlert({
      key: `audit-sealed:${sealed.seq}:${sealed.hash}`,
      kind: 'sealed',
      unkeyed: head.seq,
      seq: sealed.seq,
      keyId: deps.keys.sealer.keyId,
      ...(verdict.ok ? {} : { brokenAt: { seq: verdict.seq, reason: verdict.reason } }),
    });
    return { kind: 'sealed', unkeyed: head.seq, seq: sealed.seq };
  } catch (error) {
    if (error instanceof AuditAppendConflict) return { kind: 'sealedElsewhere' };
    throw error;
  }
}
