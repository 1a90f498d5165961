import pino from 'pino';
import { sha256Hex } from '../../../src/adapters/store/audit-hash.js';
import type { SqliteElevationStore } from '../../../src/adapters/store/sqlite-elevation-store.js';
import type { AuditKeys } from '../../../src/domain/audit.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { AuditAlert, AuditAnchorNotice, Notifier } from '../../../src/ports/notifier.js';
import type { AuditIntegrityDeps } from '../../../src/use-cases/audit-integrity.js';
import { testAuditKeys } from '../../support/audit-keys.js';

/** What the audit use cases posted to the (fake) security channel. */
export interface AuditPosts {
  anchors: AuditAnchorNotice[];
  /** Every auditAnchor call, posted or not (the claim keeps repeats out of `anchors`). */
  anchorCalls: number;
  alerts: AuditAlert[];
  /** What auditAnchor answers: false as if no channel were set. */
  channelSet: boolean;
}

export function auditNotifier(posts: AuditPosts): Notifier {
  const claimed = new Set<string>();
  return {
    elevationChanged: async () => true,
    approvalChanged: async () => true,
    alert: async () => true,
    reminder: async () => true,
    auditAnchor: async (anchor) => {
      posts.anchorCalls++;
      // Once per anchor, like TeamsNotifier's claim.
      if (posts.channelSet && !claimed.has(`${anchor.seq}:${anchor.hash}`)) posts.anchors.push(anchor);
      claimed.add(`${anchor.seq}:${anchor.hash}`);
      return posts.channelSet;
    },
    auditAlert: async (alert) => {
      if (!claimed.has(alert.key)) posts.alerts.push(alert);
      claimed.add(alert.key);
      return true;
    },
  };
}

/** AuditIntegrityDeps on a real SQLite store (audit log, documents, timers) with a recording notifier. */
export function auditDeps(
  store: SqliteElevationStore,
  clock: Clock,
  options: { keys?: AuditKeys; anchorMinutes?: number; posts?: AuditPosts } = {},
): AuditIntegrityDeps & { posts: AuditPosts } {
  const keys = options.keys ?? testAuditKeys();
  const posts = options.posts ?? { anchors: [], anchorCalls: 0, alerts: [], channelSet: true };
  return {
    audit: store.auditLog(keys.sealer),
    keys,
    sha256: sha256Hex,
    store,
    notifier: auditNotifier(posts),
    timers: store.timers(clock),
    clock,
    logger: pino({ level: 'silent' }),
    anchorMinutes: options.anchorMinutes ?? 60,
    posts,
  };
}
