import { ElevateError } from '../../domain/errors.js';
import type { AuditActivity, AuditEntry } from '../../domain/what-changed.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { HttpClient } from '../http/http-client.js';
import { DATAVERSE_HEADERS, dataverseQueries } from './dataverse-queries.js';

/** Rows Elevate reads at most for one elevation's summary: enough to count a busy window, bounded for the store and the card. */
export const MAX_AUDIT_ROWS = 2000;
const PAGE_SIZE = 500;
const FORMATTED = '_objectid_value@OData.Community.Display.V1.FormattedValue';

interface AuditRow {
  createdon?: string;
  operation?: number;
  objecttypecode?: string;
  _objectid_value?: string;
  [FORMATTED]?: string;
}

interface Page {
  value?: unknown;
  '@odata.nextLink'?: string;
}

export interface AuditTarget {
  http: HttpClient;
  root: string;
  api: string;
  token: TokenSource;
}

/**
 * Reads the `audits` rows of one systemuser in a window (docs/api-contracts.md §4.1): first the organization's
 * `isauditenabled`, then the pages (`Prefer: odata.maxpagesize`, next links on the environment's own host only)
 * until `maxRows` (default `MAX_AUDIT_ROWS`). The record names come as the lookup's formatted value (`odata.include-annotations`).
 */
export async function readAuditActivity(
  target: AuditTarget,
  systemUserId: string | undefined,
  from: string,
  to: string,
  maxRows = MAX_AUDIT_ROWS,
): Promise<AuditActivity> {
  const org = await get(target, `${target.api}/${dataverseQueries.auditSetting()}`);
  const row = Array.isArray(org.value) ? (org.value[0] as { isauditenabled?: unknown } | undefined) : undefined;
  if (typeof row?.isauditenabled !== 'boolean')
    throw new ElevateError(`Dataverse in ${target.root} answered organizations without isauditenabled.`, 'DataverseUnexpectedAnswer');
  if (!row.isauditenabled) return { auditing: 'off' };
  if (!systemUserId) return { auditing: 'on', entries: [], truncated: false };
  const entries: AuditEntry[] = [];
  let next: string | undefined = `${target.api}/${dataverseQueries.audits(systemUserId, from, to)}`;
  while (next && entries.length < maxRows) {
    const page = await get(target, next);
    if (!Array.isArray(page.value)) throw new ElevateError(`Dataverse in ${target.root} answered audits without a "value" array.`, 'DataverseUnexpectedAnswer');
    for (const item of page.value as AuditRow[]) entries.push(toEntry(item));
    const link = page['@odata.nextLink'];
    next = typeof link === 'string' && link.startsWith(`${target.root}/`) ? link : undefined;
  }
  return { auditing: 'on', entries: entries.slice(0, maxRows), truncated: next !== undefined || entries.length > maxRows };
}

function toEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = { at: String(row.createdon ?? ''), operation: Number(row.operation ?? 0), table: String(row.objecttypecode ?? 'unknown') };
  if (typeof row._objectid_value === 'string') entry.recordId = row._objectid_value;
  const name = row[FORMATTED];
  if (typeof name === 'string' && name.trim() !== '') entry.recordName = name.slice(0, 100);
  return entry;
}

async function get(target: AuditTarget, url: string): Promise<Page> {
  const response = await target.http.request<Page | undefined>({
    method: 'GET',
    url,
    token: target.token,
    headers: { ...DATAVERSE_HEADERS, Prefer: `odata.maxpagesize=${PAGE_SIZE},odata.include-annotations="OData.Community.Display.V1.FormattedValue"` },
  });
  return response.body ?? {};
}
