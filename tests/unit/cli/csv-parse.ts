import type { AuditEntry, AuditEventType } from '../../../src/domain/audit.js';

/**
 * A strict RFC 4180 reader for the tests (no dependency): quoted fields with doubled quotes and
 * line breaks, CRLF record ends. Throws on anything a conforming writer would not produce.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
    } else {
      const end = text.slice(i).search(/[,\r"]/);
      field = end < 0 ? text.slice(i) : text.slice(i, i + end);
      i = end < 0 ? text.length : i + end;
      if (text[i] === '"' || field.includes('\n')) throw new Error(`bare quote or line break in an unquoted field at ${i}`);
    }
    record.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i) || i >= text.length) {
      records.push(record);
      record = [];
      i += 2;
    } else throw new Error(`unexpected character at ${i}`);
  }
  return records;
}

/** Records as objects keyed by the header row. */
export function parseCsvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((row) => {
    if (row.length !== header.length) throw new Error(`a record has ${row.length} fields, the header ${header.length}`);
    return Object.fromEntries(header.map((name, n) => [name, row[n] ?? '']));
  });
}

/** An audit CSV record back as an entry: empty optional fields are absent, `details` is JSON. */
export function auditEntryFromCsv(record: Record<string, string>): AuditEntry {
  const entry: AuditEntry = {
    seq: Number(record.seq),
    at: record.at ?? '',
    type: record.type as AuditEventType,
    details: JSON.parse(record.details ?? '') as AuditEntry['details'],
    prevHash: record.prev_hash ?? '',
    hash: record.hash ?? '',
  };
  const party = (id = '', name = '') => (name ? { aadObjectId: id, name } : { aadObjectId: id });
  if (record.actor_id || record.actor_name) entry.actor = party(record.actor_id, record.actor_name);
  if (record.subject_id || record.subject_name) entry.subject = party(record.subject_id, record.subject_name);
  if (record.elevation_id) entry.elevationId = record.elevation_id;
  if (record.environment_id || record.environment_name) entry.environment = { id: record.environment_id ?? '', displayName: record.environment_name ?? '' };
  if (record.role_name) entry.roleName = record.role_name;
  if (record.key_id) entry.keyId = record.key_id;
  return entry;
}
