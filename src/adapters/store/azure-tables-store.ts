/**
 * The store on Azure Table Storage or Azure Cosmos DB for Table (`@azure/data-tables` serves both).
 *
 * Tables (names start with the prefix, default `elevate`) and their keys, chosen for the queries
 * Elevate runs; none of them scans a table on a request or timer path:
 *
 * | table           | PartitionKey        | RowKey                                   | read by                                       |
 * |-----------------|---------------------|------------------------------------------|-----------------------------------------------|
 * | `…Elevations`   | `elevations`        | `id|<id>`                                | getElevation (point read)                      |
 * |                 |                     | `req|<requester>|<inverted created>|<id>` | listElevationsByRequester (range, newest first)|
 * |                 |                     | `state|<state>|<created>|<id>`           | listElevationsInStates (range per state)       |
 * | `…Documents`    | `<key>`             | `` (empty)                               | getDocument / putDocument (point)              |
 * | `…Claims`       | `<key>`             | `` (empty)                               | claimOnce (insert)                             |
 * | `…Timers`       | `timers`            | `id|<id>`                                | complete, retryLater, schedule (point)         |
 * |                 |                     | `due|<due ms, 17 digits>|<id>`           | claimDue, list() (range up to now, by due)     |
 * |                 |                     | `subject|<subject>|<id>`                 | cancel, list(subject) (range)                  |
 * | `…Audit`        | `audit`             | `head`                                   | append (the newest seq, hash and key id)       |
 * |                 |                     | `seq|<seq, 12 digits>`                   | stored(), list() (range by seq, or by key)     |
 * |                 |                     | `at|<at>|<seq>` (a pointer)              | list({ since })                                |
 * |                 |                     | `user|<aadObjectId>|<at>|<seq>` (pointer)| list({ aadObjectId }) (actor and subject)      |
 *
 * Key parts are percent-escaped (`%`, `|`, `/`, `\`, `#`, `?`, control characters). Copies in one
 * partition change together in one entity group transaction, conditional on the etag of the
 * entity read first, so a lost race fails the whole transaction and is reported as the port's
 * conflict result; nothing is ever written unconditionally over another writer. Elevations,
 * timers and the audit log each live in one partition because transactions need one partition:
 * their volume (a tenant's elevations) is far below one partition's limits (Azure Storage about
 * 2,000 entities/s; Cosmos DB 20 GB per logical partition). Documents and claims, point reads
 * only, get a partition each. Versions are counters stored in the entities, as in SQLite.
 * JSON values longer than 32,000 characters are split over several properties (up to 256,000
 * characters; longer ones are refused with StoreValueTooLargeError).
 */
import type { AuditSealer } from '../../domain/audit.js';
import type { ElevationRecord, ElevationState } from '../../domain/elevation.js';
import type { Clock } from '../../ports/clock.js';
import type { ElevationStore, Versioned } from '../../ports/elevation-store.js';
import { AzureTablesAuditLog } from './azure-tables-audit-log.js';
import {
  connectTables,
  readEntity,
  unlessLost,
  wholeTable,
  type AzureTablesLocation,
  type AzureTablesOptions,
  type Tables,
} from './azure-tables-connection.js';
import { AzureElevations } from './azure-tables-elevations.js';
import { AzureTablesTimerStore } from './azure-tables-timer-store.js';
import { BoundedCache, keyPart, readText, textProperties } from './azure-tables-values.js';
import type { StoreContents, StoreImport } from './store-transfer.js';

const MAX_PAGE_SIZE = 1000;

export class AzureTablesStore implements ElevationStore, StoreContents, StoreImport {
  private readonly records: AzureElevations;
  /** `<key>\0<version>` → etag: an unchanging fact that spares the read before a conditional write. */
  private readonly documentEtags = new BoundedCache<string>();
  /** One log per sealer, so that this client's appends queue up (as SqliteElevationStore's do). */
  private readonly audits = new Map<AuditSealer | undefined, AzureTablesAuditLog>();

  private constructor(
    private readonly tables: Tables,
    private readonly pageSize: number,
  ) {
    this.records = new AzureElevations(tables.Elevations, pageSize);
  }

  /** Connects, creating the tables when missing. */
  static async open(location: AzureTablesLocation, options: AzureTablesOptions = {}): Promise<AzureTablesStore> {
    const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)));
    return new AzureTablesStore(await connectTables(location, options), pageSize);
  }

  createElevation(record: ElevationRecord): Promise<Versioned<ElevationRecord>> {
    return this.records.create(record);
  }

  getElevation(id: string): Promise<Versioned<ElevationRecord> | undefined> {
    return this.records.get(id);
  }

  updateElevation(record: ElevationRecord, expectedVersion: string): Promise<Versioned<ElevationRecord> | undefined> {
    return this.records.update(record, expectedVersion);
  }

  listElevationsByRequester(aadObjectId: string): Promise<Versioned<ElevationRecord>[]> {
    return this.records.byRequester(aadObjectId);
  }

  listElevationsInStates(states: readonly ElevationState[]): Promise<Versioned<ElevationRecord>[]> {
    return this.records.inStates(states);
  }

  async getDocument<T>(key: string): Promise<Versioned<T> | undefined> {
    const found = await readEntity(this.tables.Documents, keyPart(key, 'document key'), '');
    if (!found) return undefined;
    this.documentEtags.set(`${key}\u0000${String(found.v)}`, found.etag);
    return { value: JSON.parse(readText(found, 'value')) as T, version: String(found.v) };
  }

  async putDocument<T>(key: string, value: T, expectedVersion?: string): Promise<Versioned<T> | undefined> {
    const documents = this.tables.Documents;
    const properties = textProperties('value', JSON.stringify(value), `The document "${key}"`);
    const base = { partitionKey: keyPart(key, 'document key'), rowKey: '', key, ...properties };
    if (expectedVersion === undefined) {
      const created = await unlessLost(() => documents.createEntity({ ...base, v: 1 }));
      if (created?.etag) this.documentEtags.set(`${key}\u00001`, created.etag);
      return created && { value, version: '1' };
    }
    const expected = /^\d+$/.test(expectedVersion) ? Number(expectedVersion) : undefined;
    if (expected === undefined) return undefined;
    const etag = this.documentEtags.get(`${key}\u0000${expected}`) ?? (await this.documentEtag(key, expected));
    if (etag === undefined) return undefined;
    const updated = await unlessLost(() => documents.updateEntity({ ...base, v: expected + 1 }, 'Replace', { etag }));
    if (updated?.etag) this.documentEtags.set(`${key}\u0000${expected + 1}`, updated.etag);
    return updated && { value, version: String(expected + 1) };
  }

  async claimOnce(key: string, at: Date): Promise<boolean> {
    const claim = { partitionKey: keyPart(key, 'claim key'), rowKey: '', key, claimedAt: at.toISOString() };
    return (await unlessLost(() => this.tables.Claims.createEntity(claim))) !== undefined;
  }

  /** The audit log in the same account (table `…Audit`), sealing with `sealer`; without one it reads only. */
  auditLog(sealer?: AuditSealer): AzureTablesAuditLog {
    let log = this.audits.get(sealer);
    if (!log) {
      log = new AzureTablesAuditLog(this.tables.Audit, this.pageSize, sealer);
      this.audits.set(sealer, log);
    }
    return log;
  }

  /** The durable timers in the same account (table `…Timers`). */
  timers(clock?: Clock): AzureTablesTimerStore {
    return new AzureTablesTimerStore(this.tables.Timers, this.pageSize, clock);
  }

  /** Nothing to release: the client holds no connection of its own between requests. */
  async close(): Promise<void> {}

  elevations(): AsyncIterable<ElevationRecord> {
    return this.records.all();
  }

  async *documents(): AsyncIterable<{ key: string; value: unknown }> {
    for await (const found of wholeTable(this.tables.Documents, this.pageSize)) yield { key: String(found.key), value: JSON.parse(readText(found, 'value')) };
  }

  async *claims(): AsyncIterable<{ key: string; claimedAt: string }> {
    for await (const found of wholeTable(this.tables.Claims, this.pageSize)) yield { key: String(found.key), claimedAt: String(found.claimedAt) };
  }

  async importElevation(record: ElevationRecord): Promise<boolean> {
    try {
      await this.records.create(record);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ElevationExists') return false;
      throw error;
    }
  }

  async importDocument(key: string, value: unknown): Promise<boolean> {
    return (await this.putDocument(key, value)) !== undefined;
  }

  importClaim(key: string, claimedAt: string): Promise<boolean> {
    return this.claimOnce(key, new Date(claimedAt));
  }

  private async documentEtag(key: string, expected: number): Promise<string | undefined> {
    const found = await readEntity(this.tables.Documents, keyPart(key, 'document key'), '');
    return found && found.v === expected ? found.etag : undefined;
  }
}
