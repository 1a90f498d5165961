import { globMatches, type ExpectedHolders } from './elevate-policy.js';

export type { ExpectedHolders } from './elevate-policy.js';
import type { EnvironmentRef } from './environment.js';

/** A team that gives its members a role (Dataverse `team`; `groupId` for Microsoft Entra group teams). */
export interface HoldingTeam {
  teamId: string;
  name: string;
  /** Dataverse `teamtype`: 0 Owner, 1 Access, 2 Entra security group, 3 Entra Office group. */
  teamType: number;
  groupId?: string;
}

/** One systemuser holding System Administrator in one environment, directly or through a team. */
export interface RoleHolderRecord {
  systemUserId: string;
  /** The role copy held (its business unit's); for a team holder, the team's. */
  roleId: string;
  fullName: string;
  domainName?: string;
  /** Entra object id of a user (lower case); absent for some application users. */
  aadObjectId?: string;
  /** Client id of an application user (lower case). */
  applicationId?: string;
  disabled: boolean;
  /** Audit columns of the systemuser row, where Dataverse returns them (docs/api-contracts.md §10). */
  createdOn?: string;
  modifiedOn?: string;
  modifiedBy?: string;
  /** Absent: held directly. Present: held as a member of this team. */
  team?: HoldingTeam;
}

export type HolderKind = 'elevation' | 'expected' | 'application' | 'unexplained';

/** A holder as the inventory shows it. */
export interface ClassifiedHolder extends RoleHolderRecord {
  kind: HolderKind;
  /** For `elevation`: the end of the active Elevate elevation. */
  until?: string;
  /** For `expected`: the policy entry's name. */
  expectedBy?: string;
}

/** An active Elevate elevation: who, where, until when. */
export interface ActiveElevation {
  aadObjectId: string;
  environmentId: string;
  until: string;
}

const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

function appliesTo(entry: ExpectedHolders, environment: EnvironmentRef | undefined): boolean {
  const { environmentIds, environmentNamePattern, environmentTypes } = entry;
  // Above any one environment (an RBAC role at the tenant or an environment group): only entries naming no environment.
  if (!environment) return environmentIds === undefined && environmentNamePattern === undefined && environmentTypes === undefined;
  return (
    (environmentIds === undefined || environmentIds.some((id) => same(id, environment.id))) &&
    (environmentNamePattern === undefined || globMatches(environmentNamePattern, environment.displayName)) &&
    (environmentTypes === undefined || environmentTypes.some((type) => same(type, environment.type)))
  );
}

/** The policy entry that expects one of `ids` (object id, application id, UPN) where it holds its role, if any. */
export function expectedEntryFor(
  ids: readonly (string | undefined)[],
  environment: EnvironmentRef | undefined,
  expected: readonly ExpectedHolders[],
): ExpectedHolders | undefined {
  return expected.find((entry) => appliesTo(entry, environment) && entry.accounts.some((a) => ids.some((id) => same(a, id))));
}

function expectedEntry(holder: RoleHolderRecord, environment: EnvironmentRef, expected: readonly ExpectedHolders[]): ExpectedHolders | undefined {
  return expectedEntryFor([holder.aadObjectId, holder.applicationId, holder.domainName], environment, expected);
}

/**
 * Marks each holder: an active Elevate elevation of that user in that environment (until when), an application
 * user, an account the policy expects, or unexplained. The order matters: an elevation wins over expected (it ends
 * by itself), and an application user is never unexplained (Elevate's own among them).
 */
export function classifyHolders(
  environment: EnvironmentRef,
  records: readonly RoleHolderRecord[],
  elevations: readonly ActiveElevation[],
  expected: readonly ExpectedHolders[],
): ClassifiedHolder[] {
  return records.map((record) => {
    const elevation = record.team ? undefined : elevations.find((e) => same(e.aadObjectId, record.aadObjectId) && same(e.environmentId, environment.id));
    if (elevation) return { ...record, kind: 'elevation', until: elevation.until };
    if (record.applicationId) return { ...record, kind: 'application' };
    const entry = expectedEntry(record, environment, expected);
    if (entry) return { ...record, kind: 'expected', expectedBy: entry.name };
    return { ...record, kind: 'unexplained' };
  });
}

/** Totals of one environment's holders by kind, and how many of them hold the role through a team. */
export interface HolderTotals {
  elevation: number;
  expected: number;
  application: number;
  unexplained: number;
  throughTeams: number;
}

export function holderTotals(holders: readonly ClassifiedHolder[]): HolderTotals {
  const totals: HolderTotals = { elevation: 0, expected: 0, application: 0, unexplained: 0, throughTeams: 0 };
  for (const holder of holders) {
    totals[holder.kind] += 1;
    if (holder.team) totals.throughTeams += 1;
  }
  return totals;
}
