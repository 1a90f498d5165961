import type { AuditSealer } from '../../domain/audit.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { Clock } from '../../ports/clock.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { TimerStore } from '../../ports/timer-store.js';
import { SqliteElevationStore } from './sqlite-elevation-store.js';

/** `ELEVATE_STORE` named a store this release cannot open. */
export class StoreSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreSpecError';
  }
}

/**
 * Opens the store named by `ELEVATE_STORE`: `sqlite:<path>` or a bare path (SQLite, created if
 * missing; `sqlite::memory:` for a throw-away store). `azuretables:...` is planned (design.md
 * "Storage") and refused clearly until then.
 */
export async function openStore(spec: string): Promise<ElevationStore> {
  const trimmed = spec.trim();
  // Two letters at least: a one-letter "scheme" is a Windows drive (C:\data\elevate.db), so a bare path.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return SqliteElevationStore.open(requirePath(trimmed, spec));
  if (scheme === 'sqlite') return SqliteElevationStore.open(requirePath(trimmed.slice('sqlite:'.length), spec));
  if (scheme === 'azuretables') {
    throw new StoreSpecError('ELEVATE_STORE: Azure Table Storage (azuretables:) is not implemented yet; use sqlite:<path> for now.');
  }
  throw new StoreSpecError(`ELEVATE_STORE: unknown store "${scheme}:"; use sqlite:<path> or a file path.`);
}

function requirePath(path: string, spec: string): string {
  if (path.trim() === '') throw new StoreSpecError(`ELEVATE_STORE "${spec}" names no file.`);
  return path.trim();
}

/** The audit log kept beside the store (same SQLite file and connection), sealing with `sealer`. */
export function auditLogOf(store: ElevationStore, sealer: AuditSealer): AuditLog {
  if (store instanceof SqliteElevationStore) return store.auditLog(sealer);
  throw new StoreSpecError('this store has no audit log');
}

/** The durable timers kept beside the store (same SQLite file and connection). */
export function timerStoreOf(store: ElevationStore, clock?: Clock): TimerStore {
  if (store instanceof SqliteElevationStore) return store.timers(clock);
  throw new StoreSpecError('this store has no durable timers');
}
