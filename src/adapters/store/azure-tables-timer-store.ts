import type { TableClient, TableEntityResult, TransactionAction } from '@azure/data-tables';
import { ElevateError } from '../../domain/errors.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { DurableTimer, RetryOptions, TimerStore } from '../../ports/timer-store.js';
import { quote, readEntity, rowRange, unlessLost } from './azure-tables-connection.js';
import { timerOf, type StoredTimerFields } from './timer-row.js';
import { fromSortableMs, keyPart, prefixRange, readText, sortableMs, textProperties } from './azure-tables-values.js';

const PARTITION = 'timers';
/** Re-reads after a lost race before giving up; each loss means another writer made progress. */
const ATTEMPTS = 20;

interface TimerRow extends StoredTimerFields {
  /** '' while nobody holds it. */
  owner: string;
  leaseUntilMs: number;
}

type Entity = TableEntityResult<Record<string, unknown>>;

const idKey = (id: string) => `id|${keyPart(id, 'timer id')}`;
const dueKey = (row: TimerRow) => `due|${sortableMs(row.dueMs)}|${keyPart(row.id, 'timer id')}`;
const subjectPrefix = (subject: string) => `subject|${keyPart(subject, 'timer subject')}|`;
const subjectKey = (row: TimerRow) => `${subjectPrefix(row.subject)}${keyPart(row.id, 'timer id')}`;

/** Several writers kept changing one timer; the operation may be tried again. */
export class StoreContentionError extends ElevateError {
  constructor(what: string) {
    super(`${what}: gave up after ${ATTEMPTS} lost races with other writers.`, 'StoreContention');
  }
}

/**
 * TimerStore in the `…Timers` table, one partition. Each timer is an `id|` entity and a full copy
 * under `due|<due>|<id>` (what claimDue and list() read in due order), plus a `subject|` pointer
 * (cancel, list(subject)). Every change writes the `id|` entity and the `due|` copy in one
 * transaction conditional on the etag of the one it read, so any two changes of one timer
 * exclude each other: a claim is a compare-and-swap on the `due|` copy its query found, the
 * others on the `id|` entity. `complete` and `retryLater` check the owner they read under that
 * same etag, as SQLite's `WHERE owner = ?` does. Removal goes through a tombstone (removeRow).
 */
export class AzureTablesTimerStore implements TimerStore {
  constructor(
    private readonly table: TableClient,
    private readonly pageSize: number,
    /** Only `schedule` reads it, to tell whether a holder's lease has run out. */
    private readonly clock: Clock = systemClock,
  ) {}

  async schedule(timer: Omit<DurableTimer, 'attempts'>): Promise<void> {
    const dueMs = instant(timer.dueAt, timer.id);
    const payload = JSON.stringify(timer.payload);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.read(timer.id);
      if (!current?.row) {
        const row = { id: timer.id, kind: timer.kind, subject: timer.subject, dueMs, attempts: 0, payload, owner: '', leaseUntilMs: 0 };
        if (await this.submit(creation(row, current?.etag))) return;
        continue;
      }
      const { row, etag } = current;
      if (row.owner !== '' && row.leaseUntilMs >= this.clock.now().getTime()) return;
      if (await this.submit(move(row, { ...row, dueMs, payload, owner: '', leaseUntilMs: 0 }, etag))) return;
    }
    throw new StoreContentionError(`Scheduling timer ${timer.id}`);
  }

  async claimDue(now: Date, owner: string, leaseMs: number, limit: number): Promise<DurableTimer[]> {
    if (limit <= 0) return [];
    const at = now.getTime();
    const leaseUntilMs = at + Math.max(0, leaseMs);
    const claimable = `owner eq '' or owner eq ${quote(owner)} or lease lt ${quote(sortableMs(at))}`;
    const claimed: DurableTimer[] = [];
    for await (const copy of rowRange(this.table, PARTITION, { from: 'due|', to: `due|${sortableMs(at + 1)}` }, this.pageSize, claimable)) {
      const row = rowOf(copy);
      const next = { ...row, owner, leaseUntilMs };
      const won = await this.submit([
        ['update', entity(dueKey(next), next), 'Replace', { etag: copy.etag }],
        ['update', entity(idKey(next.id), next), 'Replace'],
      ]);
      if (won) claimed.push(timerOf(row));
      if (claimed.length >= Math.floor(limit)) break;
    }
    return claimed;
  }

  async complete(id: string, owner: string): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.read(id);
      if (!current?.row || current.row.owner !== owner) return false;
      if (await this.removeRow(current.row, current.etag)) return true;
    }
    throw new StoreContentionError(`Completing timer ${id}`);
  }

  async nextDue(owner: string, now: Date): Promise<Date | undefined> {
    // The first page of the due-time index: later timers are the poll's.
    let soonest: number | undefined;
    let seen = 0;
    for await (const copy of rowRange(this.table, PARTITION, prefixRange('due|'), this.pageSize)) {
      const row = rowOf(copy);
      const held = row.owner !== '' && row.owner !== owner && row.leaseUntilMs >= now.getTime();
      const at = held ? Math.max(row.dueMs, row.leaseUntilMs + 1) : row.dueMs;
      soonest = soonest === undefined ? at : Math.min(soonest, at);
      if (++seen >= this.pageSize) break;
    }
    return soonest === undefined ? undefined : new Date(soonest);
  }

  async releaseEarlierRuns(instance: string, current: string): Promise<number> {
    // Once per start: the due-time index filtered on the owner (`#` + 1 is `$`).
    const earlier = `owner ge ${quote(`${instance}#`)} and owner lt ${quote(`${instance}$`)} and owner ne ${quote(current)}`;
    const ids: string[] = [];
    for await (const copy of rowRange(this.table, PARTITION, prefixRange('due|'), this.pageSize, earlier)) ids.push(String(copy.id));
    let released = 0;
    for (const id of ids) {
      const found = await this.read(id);
      if (!found?.row || !found.row.owner.startsWith(`${instance}#`) || found.row.owner === current) continue;
      if (await this.submit(move(found.row, { ...found.row, owner: '', leaseUntilMs: 0 }, found.etag))) released++;
    }
    return released;
  }

  async renew(id: string, owner: string, leaseUntil: Date): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.read(id);
      if (!current?.row || current.row.owner !== owner) return false;
      const { row, etag } = current;
      if (await this.submit(move(row, { ...row, leaseUntilMs: leaseUntil.getTime() }, etag))) return true;
    }
    throw new StoreContentionError(`Renewing the lease of timer ${id}`);
  }

  async retryLater(id: string, owner: string, dueAt: Date, options: RetryOptions = {}): Promise<boolean> {
    const dueMs = instant(dueAt, id);
    const increment = options.countAttempt === false ? 0 : 1;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.read(id);
      if (!current?.row || current.row.owner !== owner) return false;
      const { row, etag } = current;
      if (await this.submit(move(row, { ...row, dueMs, attempts: row.attempts + increment, owner: '', leaseUntilMs: 0 }, etag))) return true;
    }
    throw new StoreContentionError(`Retrying timer ${id}`);
  }

  async cancel(subject: string, kinds?: string[]): Promise<number> {
    if (kinds?.length === 0) return 0;
    const ids: string[] = [];
    for await (const pointer of rowRange(this.table, PARTITION, prefixRange(subjectPrefix(subject)), this.pageSize)) {
      if (kinds === undefined || kinds.includes(String(pointer.kind))) ids.push(String(pointer.id));
    }
    let cancelled = 0;
    for (const id of ids) if (await this.remove(id)) cancelled++;
    return cancelled;
  }

  async list(subject?: string): Promise<DurableTimer[]> {
    const rows: TimerRow[] = [];
    if (subject === undefined) {
      for await (const copy of rowRange(this.table, PARTITION, prefixRange('due|'), this.pageSize)) rows.push(rowOf(copy));
    } else {
      for await (const pointer of rowRange(this.table, PARTITION, prefixRange(subjectPrefix(subject)), this.pageSize)) {
        const found = (await this.read(String(pointer.id)))?.row;
        if (found) rows.push(found);
      }
    }
    return rows.sort((a, b) => a.dueMs - b.dueMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(timerOf);
  }

  /** The copy tool: a timer as it stands in another store, attempts kept, held by nobody. False when it exists. */
  async importTimer(timer: DurableTimer): Promise<boolean> {
    const row = { ...timer, dueMs: instant(timer.dueAt, timer.id), payload: JSON.stringify(timer.payload), owner: '', leaseUntilMs: 0 };
    const current = await this.read(timer.id);
    return !current?.row && this.submit(creation(row, current?.etag));
  }

  /** Deletes a timer whoever holds it; false when it was gone already. */
  private async remove(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.read(id);
      if (!current?.row) return false;
      if (await this.removeRow(current.row, current.etag)) return true;
    }
    throw new StoreContentionError(`Cancelling timer ${id}`);
  }

  /**
   * A transaction cannot make a delete conditional (the client sends `If-Match: *` for deletes in a
   * batch), so the `id|` entity becomes a tombstone under its etag while the copies go, and the
   * tombstone is then deleted under the tombstone's own etag: if someone scheduled the id again in
   * between, that delete fails and their timer stays. A tombstone left by a crash reads as no timer.
   */
  private async removeRow(row: TimerRow, etag: string): Promise<boolean> {
    const result = await unlessLost(() =>
      this.table.submitTransaction([
        ['update', { partitionKey: PARTITION, rowKey: idKey(row.id), id: row.id, gone: true }, 'Replace', { etag }],
        ['delete', { partitionKey: PARTITION, rowKey: dueKey(row) }],
        ['delete', { partitionKey: PARTITION, rowKey: subjectKey(row) }],
      ]),
    );
    if (!result) return false;
    const tombstone = result.subResponses[0]?.etag;
    if (tombstone) await unlessLost(() => this.table.deleteEntity(PARTITION, idKey(row.id), { etag: tombstone }));
    return true;
  }

  /** The `id|` entity: a timer, a tombstone (no row, but an etag to revive it under), or nothing. */
  private async read(id: string): Promise<{ row?: TimerRow; etag: string } | undefined> {
    const found = await readEntity(this.table, PARTITION, idKey(id));
    if (!found) return undefined;
    return found.gone === true ? { etag: found.etag } : { row: rowOf(found), etag: found.etag };
  }

  /** True when the transaction went through; false when it lost a race (nothing of it was written). */
  private async submit(actions: TransactionAction[]): Promise<boolean> {
    return (await unlessLost(() => this.table.submitTransaction(actions))) !== undefined;
  }
}

/** A new timer; over a tombstone, conditional on the tombstone's etag. */
function creation(row: TimerRow, tombstoneEtag?: string): TransactionAction[] {
  const byId: TransactionAction =
    tombstoneEtag === undefined ? ['create', entity(idKey(row.id), row)] : ['update', entity(idKey(row.id), row), 'Replace', { etag: tombstoneEtag }];
  return [byId, ['create', entity(dueKey(row), row)], ['create', { partitionKey: PARTITION, rowKey: subjectKey(row), id: row.id, kind: row.kind }]];
}

/** `before` becomes `after`, conditional on the `id|` entity's etag; the `due|` copy moves when the due time does. */
function move(before: TimerRow, after: TimerRow, etag: string): TransactionAction[] {
  const actions: TransactionAction[] = [['update', entity(idKey(after.id), after), 'Replace', { etag }]];
  if (dueKey(before) === dueKey(after)) actions.push(['update', entity(dueKey(after), after), 'Replace']);
  else actions.push(['delete', { partitionKey: PARTITION, rowKey: dueKey(before) }], ['create', entity(dueKey(after), after)]);
  return actions;
}

function entity(rowKey: string, row: TimerRow) {
  return {
    partitionKey: PARTITION,
    rowKey,
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    due: sortableMs(row.dueMs),
    attempts: row.attempts,
    owner: row.owner,
    lease: row.owner === '' ? '' : sortableMs(row.leaseUntilMs),
    ...textProperties('payload', row.payload, `The payload of timer ${row.id}`),
  };
}

function rowOf(found: Entity): TimerRow {
  return {
    id: String(found.id),
    kind: String(found.kind),
    subject: String(found.subject),
    dueMs: fromSortableMs(String(found.due)),
    attempts: Number(found.attempts),
    payload: readText(found, 'payload'),
    owner: String(found.owner ?? ''),
    leaseUntilMs: found.lease ? fromSortableMs(String(found.lease)) : 0,
  };
}

function instant(due: string | Date, id: string): number {
  const ms = typeof due === 'string' ? Date.parse(due) : due.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Timer ${id}: due time "${String(due)}" is not a valid instant.`);
  return ms;
}
