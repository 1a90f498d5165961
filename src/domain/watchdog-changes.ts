import type { ClassifiedHolder } from './standing-access.js';
import type { ClassifiedRbacHolder } from './standing-rbac.js';

/** What the watchdog saw last time (stored), by stable keys only: no names, no tokens. */
export interface WatchdogSnapshot {
  at: string;
  unexplained: string[];
  unreadable: string[];
  outlived: string[];
  /** Unexplained Power Platform RBAC assignments (absent in snapshots written before RBAC roles were watched). */
  unexplainedRbac?: string[];
}

export interface UnexplainedChange {
  environment: string;
  holder: ClassifiedHolder;
  /** The name of the systemuser that last modified the holder's row, when Dataverse showed one among the holders. */
  modifiedByName?: string;
}

export interface WatchdogChanges {
  newUnexplained: UnexplainedChange[];
  outlived: { environment: string; name: string; elevationId: string }[];
  unreadable: { environment: string; status: string }[];
  /** New unexplained Power Platform RBAC role holders (only with the RBAC identity). */
  newUnexplainedRbac: ClassifiedRbacHolder[];
}

export const holderKey = (environmentId: string, h: Pick<ClassifiedHolder, 'systemUserId' | 'team'>): string =>
  `${environmentId}|${h.systemUserId}|${h.team?.teamId ?? ''}`.toLowerCase();

/** Only what is new since `previous` (everything on the first run); gone-and-back counts as new again. */
export function watchdogChanges(
  previous: WatchdogSnapshot | undefined,
  current: {
    unexplained: (UnexplainedChange & { key: string })[];
    unreadable: { key: string; environment: string; status: string }[];
    outlived: { key: string; environment: string; name: string; elevationId: string }[];
    unexplainedRbac?: { key: string; holder: ClassifiedRbacHolder }[];
  },
): WatchdogChanges {
  const seen = (list: readonly string[] | undefined) => new Set(list ?? []);
  const before = {
    unexplained: seen(previous?.unexplained),
    unreadable: seen(previous?.unreadable),
    outlived: seen(previous?.outlived),
    unexplainedRbac: seen(previous?.unexplainedRbac),
  };
  const outlivedKeys = new Set(current.outlived.map((o) => o.key));
  return {
    newUnexplained: current.unexplained.filter((u) => !before.unexplained.has(u.key) && !outlivedKeys.has(u.key)).map(({ key: _key, ...change }) => change),
    outlived: current.outlived.filter((o) => !before.outlived.has(o.key)).map(({ key: _key, ...o }) => o),
    unreadable: current.unreadable.filter((u) => !before.unreadable.has(u.key)).map(({ key: _key, ...u }) => u),
    newUnexplainedRbac: (current.unexplainedRbac ?? []).filter((u) => !before.unexplainedRbac.has(u.key)).map((u) => u.holder),
  };
}

export function hasChanges(changes: WatchdogChanges): boolean {
  return changes.newUnexplained.length + changes.outlived.length + changes.unreadable.length + changes.newUnexplainedRbac.length > 0;
}

/** An RBAC assignment's key: its id, which the Authorization API keeps for the assignment's life. */
export const rbacHolderKey = (h: Pick<ClassifiedRbacHolder, 'assignmentId'>): string => `rbac|${h.assignmentId}`.toLowerCase();
