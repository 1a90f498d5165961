import type { ClassifiedHolder } from './standing-access.js';

/** Why a sweep leaves a holder alone. */
export type KeepReason = 'elevation' | 'expected' | 'application' | 'team' | 'lastAdministrator';

/** What a sweep of one environment would do: direct unexplained assignments to remove, and what it keeps and why. */
export interface SweepPlan {
  remove: ClassifiedHolder[];
  keep: { holder: ClassifiedHolder; reason: KeepReason }[];
}

/** People who still administer the environment after the removals: enabled, not application users, directly or through a team. */
function administratorsAfter(holders: readonly ClassifiedHolder[], removed: readonly ClassifiedHolder[]): Set<string> {
  return new Set(holders.filter((h) => !h.disabled && !h.applicationId && !removed.includes(h)).map((h) => h.systemUserId.toLowerCase()));
}

/**
 * The safety rules of a sweep (issue #15), in one place: only direct, unexplained assignments are removed; an active
 * Elevate elevation, an expected account and an application user are never removed; a holder through a team is
 * listed but not removable per user (the team's role or the Entra group must change); and the environment keeps
 * at least one person holding System Administrator: when the removals would leave none, the first unexplained holder
 * (by name) stays, marked `lastAdministrator`.
 */
export function planSweep(holders: readonly ClassifiedHolder[]): SweepPlan {
  const plan: SweepPlan = { remove: [], keep: [] };
  for (const holder of holders) {
    if (holder.kind !== 'unexplained') plan.keep.push({ holder, reason: holder.kind });
    else if (holder.team) plan.keep.push({ holder, reason: 'team' });
    else plan.remove.push(holder);
  }
  plan.remove.sort((a, b) => a.fullName.localeCompare(b.fullName) || a.systemUserId.localeCompare(b.systemUserId));
  if (administratorsAfter(holders, plan.remove).size === 0) {
    const kept = plan.remove.find((h) => !h.disabled);
    if (kept) {
      plan.remove = plan.remove.filter((h) => h !== kept);
      plan.keep.push({ holder: kept, reason: 'lastAdministrator' });
    }
  }
  return plan;
}
