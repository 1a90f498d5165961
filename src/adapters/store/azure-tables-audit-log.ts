import type { TableClient, TableEntityResult, TransactionAction } from '@azure/data-tables';
import {
  auditIndexOf,
  GENESIS_HASH,
  parseStoredEvent,
  sealAuditEntry,
  type AuditEntry,
  type AuditEvent,
  type AuditIndex,
  type AuditSealer,
  type StoredAuditEntry,
} from '../../domain/audit.js';
import { ElevateError } from '../../domain/errors.js';
import {
  AuditAppendConflict,
  AuditLogCorruptError,
  AuditLogReadOnlyError,
  type AppendOptions,
  type AuditFilter,
  type AuditLog,
} from '../../ports/audit-log.js';
import { sha256Hex } from './audit-hash.js';
import { isLostRace, quote, readEntity, rowRange } from './azure-tables-connection.js';
import { keyPart, prefixRange, readText, sortableSeq, textProperties } from './azure-tables-values.js';

const PARTITION = 'audit';
const HEAD = 'head';
/** Appends from several instances queue on the head's etag; each lost race means another entry went in. */
const APPEND_ATTEMPTS = 50;
/** A transaction holds at most 100 operations and 4 MiB (learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions). */
const MAX_BATCH_OPERATIONS = 100;
/** Bytes of event text (as JSON on the wire) per transaction, leaving room under 4 MiB for the rest. */
const MAX_BATCH_BYTES = 3 * 1024 * 1024;
/**
 * Entries read per query by row key: a $filter holds at most 15 comparisons
 * (learn.microsoft.com/rest/api/storageservices/querying-tables-and-entities), one is the PartitionKey.
 */
const SEQS_PER_QUERY = 14;

type Entity = TableEntityResult<Record<string, unknown>>;
type Head = { seq: number; hash: string; keyId?: string; etag?: string };
type Writable = StoredAuditEntry & { index: AuditIndex };

const seqKey = (seq: number) => `seq|${sortableSeq(seq)}`;
const userPrefix = (aadObjectId: string) => `user|${keyPart(aadObjectId, 'user id')}|`;
const SEQ_RANGE_END = prefixRange('seq|').to;

/** The log to copy into already holds entries that are not the source's. */
export class AuditImportMismatchError extends ElevateError {
  constructor(message: string) {
    super(message, 'AuditImportMismatch');
  }
}

/**
 * AuditLog in the `…Audit` table, one partition, following the domain's sealing as
 * sqlite-audit-log.ts does. An append reads the `head` entity (the newest seq, hash and key id),
 * seals the next entry with `sealAuditEntry` and writes, in one entity group transaction, the
 * entry under `seq|<seq>` (its stored text unchanged, prevHash, hash, keyId and the filter
 * properties `at`, `actorId`, `subjectId`), its `at|` and `user|` pointers, and the head,
 * conditional on the head's etag: a lost race fails the whole transaction, and the append reads
 * and seals again. The pointers only hold a seq: `list` reads the entries themselves and filters
 * them on their properties, which verification compares with the sealed JSON, so a pointer added
 * outside Elevate cannot make `list` show an entry the filter does not select.
 */
export class AzureTablesAuditLog implements AuditLog {
  /** Appends of this instance go one at a time: racing each other would only lose races. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly table: TableClient,
    private readonly pageSize: number,
    private readonly sealer?: AuditSealer,
  ) {}

  append(event: AuditEvent, options: AppendOptions = {}): Promise<AuditEntry> {
    const next = this.queue.then(() => this.appendNow(event, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const limit = filter.limit === undefined ? undefined : Math.max(0, Math.floor(filter.limit));
    if (limit === 0) return [];
    if (filter.aadObjectId === undefined && filter.since === undefined) return this.newest(limit);
    const since = filter.since?.toISOString();
    const prefix = filter.aadObjectId === undefined ? 'at|' : userPrefix(filter.aadObjectId);
    const range = { from: since === undefined ? prefix : `${prefix}${since}`, to: prefixRange(prefix).to };
    const candidates = new Set<number>();
    for await (const pointer of rowRange(this.table, PARTITION, range, this.pageSize)) candidates.add(Number(pointer.seq));
    const seqs = [...candidates].sort((a, b) => b - a);
    const selects = (found: Entity) =>
      (since === undefined || (typeof found.at === 'string' && found.at >= since)) &&
      (filter.aadObjectId === undefined || found.actorId === filter.aadObjectId || found.subjectId === filter.aadObjectId);
    // Newest first until `limit` entries pass the filter.
    const entries: AuditEntry[] = [];
    for (let start = 0; start < seqs.length && (limit === undefined || entries.length < limit); start += SEQS_PER_QUERY) {
      const found = await this.entriesAt(seqs.slice(start, start + SEQS_PER_QUERY));
      entries.push(...found.filter(selects).map(toEntry));
    }
    entries.sort((a, b) => a.seq - b.seq);
    return limit === undefined ? entries : entries.slice(-limit);
  }

  /** Pages by seq, one query per page, so that appends may run meanwhile. */
  async *stored(): AsyncIterable<StoredAuditEntry> {
    let after = 0;
    for (;;) {
      const page = this.table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter: seqRangeFilter(after + 1) } })
        .byPage({ maxPageSize: this.pageSize });
      const first = (await page.next()).value as Entity[] | undefined;
      if (!first || first.length === 0) return;
      for (const found of first) yield toStored(found);
      after = Number(first.at(-1)?.seq);
    }
  }

  /**
   * The copy tool: appends entries exactly as another store holds them (same seq, text, prevHash,
   * hash and key id). They must continue this log: the first one's seq follows the head and its
   * prevHash is the head's hash. Verify them first: this only checks that they link.
   */
  async importEntries(entries: readonly StoredAuditEntry[]): Promise<void> {
    for (let start = 0; start < entries.length;) {
      const batch = importBatch(entries, start);
      const head = await this.head();
      const first = batch[0]!;
      if (first.seq !== (head?.seq ?? 0) + 1 || first.prevHash !== (head?.hash ?? GENESIS_HASH)) {
        throw new AuditImportMismatchError(`entry #${first.seq} does not follow the target log's last entry #${head?.seq ?? 0}.`);
      }
      const writable = batch.map((entry) => ({ ...entry, index: entry.index ?? indexOfText(entry.event) }));
      await this.table.submitTransaction([...writable.flatMap(entryActions), headAction(head, writable.at(-1)!)]);
      start += batch.length;
    }
  }

  /** The newest entry's seq, hash and key id (undefined for an empty log). */
  async head(): Promise<Head | undefined> {
    const found = await readEntity(this.table, PARTITION, HEAD);
    return found && { seq: Number(found.seq), hash: String(found.hash), ...(typeof found.keyId === 'string' ? { keyId: found.keyId } : {}), etag: found.etag };
  }

  private async appendNow(event: AuditEvent, options: AppendOptions): Promise<AuditEntry> {
    const sealer = this.sealer;
    if (!sealer) throw new AuditLogReadOnlyError();
    for (let attempt = 1; ; attempt++) {
      const head = await this.head();
      if (options.expectLastSeq !== undefined && (head?.seq ?? 0) !== options.expectLastSeq) {
        throw new AuditAppendConflict(options.expectLastSeq, head?.seq ?? 0);
      }
      const { entry, stored } = await sealAuditEntry(sha256Hex, sealer, head, event);
      try {
        await this.table.submitTransaction([...entryActions(stored), headAction(head, stored)]);
        return entry;
      } catch (error) {
        if (!isLostRace(error)) throw error;
        if (options.expectLastSeq !== undefined) throw new AuditAppendConflict(options.expectLastSeq, stored.seq);
        if (attempt >= APPEND_ATTEMPTS) throw error;
        // Another instance appended first: back off a little, at random, before reading the new head.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * attempt)));
      }
    }
  }

  /** The newest `limit` entries (all without a limit), oldest first, read by seq. */
  private async newest(limit: number | undefined): Promise<AuditEntry[]> {
    const head = limit === undefined ? undefined : await this.head();
    const from = head ? Math.max(1, head.seq - (limit ?? 0) + 1) : 1;
    const entries: AuditEntry[] = [];
    for await (const found of rowRange(this.table, PARTITION, { from: seqKey(from), to: SEQ_RANGE_END }, this.pageSize)) entries.push(toEntry(found));
    return limit === undefined ? entries : entries.slice(-limit);
  }

  /** The entries at these seqs (one query, at most SEQS_PER_QUERY of them). */
  private async entriesAt(seqs: readonly number[]): Promise<Entity[]> {
    const rowKeys = seqs.map((seq) => `RowKey eq ${quote(seqKey(seq))}`).join(' or ');
    const found: Entity[] = [];
    const query = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq ${quote(PARTITION)} and (${rowKeys})` } });
    for await (const page of query.byPage({ maxPageSize: this.pageSize })) found.push(...page);
    return found;
  }
}

/** The entry under `seq|` with its filter properties, and pointers to it under `at|` and `user|` (actor and subject) for `list`. */
function entryActions(stored: Writable): TransactionAction[] {
  const { seq, index } = stored;
  const filterProperties = Object.fromEntries(Object.entries(index).filter(([, value]) => value !== null));
  const entry = {
    partitionKey: PARTITION,
    rowKey: seqKey(seq),
    seq,
    prevHash: stored.prevHash,
    hash: stored.hash,
    ...(stored.keyId === undefined ? {} : { keyId: stored.keyId }),
    ...filterProperties,
    ...textProperties('event', stored.event, `Audit entry #${seq}`),
  };
  const actions: TransactionAction[] = [['create', entry]];
  if (index.at === null) return actions;
  const pointers = [`at|${index.at}|${sortableSeq(seq)}`];
  for (const party of new Set([index.actorId, index.subjectId])) if (party !== null) pointers.push(`${userPrefix(party)}${index.at}|${sortableSeq(seq)}`);
  for (const rowKey of pointers) actions.push(['create', { partitionKey: PARTITION, rowKey, seq }]);
  return actions;
}

/** Moves the head to `last`: created for an empty log (fails if someone else created it), else conditional on its etag. */
function headAction(head: Head | undefined, last: StoredAuditEntry): TransactionAction {
  const entity = { partitionKey: PARTITION, rowKey: HEAD, seq: last.seq, hash: last.hash, ...(last.keyId === undefined ? {} : { keyId: last.keyId }) };
  return head?.etag ? ['update', entity, 'Replace', { etag: head.etag }] : ['create', entity];
}

/** As many entries from `start` as one transaction holds (an entry is up to four operations), at least one. */
function importBatch(entries: readonly StoredAuditEntry[], start: number): StoredAuditEntry[] {
  const batch: StoredAuditEntry[] = [];
  let bytes = 0;
  for (let at = start; at < entries.length; at++) {
    const entry = entries[at]!;
    bytes += Buffer.byteLength(JSON.stringify(entry.event));
    if (batch.length > 0 && ((batch.length + 1) * 4 + 1 > MAX_BATCH_OPERATIONS || bytes > MAX_BATCH_BYTES)) break;
    batch.push(entry);
  }
  return batch;
}

/** The filter values of a stored text from elsewhere that carries none; nothing for text that is not an event. */
function indexOfText(text: string): AuditIndex {
  const parsed = parseStoredEvent(text);
  return parsed.ok ? auditIndexOf(parsed.event) : { at: null, actorId: null, subjectId: null };
}

function seqRangeFilter(fromSeq: number): string {
  return `PartitionKey eq ${quote(PARTITION)} and RowKey ge ${quote(seqKey(fromSeq))} and RowKey lt ${quote(SEQ_RANGE_END)}`;
}

const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The entity as stored, with its filter properties as the index; verification, not reading, decides whether it is intact. */
function toStored(found: Entity): StoredAuditEntry {
  return {
    seq: Number(found.seq),
    event: readText(found, 'event'),
    prevHash: String(found.prevHash),
    hash: String(found.hash),
    ...(typeof found.keyId === 'string' ? { keyId: found.keyId } : {}),
    index: { at: textOrNull(found.at), actorId: textOrNull(found.actorId), subjectId: textOrNull(found.subjectId) },
  };
}

/** A readable entry, as sqlite-audit-log.ts reads one. */
function toEntry(found: Entity): AuditEntry {
  const stored = toStored(found);
  let event: AuditEvent;
  try {
    event = JSON.parse(stored.event) as AuditEvent;
  } catch (error) {
    throw new AuditLogCorruptError(stored.seq, 'its event is not JSON', { cause: error });
  }
  return { ...event, seq: stored.seq, prevHash: stored.prevHash, hash: stored.hash, ...(stored.keyId === undefined ? {} : { keyId: stored.keyId }) };
}
