import type { ClassifiedHolder } from './standing-access.js';
import type { ClassifiedRbacHolder } from './standing-rbac.js';

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
  /** `System Administrator`, or the Power Platform RBAC role's name. */
  role: string;
  /** Where the role is held: `environment`, or for RBAC roles also `tenant` / `environmentGroup`. */
  scopeType: string;
  /** RBAC rows: `User`, `Group` or `ApplicationUser`, and the Authorization API's assignment id. */
  principalType: string;
  assignmentId: string;
  /** Why a part was not read (its error or its missing configuration). */
  note: string;
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
  'role',
  'scopeType',
  'principalType',
  'assignmentId',
  'note',
];

export const SYSTEM_ADMINISTRATOR = 'System Administrator';

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
    role: SYSTEM_ADMINISTRATOR,
    scopeType: 'environment',
    principalType: '',
    assignmentId: '',
    note: '',
  };
}

/** A Power Platform RBAC role holder: the scope (tenant, environment group, environment) in the environment columns. */
export function rbacRow(h: ClassifiedRbacHolder): InventoryRow {
  return {
    ...blankRow(),
    environmentId: h.scope.id ?? '',
    environment: h.scope.displayName,
    kind: h.kind,
    name: h.name ?? '',
    aadObjectId: h.principalId,
    until: h.until ?? '',
    expectedBy: h.expectedBy ?? '',
    role: h.roleName,
    scopeType: h.scope.kind,
    principalType: h.principalType,
    assignmentId: h.assignmentId,
  };
}

/** RBAC roles not read (`kind`: `rbacNotConfigured`, `rbacAccessDenied`, `rbacFailed`, `rbacNotRead` for one scope), and why. */
export function rbacUnreadRow(kind: string, scope: { kind: string; id?: string; displayName: string } | undefined, why: string): InventoryRow {
  return {
    ...blankRow(),
    environmentId: scope?.id ?? '',
    environment: scope?.displayName ?? '',
    kind,
    role: 'Power Platform RBAC',
    scopeType: scope?.kind ?? '',
    note: why,
  };
}

function blankRow(): InventoryRow {
  return Object.fromEntries(INVENTORY_COLUMNS.map((c) => [c, ''])) as unknown as InventoryRow;
}

/** A row for an environment that was not read: its status in `kind`, nothing else. */
export function unreadRow(environment: { id: string; displayName: string }, status: string): InventoryRow {
  return {
    ...blankRow(),
    environmentId: environment.id,
    environment: environment.displayName,
    kind: status,
    role: SYSTEM_ADMINISTRATOR,
    scopeType: 'environment',
  };
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
