import { holderRow, rbacRow, rbacUnreadRow, unreadRow, type InventoryRow } from '../domain/inventory-export.js';
import type { EnvironmentInventory, InventoryOutcome } from './standing-inventory.js';
import type { StandingAccessDeps } from './standing-access-deps.js';

/** How long an export link works. */
export const EXPORT_TTL_MS = 15 * 60_000;

/** A stored export: rows only (no token, no secret), who asked, and until when it may be downloaded. */
export interface StoredExport {
  rows: InventoryRow[];
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
}

const key = (id: string): string => `standingAccessExport:${id}`;
const EXPORT_ID = /^[A-Za-z0-9_-]{22,64}$/;

export function inventoryRows(environments: readonly EnvironmentInventory[]): InventoryRow[] {
  return environments.flatMap((e) => (e.status === 'read' ? e.holders.map((h) => holderRow(e.environment, h)) : [unreadRow(e.environment, e.status)]));
}

/** The Power Platform RBAC rows: every holder, each scope not read, or one row saying why none was read. */
export function rbacRows(rbac: Extract<InventoryOutcome, { kind: 'done' }>['rbac']): InventoryRow[] {
  if (!rbac) return [];
  if (rbac.status !== 'read') {
    const kind = { notConfigured: 'rbacNotConfigured', accessDenied: 'rbacAccessDenied', failed: 'rbacFailed' }[rbac.status];
    return [rbacUnreadRow(kind, undefined, rbac.message)];
  }
  return [...rbac.holders.map(rbacRow), ...rbac.unread.map((u) => rbacUnreadRow('rbacNotRead', u.scope, u.message))];
}

/**
 * Keeps the rows of an inventory under an unguessable id (128 random bits, `newId`) for `EXPORT_TTL_MS`: the
 * card links to `/exports/standing-access/{id}.csv|.json` on Elevate's own host (README "Standing access").
 */
export async function saveInventoryExport(
  deps: Pick<StandingAccessDeps, 'store' | 'clock'> & { newExportId: () => string },
  inventory: Pick<Extract<InventoryOutcome, { kind: 'done' }>, 'environments' | 'rbac'>,
  requestedBy: string,
): Promise<{ id: string; expiresAt: string }> {
  const id = deps.newExportId();
  const now = deps.clock.now().getTime();
  const stored: StoredExport = {
    rows: [...inventoryRows(inventory.environments), ...rbacRows(inventory.rbac)],
    requestedBy,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + EXPORT_TTL_MS).toISOString(),
  };
  await deps.store.putDocument(key(id), stored);
  return { id, expiresAt: stored.expiresAt };
}

/** The rows of an export that has not expired; undefined for an unknown, malformed or expired id (an expired one is deleted). */
export async function readInventoryExport(deps: Pick<StandingAccessDeps, 'store' | 'clock'>, id: string): Promise<StoredExport | undefined> {
  if (!EXPORT_ID.test(id)) return undefined;
  const found = await deps.store.getDocument<StoredExport>(key(id));
  if (!found) return undefined;
  if (Date.parse(found.value.expiresAt) <= deps.clock.now().getTime()) {
    await deps.store.deleteDocument(key(id), found.version);
    return undefined;
  }
  return found.value;
}
