import { sameId } from '../../domain/approval.js';
import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import { endGrant } from './end-grant.js';
import type { GrantDeps } from './grant-deps.js';
import { getGrant, grantsOf, isOpen } from './grant-store.js';

/** `status`: the requester's grants, open ones first, then the last few that ended. */
export async function listGrants(deps: GrantDeps | undefined, aadObjectId: string, recentClosed = 3): Promise<RbacGrantRecord[]> {
  if (!deps) return [];
  const all = await grantsOf(deps.store, aadObjectId);
  return [...all.filter(isOpen), ...all.filter((g) => !isOpen(g)).slice(0, recentClosed)];
}

export type DeactivateGrantOutcome =
  | { kind: 'ended'; grant: RbacGrantRecord }
  | { kind: 'none' }
  | { kind: 'choose'; grants: RbacGrantRecord[] }
  | { kind: 'notYours' }
  | { kind: 'notActive'; grant?: RbacGrantRecord }
  | { kind: 'removalFailed'; grant: RbacGrantRecord };

/**
 * `deactivate` (or the card's **End now**): ends one of the requester's active grants early. Without
 * an id and with several active grants, the requester chooses. Only the requester may end it.
 */
export async function deactivateGrant(deps: GrantDeps | undefined, requesterId: string, grantId?: string): Promise<DeactivateGrantOutcome> {
  if (!deps) return { kind: 'none' };
  let target: RbacGrantRecord | undefined;
  if (grantId) {
    target = (await getGrant(deps.store, grantId))?.value;
    if (!target) return { kind: 'notActive' };
    if (!sameId(target.requester.aadObjectId, requesterId)) return { kind: 'notYours' };
  } else {
    const active = (await grantsOf(deps.store, requesterId)).filter((g) => g.state === 'active');
    if (active.length === 0) return { kind: 'none' };
    if (active.length > 1) return { kind: 'choose', grants: active };
    target = active[0]!;
  }
  const outcome = await endGrant(deps, target.id, 'deactivated');
  if (outcome.kind === 'removalFailed') {
    // The expiry timer keeps trying; bring it forward so the retry starts now.
    await deps.timers.schedule({ id: `rbac-expire:${target.id}`, kind: 'rbacExpire', subject: target.id, dueAt: deps.clock.now().toISOString(), payload: {} });
  }
  return outcome;
}
