import type { ExpectedHolders } from './elevate-policy.js';
import type { EnvironmentRef } from './environment.js';
import type { RbacScope } from './rbac.js';
import { expectedEntryFor } from './standing-access.js';

/**
 * Power Platform RBAC role holders in the standing-access inventory (issue #15 with issue #14): one role
 * assignment of the Authorization API, at the scope it was made (tenant, environment group, environment).
 */
export interface RbacHolderRecord {
  assignmentId: string;
  /** Entra object id of the user, group or service principal (lower case). */
  principalId: string;
  /** `User`, `Group` or `ApplicationUser`, as the API says. */
  principalType: string;
  roleId: string;
  roleName: string;
  scope: RbacScope;
  /** A display name where Elevate knows one (a Dataverse user of the same object id). */
  name?: string;
}

/** An active Elevate grant (issue #14) of a role: the assignment Elevate created and until when it stays. */
export interface ActiveGrant {
  assignmentId?: string;
  principalId: string;
  roleId: string;
  scope: Pick<RbacScope, 'kind' | 'id'>;
  until: string;
}

export type RbacHolderKind = 'grant' | 'expected' | 'unexplained';

export interface ClassifiedRbacHolder extends RbacHolderRecord {
  kind: RbacHolderKind;
  /** For `grant`: the end of the active Elevate grant. */
  until?: string;
  /** For `expected`: the policy entry's name, or `Elevate` for Elevate's own RBAC identity. */
  expectedBy?: string;
}

const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

function grantFor(record: RbacHolderRecord, grants: readonly ActiveGrant[]): ActiveGrant | undefined {
  return grants.find(
    (g) =>
      same(g.assignmentId, record.assignmentId) ||
      (g.assignmentId === undefined &&
        same(g.principalId, record.principalId) &&
        same(g.roleId, record.roleId) &&
        g.scope.kind === record.scope.kind &&
        (g.scope.id ?? '').toLowerCase() === (record.scope.id ?? '').toLowerCase()),
  );
}

/**
 * Marks each RBAC role holder the way System Administrator holders are marked: an active Elevate grant (until
 * when), expected (Elevate's own RBAC identity, or the policy's `standingAccess.expected` by object id; entries
 * that name environments apply only to assignments at those environments, so not at the tenant or a group), or
 * unexplained.
 */
export function classifyRbacHolders(
  records: readonly RbacHolderRecord[],
  context: {
    grants: readonly ActiveGrant[];
    expected: readonly ExpectedHolders[];
    ownPrincipalIds: readonly string[];
    environmentOf: (id: string) => EnvironmentRef | undefined;
  },
): ClassifiedRbacHolder[] {
  return records.map((record) => {
    const grant = grantFor(record, context.grants);
    if (grant) return { ...record, kind: 'grant', until: grant.until };
    if (context.ownPrincipalIds.some((id) => same(id, record.principalId))) return { ...record, kind: 'expected', expectedBy: 'Elevate' };
    const environment = record.scope.kind === 'environment' && record.scope.id ? context.environmentOf(record.scope.id) : undefined;
    const entry = expectedEntryFor([record.principalId], environment, context.expected);
    return entry ? { ...record, kind: 'expected', expectedBy: entry.name } : { ...record, kind: 'unexplained' };
  });
}

export interface RbacTotals {
  grant: number;
  expected: number;
  unexplained: number;
}

export function rbacTotals(holders: readonly ClassifiedRbacHolder[]): RbacTotals {
  const totals: RbacTotals = { grant: 0, expected: 0, unexplained: 0 };
  for (const holder of holders) totals[holder.kind] += 1;
  return totals;
}
