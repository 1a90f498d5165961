import type { ClassifiedHolder } from './standing-access.js';

/** One row of the inventory export: a holder, or an environment Elevate could not read (`kind` = its status). */
export interface InventoryRow {
  environmentId: string;
  environment: string;
  kind: string;
  name: string;
  upn: string;
  aadObjectId: string;
  applicationId: string;
  systemUserId: string;
  team: string;
  teamGroupId: string;
  until: string;
  expectedBy: string;
  disabled: boolean | '';
  createdOn: string;
  modifiedOn: string;
  modifiedBy: string;
}

export const INVENTORY_COLUMNS: readonly (keyof InventoryRow)[] = [
  'environmentId',
  'environment',
  'kind',
  'name',
  'upn',
  'aadObjectId',
  'applicationId',
  'systemUserId',
  'team',
  'teamGroupId',
  'until',
  'expectedBy',
  'disabled',
  'createdOn',
  'modifiedOn',
  'modifiedBy',
];

export function holderRow(environment: { id: string; displayName: string }, h: ClassifiedHolder): InventoryRow {
  return {
    environmentId: environment.id,
    environment: environment.displayName,
    kind: h.kind,
    name: h.fullName,
    upn: h.domainName ?? '',
    aadObjectId: h.aadObjectId ?? '',
    applicationId: h.applicationId ?? '',
    systemUserId: h.systemUserId,
    team: h.team?.name ?? '',
    teamGroupId: h.team?.groupId ?? '',
    until: h.until ?? '',
    expectedBy: h.expectedBy ?? '',
    disabled: h.disabled,
    createdOn: h.createdOn ?? '',
    modifiedOn: h.modifiedOn ?? '',
    modifiedBy: h.modifiedBy ?? '',
  };
}

/** A row for an environment that was not read: its status in `kind`, nothing else. */
export function unreadRow(environment: { id: string; displayName: string }, status: string): InventoryRow {
  const blank = Object.fromEntries(INVENTORY_COLUMNS.map((c) => [c, ''])) as unknown as InventoryRow;
  return { ...blank, environmentId: environment.id, environment: environment.displayName, kind: status };
}

/** The inventory as RFC 4180 CSV (csvTable). */
export function toCsv(rows: readonly InventoryRow[]): string {
  return csvTable(INVENTORY_COLUMNS, rows);
}

/**
 * RFC 4180 CSV of `columns`. A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return at its
 * start: OWASP "CSV injection") is prefixed with `'`; names come from Dataverse, which anyone with a user can edit.
 */
export function csvTable<R extends object>(columns: readonly (keyof R & string)[], rows: readonly R[]): string {
  const cell = (value: unknown): string => {
    let text = String(value ?? '');
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
