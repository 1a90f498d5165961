import { HttpError } from '../../domain/errors.js';
import { parseIsoDuration } from '../../domain/duration.js';
import { transitionGrant, type RbacGrantFailure, type RbacGrantRecord } from '../../domain/rbac-grant.js';
import type { RbacAssignment } from '../../ports/power-platform-rbac.js';
import type { DurableTimer, TimerOutcome } from '../../ports/timer-store.js';
import { backoffMs } from './grant-backoff.js';
import { auditGrant } from './grant-audit.js';
import type { GrantDeps } from './grant-deps.js';
import { grantFailureOf, isPassing } from './grant-failures.js';
import { getGrant, swapGrant } from './grant-store.js';
import { scheduleEnd } from './grant-schedule.js';

/**
 * Timer `rbacAssign`: creates the role assignment with the RBAC identity, once. Before the first
 * create it records which matching assignments already exist (compare-and-swap); every later run
 * reads back first, so a timeout, a lost answer, a 409 or a kill -9 never creates a second
 * assignment and never mistakes someone else's for Elevate's own. An assignment that was there
 * before is recorded and left alone at expiry.
 */
export async function assignGrant(deps: GrantDeps, timer: DurableTimer): Promise<TimerOutcome> {
  const current = await getGrant(deps.store, timer.subject);
  if (!current || current.value.state !== 'assigning') return 'done';
  let grant = current.value;
  let existing: RbacAssignment[];
  try {
    existing = await matching(deps, grant);
  } catch (error) {
    // A 403 here is the RBAC identity lacking its role: say so; a passing failure is tried again.
    if (!isPassing(error)) return fail(deps, grant, grantFailureOf(grant, error));
    return retryOrFail(deps, grant, timer, error);
  }
  if (!grant.existingBefore) {
    const swap = await swapGrant(deps.store, grant.id, (g) =>
      g.state === 'assigning' && !g.existingBefore ? { ...g, existingBefore: existing.map((a) => a.id), updatedAt: deps.clock.now().toISOString() } : undefined,
    );
    if (swap.kind !== 'updated') return 'done';
    grant = swap.value.value;
  }
  const before = grant.existingBefore ?? [];
  const ours = existing.find((a) => !before.includes(a.id));
  if (ours) return activate(deps, grant, ours.id, false);
  const standing = existing.find((a) => before.includes(a.id));
  if (standing) return activate(deps, grant, standing.id, true);
  try {
    const created = await deps.rbac.createAssignment({ roleDefinitionId: grant.role.id, principal: grant.principal, scope: grant.scope });
    return await activate(deps, grant, created.id, false);
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 409) && !isPassing(error)) return fail(deps, grant, grantFailureOf(grant, error));
    // 409, 5xx, 429 beyond the budget, a timeout: the create may have happened. Read back before deciding.
    const after = await matching(deps, grant).catch(() => undefined);
    const made = after?.find((a) => !before.includes(a.id));
    if (made) return activate(deps, grant, made.id, false);
    return retryOrFail(deps, grant, timer, error);
  }
}

function retryOrFail(deps: GrantDeps, grant: RbacGrantRecord, timer: DurableTimer, error: unknown): Promise<TimerOutcome> | TimerOutcome {
  if (timer.attempts + 1 >= deps.settings.maxAssignAttempts) return fail(deps, grant, grantFailureOf(grant, error));
  deps.logger.warn({ grantId: grant.id, attempt: timer.attempts + 1, err: error }, 'role assignment not confirmed: trying again');
  return { retryAt: new Date(deps.clock.now().getTime() + backoffMs(timer.attempts)), countAttempt: true };
}

/** Assignments of the grant's principal and role at its scope. */
async function matching(deps: Pick<GrantDeps, 'rbac'>, grant: RbacGrantRecord): Promise<RbacAssignment[]> {
  const all = await deps.rbac.listAssignments(grant.scope);
  return all.filter((a) => a.principalId === grant.principal.id.toLowerCase() && a.roleDefinitionId === grant.role.id.toLowerCase());
}

async function activate(deps: GrantDeps, grant: RbacGrantRecord, assignmentId: string, preExisting: boolean): Promise<TimerOutcome> {
  const now = deps.clock.now();
  const activeUntil = new Date(now.getTime() + (parseIsoDuration(grant.duration) ?? 60) * 60_000);
  const swap = await swapGrant(deps.store, grant.id, (g) =>
    g.state === 'assigning'
      ? transitionGrant(
          g,
          'active',
          now,
          { assignmentId, preExisting, activeUntil: activeUntil.toISOString() },
          preExisting ? 'assigned before: left in place' : undefined,
        )
      : undefined,
  );
  if (swap.kind !== 'updated') return 'done';
  const active = swap.value.value;
  await scheduleEnd(deps, active.id, activeUntil);
  await auditGrant(deps, 'elevated', active);
  await deps.notices.security(active);
  await deps.notices.tellRequester(active);
  return 'done';
}

async function fail(deps: GrantDeps, grant: RbacGrantRecord, failure: RbacGrantFailure): Promise<TimerOutcome> {
  const swap = await swapGrant(deps.store, grant.id, (g) =>
    g.state === 'assigning' ? transitionGrant(g, 'failed', deps.clock.now(), { failure }, failure.code) : undefined,
  );
  if (swap.kind !== 'updated') return 'done';
  const failed = swap.value.value;
  await auditGrant(deps, 'failed', failed, { details: { code: failure.code, correlationId: failure.correlationId ?? null } });
  await deps.notices.security(failed);
  await deps.notices.tellRequester(failed);
  return 'done';
}
