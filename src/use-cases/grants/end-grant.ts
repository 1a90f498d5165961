import { expire } from '../../domain/approval.js';
import { transitionGrant, type RbacGrantRecord } from '../../domain/rbac-grant.js';
import type { DurableTimer, TimerHandler, TimerOutcome } from '../../ports/timer-store.js';
import { auditGrant } from './grant-audit.js';
import { backoffMs } from './grant-backoff.js';
import type { GrantDeps } from './grant-deps.js';
import { getGrant, swapGrant } from './grant-store.js';

export type EndOutcome =
  { kind: 'ended'; grant: RbacGrantRecord } | { kind: 'notActive'; grant?: RbacGrantRecord } | { kind: 'removalFailed'; grant: RbacGrantRecord };

/**
 * Ends an active grant (expiry or `deactivate`): deletes the assignment Elevate created with the RBAC
 * identity (404 = already gone = done), or leaves a pre-existing one in place, then moves the grant
 * to `ended` with compare-and-swap, so a racing expiry and deactivation end it once. A removal that
 * fails is counted on the grant; from `removalAlertAfterAttempts` on, the security channel is alerted once.
 */
export async function endGrant(deps: GrantDeps, grantId: string, reason: 'expired' | 'deactivated'): Promise<EndOutcome> {
  const current = await getGrant(deps.store, grantId);
  if (!current || current.value.state !== 'active') return { kind: 'notActive', ...(current ? { grant: current.value } : {}) };
  const grant = current.value;
  let removed = false;
  if (!grant.preExisting && grant.assignmentId) {
    try {
      removed = (await deps.rbac.deleteAssignment(grant.scope, grant.assignmentId)) === 'deleted';
    } catch (error) {
      return { kind: 'removalFailed', grant: await removalFailed(deps, grant, error) };
    }
  }
  const note = grant.preExisting
    ? 'The assignment existed before this grant: Elevate left it in place.'
    : removed
      ? 'Elevate removed the role assignment.'
      : 'The role assignment was already gone.';
  const now = deps.clock.now();
  const swap = await swapGrant(deps.store, grantId, (g) =>
    g.state === 'active' ? transitionGrant(g, 'ended', now, { ending: { reason, at: now.toISOString(), removed, note } }, reason) : undefined,
  );
  if (swap.kind !== 'updated') return { kind: 'notActive', ...(swap.value ? { grant: swap.value.value } : {}) };
  const ended = swap.value.value;
  await deps.timers.cancel(grantId, ['rbacReminder', 'rbacExpire']);
  await auditGrant(deps, reason, ended, reason === 'deactivated' ? {} : { actor: { aadObjectId: 'elevate', name: 'Elevate' } });
  await auditGrant(deps, 'cleanedUp', ended, { actor: { aadObjectId: 'elevate', name: 'Elevate' }, details: { removed, note } });
  await deps.notices.security(ended);
  await deps.notices.tellRequester(ended);
  return { kind: 'ended', grant: ended };
}

async function removalFailed(deps: GrantDeps, grant: RbacGrantRecord, error: unknown): Promise<RbacGrantRecord> {
  const message = error instanceof Error ? error.message : String(error);
  const swap = await swapGrant(deps.store, grant.id, (g) =>
    g.state === 'active'
      ? {
          ...g,
          removal: { ...g.removal, attempts: (g.removal?.attempts ?? 0) + 1, lastError: message.slice(0, 300) },
          updatedAt: deps.clock.now().toISOString(),
        }
      : undefined,
  );
  const latest = swap.value?.value ?? grant;
  deps.logger.warn({ grantId: grant.id, attempts: latest.removal?.attempts, err: error }, 'removing a Power Platform role assignment failed');
  if ((latest.removal?.attempts ?? 0) >= deps.settings.removalAlertAfterAttempts && !latest.removal?.alerted) {
    const alerted = await swapGrant(deps.store, grant.id, (g) =>
      g.removal && !g.removal.alerted ? { ...g, removal: { ...g.removal, alerted: true } } : undefined,
    );
    if (alerted.kind === 'updated') {
      await deps.notices.alert(
        latest,
        `Elevate could not remove ${latest.role.name} of ${latest.principal.name} on ${latest.scope.displayName} after ${latest.removal?.attempts} attempts (${message.slice(0, 200)}). It keeps trying; remove assignment ${latest.assignmentId} by hand if this persists.`,
      );
    }
  }
  return latest;
}

/** Timer `rbacExpire`: ends the grant; a failed removal is tried again with backoff. */
export function endGrantHandler(deps: GrantDeps): TimerHandler {
  return async (timer: DurableTimer): Promise<TimerOutcome> => {
    const outcome = await endGrant(deps, timer.subject, 'expired');
    if (outcome.kind !== 'removalFailed') return 'done';
    return { retryAt: new Date(deps.clock.now().getTime() + backoffMs(timer.attempts)), countAttempt: true };
  };
}

/** Timer `rbacReminder`: the requester is told the grant ends soon. */
export async function remindGrant(deps: GrantDeps, timer: DurableTimer): Promise<TimerOutcome> {
  const grant = (await getGrant(deps.store, timer.subject))?.value;
  if (grant?.state !== 'active') return 'done';
  const minutes = Number(timer.payload['minutes'] ?? 0);
  await deps.notices.remind(grant, minutes);
  await auditGrant(deps, 'reminded', grant, { actor: { aadObjectId: 'elevate', name: 'Elevate' }, details: { minutesLeft: minutes } });
  return 'done';
}

/** Timer `rbacApprovalTimeout`: a grant still waiting for approvers fails as expired; every approval card says so. */
export async function expireApproval(deps: GrantDeps, timer: DurableTimer): Promise<TimerOutcome> {
  const now = deps.clock.now();
  const swap = await swapGrant(deps.store, timer.subject, (g) => {
    if (g.state !== 'awaitingApproval' || !g.approval) return undefined;
    const expired = expire(g.approval, now);
    if (expired.status !== 'expired') return undefined;
    return transitionGrant(
      g,
      'failed',
      now,
      { approval: expired, failure: { code: 'ApprovalExpired', message: 'No decision in time: the request expired.' } },
      'approval expired',
    );
  });
  if (swap.kind === 'updated') {
    const grant = swap.value.value;
    await auditGrant(deps, 'decided', grant, { actor: { aadObjectId: 'elevate', name: 'Elevate' }, details: { outcome: 'expired' } });
    await deps.notices.security(grant);
    await deps.notices.refreshApproval(grant);
    await deps.notices.tellRequester(grant);
  }
  return 'done';
}
