/**
 * What an elevated user did in the environment during the elevation, from Dataverse auditing. Pure.
 * `operation` values are Dataverse's (learn.microsoft.com/power-apps/developer/data-platform/auditing/retrieve-audit-data):
 * 1 Create, 2 Update, 3 Delete, 4 Access; anything else is counted as Other.
 */
export interface AuditEntry {
  /** ISO instant of the operation (`createdon`). */
  at: string;
  operation: number;
  /** The table's logical name (`objecttypecode`). */
  table: string;
  recordId?: string;
  /** The record's primary name, when Dataverse gave one. */
  recordName?: string;
}

/** The audit log of one user and window, or that auditing is off in the environment. */
export type AuditActivity = { auditing: 'off' } | { auditing: 'on'; entries: AuditEntry[]; truncated: boolean };

export type OperationName = 'Create' | 'Update' | 'Delete' | 'Access' | 'Other';

/** What is kept on the elevation record (bounded) and shown on the ended card and the channel post. */
export type ChangeSummary =
  | { state: 'off' }
  | { state: 'unread' }
  | {
      state: 'on';
      total: number;
      /** More rows existed than Elevate read: `total` is a lower bound. */
      truncated: boolean;
      byOperation: { operation: OperationName; count: number }[];
      byTable: { table: string; count: number }[];
      first: AuditEntry[];
    };

const OPERATIONS: Readonly<Record<number, OperationName>> = { 1: 'Create', 2: 'Update', 3: 'Delete', 4: 'Access' };
export const FIRST_RECORDS = 5;
const MAX_TABLES = 10;

export function operationName(operation: number): OperationName {
  return OPERATIONS[operation] ?? 'Other';
}

function counted<K extends string>(keys: K[]): { key: K; count: number }[] {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** Counts by operation and table (most first, ties by name), and the first `firstN` records in time order. */
export function summarizeActivity(activity: AuditActivity, firstN = FIRST_RECORDS): ChangeSummary {
  if (activity.auditing === 'off') return { state: 'off' };
  const entries = [...activity.entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return {
    state: 'on',
    total: entries.length,
    truncated: activity.truncated,
    byOperation: counted(entries.map((e) => operationName(e.operation))).map(({ key, count }) => ({ operation: key, count })),
    byTable: counted(entries.map((e) => e.table))
      .slice(0, MAX_TABLES)
      .map(({ key, count }) => ({ table: key, count })),
    first: entries.slice(0, firstN).map((e) => ({ ...e, ...(e.recordName ? { recordName: e.recordName.slice(0, 100) } : {}) })),
  };
}

/**
 * The start of the window: when the PIM role was active (the first `elevating` step), else when the record
 * was created. The end is when the elevation ended.
 */
export function activityWindowStart(history: readonly { at: string; state: string }[], createdAt: string): string {
  return history.find((h) => h.state === 'elevating')?.at ?? createdAt;
}

/** The window of an elevation's activity: from the PIM activation to its end, or to `now` while it lasts. */
export interface ActivityWindow {
  from: string;
  to: string;
  /** Not ended yet: `to` is now. */
  ongoing: boolean;
}

/** The window, or undefined when the elevation never reached the environment (it never had an `elevating` step). */
export function activityWindow(
  record: { history: readonly { at: string; state: string }[]; createdAt: string; ending?: { at: string } },
  now: Date,
): ActivityWindow | undefined {
  if (!record.history.some((h) => h.state === 'elevating')) return undefined;
  const from = activityWindowStart(record.history, record.createdAt);
  return record.ending ? { from, to: record.ending.at, ongoing: false } : { from, to: now.toISOString(), ongoing: true };
}

/** One row of an `audit <elevation id>` export. */
export interface ActivityRow {
  at: string;
  operation: OperationName;
  table: string;
  recordId: string;
  recordName: string;
}

export const ACTIVITY_COLUMNS: readonly (keyof ActivityRow)[] = ['at', 'operation', 'table', 'recordId', 'recordName'];

/** Every entry as an export row, oldest first. */
export function activityRows(entries: readonly AuditEntry[]): ActivityRow[] {
  return [...entries]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((e) => ({ at: e.at, operation: operationName(e.operation), table: e.table, recordId: e.recordId ?? '', recordName: e.recordName ?? '' }));
}
