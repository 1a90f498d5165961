import { createRequire } from 'node:module';
import type { AuditSealer } from '../../domain/audit.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { Clock } from '../../ports/clock.js';
import type { ElevationStore } from '../../ports/elevation-store.js';
import type { TimerStore } from '../../ports/timer-store.js';
import type { AzureTablesOptions } from './azure-tables-connection.js';
import { SqliteElevationStore } from './sqlite-elevation-store.js';
import { StoreSpecError } from './store-spec-error.js';

export { StoreSpecError } from './store-spec-error.js';

/** How a store other than SQLite is reached (Azure Tables: the managed identity to use, page size, table prefix). */
export type OpenStoreOptions = AzureTablesOptions;

/**
 * Opens the store named by `ELEVATE_STORE`: `sqlite:<path>` or a bare path (SQLite, created if
 * missing; `sqlite::memory:` for a throw-away store), or `azuretables:<connection string>` /
 * `azuretables:https://<account>.table.core.windows.net` (Azure Table Storage or Cosmos DB for
 * Table, the tables created if missing; the endpoint form signs in with DefaultAzureCredential).
 */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<ElevationStore> {
  const trimmed = spec.trim();
  // Two letters at least: a one-letter "scheme" is a Windows drive (C:\data\elevate.db), so a bare path.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return SqliteElevationStore.open(requirePath(trimmed, spec));
  if (scheme === 'sqlite') return SqliteElevationStore.open(requirePath(trimmed.slice('sqlite:'.length), spec));
  if (scheme === 'azuretables') {
    // Loaded only when used: the Azure Tables SDK is a large part of start-up for a bot on SQLite (issue #13).
    const load = createRequire(__filename);
    const { parseAzureTablesLocation } = load('./azure-tables-connection.js') as typeof import('./azure-tables-connection.js');
    const { AzureTablesStore } = load('./azure-tables-store.js') as typeof import('./azure-tables-store.js');
    return AzureTablesStore.open(parseAzureTablesLocation(trimmed.slice('azuretables:'.length)), options);
  }
  throw new StoreSpecError(`ELEVATE_STORE: unknown store "${scheme}:"; use sqlite:<path>, a file path or azuretables:<connection string or endpoint>.`);
}

function requirePath(path: string, spec: string): string {
  if (path.trim() === '') throw new StoreSpecError(`ELEVATE_STORE "${spec}" names no file.`);
  return path.trim();
}

/** What the SQLite and Azure Tables stores keep beside the elevations. */
interface StoreWithCompanions extends ElevationStore {
  auditLog(sealer: AuditSealer): AuditLog;
  timers(clock?: Clock): TimerStore;
}

function hasCompanions(store: ElevationStore): store is StoreWithCompanions {
  const candidate = store as Partial<StoreWithCompanions>;
  return typeof candidate.auditLog === 'function' && typeof candidate.timers === 'function';
}

/** The audit log kept beside the store (same SQLite file and connection; same Azure account), sealing with `sealer`. */
export function auditLogOf(store: ElevationStore, sealer: AuditSealer): AuditLog {
  if (hasCompanions(store)) return store.auditLog(sealer);
  throw new StoreSpecError('this store has no audit log');
}

/** The durable timers kept beside the store (same SQLite file and connection; same Azure account). */
export function timerStoreOf(store: ElevationStore, clock?: Clock): TimerStore {
  if (hasCompanions(store)) return store.timers(clock);
  throw new StoreSpecError('this store has no durable timers');
}
