import BetterSqlite3 from 'better-sqlite3';
import { sha256Hex } from '../../../../src/adapters/store/audit-hash.js';
import { AzureTablesStore } from '../../../../src/adapters/store/azure-tables-store.js';
import { verifyChain, type AuditKeys, type ChainVerdict, type StoredAuditEntry } from '../../../../src/domain/audit.js';
import type { AuditLog } from '../../../../src/ports/audit-log.js';
import type { StoreLocator } from './stores.js';

export async function collectStored(log: AuditLog): Promise<StoredAuditEntry[]> {
  const entries: StoredAuditEntry[] = [];
  for await (const entry of log.stored()) entries.push(entry);
  return entries;
}

/** The domain's verification with these keys, as `npm run audit -- --verify` runs it. */
export function verifyStored(entries: StoredAuditEntry[], keys: AuditKeys, options: { acceptUnsealed?: boolean } = {}): Promise<ChainVerdict> {
  return verifyChain(entries, { sha256: sha256Hex, check: (...args) => keys.check(...args), ...options });
}

/**
 * Writes entries into the located store as they are, unsealed ones included: what an earlier
 * release (or someone with access to the store) left there. SQLite through its own connection,
 * Azure Tables through the copy tool's import.
 */
export async function plantAuditEntries(locator: StoreLocator, entries: readonly StoredAuditEntry[]): Promise<void> {
  if (locator.kind === 'sqlite') {
    const db = new BetterSqlite3(locator.path);
    try {
      const insert = db.prepare('INSERT INTO audit (seq, event, prev_hash, hash, key_id) VALUES (?, ?, ?, ?, ?)');
      for (const entry of entries) insert.run(entry.seq, entry.event, entry.prevHash, entry.hash, entry.keyId ?? null);
    } finally {
      db.close();
    }
    return;
  }
  const store = await AzureTablesStore.open({ kind: 'connectionString', connectionString: locator.connectionString }, locator);
  await store.auditLog().importEntries(entries);
}
