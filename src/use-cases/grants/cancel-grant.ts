import { sameId } from '../../domain/approval.js';
import { transitionGrant, type RbacGrantRecord } from '../../domain/rbac-grant.js';
import { auditGrant } from './grant-audit.js';
import type { GrantDeps } from './grant-deps.js';
import { swapGrant } from './grant-store.js';

export type CancelGrantOutcome =
  | { kind: 'cancelled'; grant: RbacGrantRecord }
  /** Decided, assigned or ended meanwhile: nothing to withdraw (the card shows where it is). */
  | { kind: 'notPending'; grant: RbacGrantRecord }
  | { kind: 'notYours' }
  | { kind: 'notFound' };

/**
 * **Cancel request** on the requester's card of a grant that waits for approval: compare-and-swap
 * from `awaitingApproval` to `cancelled` (a racing approval or a double tap acts once; nothing was
 * assigned yet), then the approval timeout goes, the security channel and the audit log are told,
 * and every approver's card says it was cancelled.
 * Only the requester (from the activity, never the card) may cancel.
 */
export async function cancelGrant(deps: GrantDeps | undefined, tapperId: string, grantId: string): Promise<CancelGrantOutcome> {
  if (!deps) return { kind: 'notFound' };
  let notYours = false;
  const swap = await swapGrant(deps.store, grantId, (g) => {
    notYours = !sameId(g.requester.aadObjectId, tapperId);
    if (notYours || g.state !== 'awaitingApproval') return undefined;
    return transitionGrant(g, 'cancelled', deps.clock.now(), {}, 'cancelled by the requester');
  });
  if (!swap.value) return { kind: 'notFound' };
  if (notYours) return { kind: 'notYours' };
  if (swap.kind !== 'updated') return { kind: 'notPending', grant: swap.value.value };
  const grant = swap.value.value;
  await deps.timers.cancel(grant.id, ['rbacApprovalTimeout']);
  await auditGrant(deps, 'cancelled', grant);
  await deps.notices.security(grant);
  await deps.notices.refreshApproval(grant);
  // The tapped card is answered by the tap; the requester's grant card may be another message (a typed request).
  await deps.notices.showRequester(grant);
  return { kind: 'cancelled', grant };
}
