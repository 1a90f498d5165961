import type { TableClient, TableEntityResult, TransactionAction } from '@azure/data-tables';
import type { ElevationRecord, ElevationState } from '../../domain/elevation.js';
import { ElevateError } from '../../domain/errors.js';
import type { Versioned } from '../../ports/elevation-store.js';
import { isLostRace, readEntity, rowRange, statusOf } from './azure-tables-connection.js';
import { BoundedCache, invertedMs, keyPart, prefixRange, readText, textProperties } from './azure-tables-values.js';

/** All elevations share one partition, so that a record and its two index copies change in one transaction. */
export const ELEVATIONS_PARTITION = 'elevations';

/** What the keys of an elevation's copies are made of: fixed when it is created (like SQLite's columns). */
interface Placement {
  requester: string;
  createdAt: string;
  state: ElevationState;
  etag: string;
}

type Entity = TableEntityResult<Record<string, unknown>>;

const recordKey = (id: string) => `id|${keyPart(id, 'elevation id')}`;
const requesterPrefix = (requester: string) => `req|${keyPart(requester, 'requester')}|`;
const statePrefix = (state: string) => `state|${keyPart(state, 'state')}|`;
const requesterKey = (id: string, p: Omit<Placement, 'etag'>) => `${requesterPrefix(p.requester)}${invertedMs(Date.parse(p.createdAt))}|${keyPart(id)}`;
const stateKey = (id: string, p: Omit<Placement, 'etag'>) => `${statePrefix(p.state)}${sortableCreated(p.createdAt)}|${keyPart(id)}`;

function sortableCreated(createdAt: string): string {
  const ms = Date.parse(createdAt);
  return Number.isNaN(ms) ? keyPart(createdAt) : new Date(ms).toISOString();
}

/**
 * The elevations table: per elevation a record (`id|<id>`, read by id) and two copies of it
 * (`req|<requester>|<newest first>|<id>` and `state|<state>|<created>|<id>`), written together in
 * one entity group transaction whose first action is conditional on the record's etag. The
 * version is a counter kept in every copy (as in SQLite), so a version read from a list is as
 * good as one read by id; the etag that goes with a version is an unchanging fact, cached.
 */
export class AzureElevations {
  private readonly placements = new BoundedCache<Placement>();

  constructor(
    private readonly table: TableClient,
    private readonly pageSize: number,
  ) {}

  async create(record: ElevationRecord): Promise<Versioned<ElevationRecord>> {
    const placement = { requester: record.requester.aadObjectId, createdAt: record.createdAt, state: record.state };
    const body = JSON.stringify(record);
    const actions: TransactionAction[] = [
      ['create', entity(recordKey(record.id), placement, body, 1)],
      ['create', entity(requesterKey(record.id, placement), placement, body, 1)],
      ['create', entity(stateKey(record.id, placement), placement, body, 1)],
    ];
    try {
      const result = await this.table.submitTransaction(actions);
      this.remember(record.id, 1, { ...placement, etag: result.subResponses[0]?.etag ?? '' });
    } catch (error) {
      if (statusOf(error) === 409) throw new ElevateError(`An elevation with id ${record.id} already exists.`, 'ElevationExists');
      throw error;
    }
    return { value: record, version: '1' };
  }

  async get(id: string): Promise<Versioned<ElevationRecord> | undefined> {
    const found = await readEntity(this.table, ELEVATIONS_PARTITION, recordKey(id));
    return found && this.versioned(id, found);
  }

  async update(record: ElevationRecord, expectedVersion: string): Promise<Versioned<ElevationRecord> | undefined> {
    const expected = /^\d+$/.test(expectedVersion) ? Number(expectedVersion) : undefined;
    if (expected === undefined) return undefined;
    const before = this.placements.get(`${record.id}\u0000${expected}`) ?? (await this.readPlacement(record.id, expected));
    if (!before) return undefined;
    const after = { requester: before.requester, createdAt: before.createdAt, state: record.state };
    const body = JSON.stringify(record);
    const version = expected + 1;
    const actions: TransactionAction[] = [
      ['update', entity(recordKey(record.id), after, body, version), 'Replace', { etag: before.etag }],
      ['update', entity(requesterKey(record.id, after), after, body, version), 'Replace'],
    ];
    if (before.state === after.state) actions.push(['update', entity(stateKey(record.id, after), after, body, version), 'Replace']);
    else
      actions.push(
        ['delete', { partitionKey: ELEVATIONS_PARTITION, rowKey: stateKey(record.id, before) }],
        ['create', entity(stateKey(record.id, after), after, body, version)],
      );
    try {
      const result = await this.table.submitTransaction(actions);
      this.remember(record.id, version, { ...after, etag: result.subResponses[0]?.etag ?? '' });
    } catch (error) {
      if (isLostRace(error)) return undefined;
      throw error;
    }
    return { value: record, version: String(version) };
  }

  /** Newest first (created), then by id, as SQLite orders them. */
  async byRequester(requester: string): Promise<Versioned<ElevationRecord>[]> {
    const found = await this.collect(requesterPrefix(requester));
    return found.sort((a, b) => compare(b.createdAt, a.createdAt) || compare(a.id, b.id)).map((f) => f.versioned);
  }

  /** Oldest first (created), then by id. */
  async inStates(states: readonly ElevationState[]): Promise<Versioned<ElevationRecord>[]> {
    const found = [];
    for (const state of new Set(states)) found.push(...(await this.collect(statePrefix(state))));
    return found.sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id)).map((f) => f.versioned);
  }

  /** Every elevation, by id (the copy tool). */
  async *all(): AsyncIterable<ElevationRecord> {
    for await (const found of rowRange(this.table, ELEVATIONS_PARTITION, prefixRange('id|'), this.pageSize)) {
      yield JSON.parse(readText(found, 'body')) as ElevationRecord;
    }
  }

  private async collect(prefix: string) {
    const found: { createdAt: string; id: string; versioned: Versioned<ElevationRecord> }[] = [];
    for await (const copy of rowRange(this.table, ELEVATIONS_PARTITION, prefixRange(prefix), this.pageSize)) {
      const versioned = { value: JSON.parse(readText(copy, 'body')) as ElevationRecord, version: String(copy.v) };
      found.push({ createdAt: String(copy.createdAt), id: versioned.value.id, versioned });
    }
    return found;
  }

  private async readPlacement(id: string, expected: number): Promise<Placement | undefined> {
    const found = await readEntity(this.table, ELEVATIONS_PARTITION, recordKey(id));
    return found && found.v === expected ? this.placementOf(id, found) : undefined;
  }

  private versioned(id: string, found: Entity): Versioned<ElevationRecord> {
    this.placementOf(id, found);
    return { value: JSON.parse(readText(found, 'body')) as ElevationRecord, version: String(found.v) };
  }

  private placementOf(id: string, found: Entity): Placement {
    const placement = { requester: String(found.requester), createdAt: String(found.createdAt), state: found.state as ElevationState, etag: found.etag };
    this.remember(id, Number(found.v), placement);
    return placement;
  }

  private remember(id: string, version: number, placement: Placement): void {
    if (placement.etag !== '') this.placements.set(`${id}\u0000${version}`, placement);
  }
}

function entity(rowKey: string, placement: Omit<Placement, 'etag'>, body: string, version: number) {
  return {
    partitionKey: ELEVATIONS_PARTITION,
    rowKey,
    v: version,
    requester: placement.requester,
    createdAt: placement.createdAt,
    state: placement.state,
    ...textProperties('body', body, 'An elevation record'),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
