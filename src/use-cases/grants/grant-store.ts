import { OPEN_GRANT_STATES, type RbacGrantRecord } from '../../domain/rbac-grant.js';
import type { Versioned } from '../../ports/elevation-store.js';
import { compareAndSwap, documentAccess, type SwapResult } from '../compare-and-swap.js';
import type { GrantDeps } from './grant-deps.js';

/**
 * Grants are documents of the store (`rbac-grant:<id>`, compare-and-swap on the document version),
 * with one index per requester (`rbac-grants-of:<object id>`) for `status` and overlaps. No store
 * adapter changes: SQLite and Azure Tables already keep versioned documents.
 */
const grantKey = (id: string) => `rbac-grant:${id}`;
const indexKey = (aadObjectId: string) => `rbac-grants-of:${aadObjectId.toLowerCase()}`;
/** The newest grants a requester's index keeps (older ones stay stored and audited). */
const INDEX_LIMIT = 50;

type Store = GrantDeps['store'];

export async function getGrant(store: Store, id: string): Promise<Versioned<RbacGrantRecord> | undefined> {
  return store.getDocument<RbacGrantRecord>(grantKey(id));
}

/** Creates the grant once: a second create of the same id (a redelivery) returns the stored one and `created: false`. */
export async function createGrant(store: Store, record: RbacGrantRecord): Promise<{ grant: RbacGrantRecord; created: boolean }> {
  const saved = await store.putDocument(grantKey(record.id), record, undefined);
  if (!saved) {
    const existing = await getGrant(store, record.id);
    if (existing) return { grant: existing.value, created: false };
    throw new Error(`grant ${record.id} could not be stored`);
  }
  await compareAndSwap(documentAccess<{ ids: string[] }>(store, indexKey(record.requester.aadObjectId)), (current) => {
    const ids = current?.value.ids ?? [];
    return ids.includes(record.id) ? undefined : { ids: [record.id, ...ids].slice(0, INDEX_LIMIT) };
  });
  return { grant: saved.value, created: true };
}

/** Compare-and-swap on one grant: `modify` returns the next record or undefined to leave it. */
export function swapGrant(store: Store, id: string, modify: (current: RbacGrantRecord) => RbacGrantRecord | undefined): Promise<SwapResult<RbacGrantRecord>> {
  return compareAndSwap(documentAccess<RbacGrantRecord>(store, grantKey(id)), (current) => (current ? modify(current.value) : undefined));
}

/** A requester's grants, newest first. */
export async function grantsOf(store: Store, aadObjectId: string): Promise<RbacGrantRecord[]> {
  const ids = (await store.getDocument<{ ids: string[] }>(indexKey(aadObjectId)))?.value.ids ?? [];
  const grants = await Promise.all(ids.map((id) => getGrant(store, id)));
  return grants.flatMap((g) => (g ? [g.value] : []));
}

export function isOpen(grant: RbacGrantRecord): boolean {
  return OPEN_GRANT_STATES.includes(grant.state);
}
