import type { TableClient, TableEntityResult, TransactionAction } from '@azure/data-tables';
import { canonicalJson, chainEntry, GENESIS_HASH, type AuditEntry, type AuditEvent } from '../../domain/audit.js';
import { ElevateError } from '../../domain/errors.js';
import { AuditLogCorruptError, type AuditFilter, type AuditLog } from '../../ports/audit-log.js';
import { sha256Hex } from './audit-hash.js';
import { isLostRace, readEntity, rowRange } from './azure-tables-connection.js';
import { keyPart, prefixRange, readText, sortableSeq, textProperties } from './azure-tables-values.js';

const PARTITION = 'audit';
const HEAD = 'head';
/** Appends from several instances queue on the head's etag; each lost race means another entry went in. */
const APPEND_ATTEMPTS = 50;
/** Entries per transaction when copying a log (each entry is up to four entities; a transaction holds 100). */
const IMPORT_BATCH = 20;

type Entity = TableEntityResult<Record<string, unknown>>;
type Head = { seq: number; hash: string; etag?: string };

const seqKey = (seq: number) => `seq|${sortableSeq(seq)}`;
const userPrefix = (aadObjectId: string) => `user|${keyPart(aadObjectId, 'user id')}|`;

/** The log to copy into already holds entries that are not the source's. */
export class AuditImportMismatchError extends ElevateError {
  constructor(message: string) {
    super(message, 'AuditImportMismatch');
  }
}

/**
 * AuditLog in the `…Audit` table, one partition. The chain itself is the domain's (`chainEntry`,
 * `canonicalJson`, as sqlite-audit-log.ts calls them); this adapter only reads the last entry
 * (the `head` entity: its seq and hash), inserts `seq + 1` with the head's update conditional on
 * its etag in the same transaction (with the entry's `at|` and `user|` copies, which `list`
 * reads), retries on a lost race, and pages by seq.
 */
export class AzureTablesAuditLog implements AuditLog {
  /** Appends of this instance go one at a time: racing each other would only lose races. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly table: TableClient,
    private readonly pageSize: number,
  ) {}

  append(event: AuditEvent): Promise<AuditEntry> {
    const next = this.queue.then(() => this.appendNow(event));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const limit = filter.limit === undefined ? undefined : Math.max(0, Math.floor(filter.limit));
    if (limit === 0) return [];
    const since = filter.since?.toISOString();
    let range: { from: string; to: string };
    if (filter.aadObjectId !== undefined) {
      const prefix = userPrefix(filter.aadObjectId);
      range = { from: since ? `${prefix}${since}` : prefix, to: prefixRange(prefix).to };
    } else if (since !== undefined) range = { from: `at|${since}`, to: prefixRange('at|').to };
    else {
      const head = limit === undefined ? undefined : await this.head();
      range = { from: head ? seqKey(Math.max(1, head.seq - (limit ?? 0) + 1)) : 'seq|', to: prefixRange('seq|').to };
    }
    const entries: AuditEntry[] = [];
    for await (const found of rowRange(this.table, PARTITION, range, this.pageSize)) entries.push(toEntry(found));
    entries.sort((a, b) => a.seq - b.seq);
    return limit === undefined ? entries : entries.slice(-limit);
  }

  /** Pages by seq, one query per page, so that appends may run meanwhile. */
  async *all(): AsyncIterable<AuditEntry> {
    let after = 0;
    for (;;) {
      const range = { from: seqKey(after + 1), to: prefixRange('seq|').to };
      const page = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: rangeFilter(range) } }).byPage({ maxPageSize: this.pageSize });
      const first = (await page.next()).value as Entity[] | undefined;
      if (!first || first.length === 0) return;
      for (const found of first) yield toEntry(found);
      after = Number(first.at(-1)?.seq);
    }
  }

  /**
   * The copy tool: appends entries exactly as another store holds them (same seq, prevHash, hash).
   * They must continue this log: the first one's seq follows the head and its prevHash is the head's hash.
   */
  async importEntries(entries: readonly AuditEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += IMPORT_BATCH) {
      const batch = entries.slice(start, start + IMPORT_BATCH);
      const head = await this.head();
      const first = batch[0];
      if (!first) return;
      if (first.seq !== (head?.seq ?? 0) + 1 || first.prevHash !== (head?.hash ?? GENESIS_HASH)) {
        throw new AuditImportMismatchError(`entry #${first.seq} does not follow the target log's last entry #${head?.seq ?? 0}.`);
      }
      await this.table.submitTransaction([...batch.flatMap(entryActions), headAction(head, batch.at(-1)!)]);
    }
  }

  /** The last entry's seq and hash (undefined for an empty log). */
  async head(): Promise<Head | undefined> {
    const found = await readEntity(this.table, PARTITION, HEAD);
    return found && { seq: Number(found.seq), hash: String(found.hash), etag: found.etag };
  }

  private async appendNow(event: AuditEvent): Promise<AuditEntry> {
    for (let attempt = 1; ; attempt++) {
      const head = await this.head();
      const entry = chainEntry(sha256Hex, head, event);
      try {
        await this.table.submitTransaction([...entryActions(entry), headAction(head, entry)]);
        return entry;
      } catch (error) {
        if (!isLostRace(error) || attempt >= APPEND_ATTEMPTS) throw error;
        // Another instance appended first: back off a little, at random, before reading the new head.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * attempt)));
      }
    }
  }
}

/** The entry under `seq|`, and its copies under `at|` and `user|` (actor and subject) for `list`. */
function entryActions(entry: AuditEntry): TransactionAction[] {
  const { seq, prevHash, hash, ...stored } = entry;
  const properties = { seq, prevHash, hash, at: entry.at, ...textProperties('event', canonicalJson(stored), `Audit entry #${seq}`) };
  const keys = [seqKey(seq), `at|${entry.at}|${sortableSeq(seq)}`];
  for (const party of new Set([entry.actor?.aadObjectId, entry.subject?.aadObjectId])) {
    if (party !== undefined) keys.push(`${userPrefix(party)}${entry.at}|${sortableSeq(seq)}`);
  }
  return keys.map((rowKey): TransactionAction => ['create', { partitionKey: PARTITION, rowKey, ...properties }]);
}

/** Moves the head to `last`: created for an empty log (fails if someone else created it), else conditional on its etag. */
function headAction(head: Head | undefined, last: { seq: number; hash: string }): TransactionAction {
  const entity = { partitionKey: PARTITION, rowKey: HEAD, seq: last.seq, hash: last.hash };
  return head?.etag ? ['update', entity, 'Replace', { etag: head.etag }] : ['create', entity];
}

function rangeFilter(range: { from: string; to: string }): string {
  return `PartitionKey eq '${PARTITION}' and RowKey ge '${range.from}' and RowKey lt '${range.to}'`;
}

/** The stored entry exactly as found; verification, not reading, decides whether it is intact. */
function toEntry(found: Entity): AuditEntry {
  const seq = Number(found.seq);
  let event: unknown;
  try {
    event = JSON.parse(readText(found, 'event'));
  } catch (error) {
    throw new AuditLogCorruptError(seq, 'its event is not JSON', { cause: error });
  }
  return { ...(event as AuditEvent), seq, prevHash: String(found.prevHash), hash: String(found.hash) };
}
