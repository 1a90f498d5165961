import { canonicalJson, type AuditEntry } from '../domain/audit.js';

export type AuditFormat = 'csv' | 'jsonl';

/** One entry per line, keys sorted: the lossless export (verifiable with the keys, see storedAuditEntry). */
export function toJsonLine(entry: AuditEntry): string {
  return `${canonicalJson(entry)}\n`;
}

export const CSV_COLUMNS = [
  'seq',
  'at',
  'type',
  'actor_id',
  'actor_name',
  'subject_id',
  'subject_name',
  'elevation_id',
  'environment_id',
  'environment_name',
  'role_name',
  'details',
  'prev_hash',
  'hash',
  'key_id',
] as const;

/** RFC 4180: CRLF line ends, a header row, fields with commas, quotes or line breaks quoted. */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** One CSV record; `details` is a JSON column. An absent optional value is an empty field. */
export function toCsvRow(entry: AuditEntry): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string> = {
    seq: String(entry.seq),
    at: entry.at,
    type: entry.type,
    actor_id: entry.actor?.aadObjectId ?? '',
    actor_name: entry.actor?.name ?? '',
    subject_id: entry.subject?.aadObjectId ?? '',
    subject_name: entry.subject?.name ?? '',
    elevation_id: entry.elevationId ?? '',
    environment_id: entry.environment?.id ?? '',
    environment_name: entry.environment?.displayName ?? '',
    role_name: entry.roleName ?? '',
    details: canonicalJson(entry.details),
    prev_hash: entry.prevHash,
    hash: entry.hash,
    key_id: entry.keyId ?? '',
  };
  return `${CSV_COLUMNS.map((column) => csvField(values[column])).join(',')}\r\n`;
}

/** Quotes when RFC 4180 requires it, and around edge spaces that some readers would trim. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
