import type { AuditParty } from '../domain/audit.js';
import { planSweep } from '../domain/sweep-plan.js';
import { audit } from './audit-trail.js';
import { scheduleSweepWatchdog } from './sweep-watchdog.js';
import type { StandingAccessDeps } from './standing-access-deps.js';
import { takeInventory, type InventoryOutcome } from './standing-inventory.js';
import { loadSweep, markRunning, swapSweep, sweepKey, type SweepItem, type SweepKeep, type SweepRecord } from './sweep-record.js';

/** How long a preview waits for the second member's confirmation. */
export const PREVIEW_TTL_MS = 60 * 60_000;

export type PreviewOutcome = Exclude<InventoryOutcome, { kind: 'done' }> | { kind: 'empty'; scope: string } | { kind: 'preview'; sweep: SweepRecord };

const sameParty = (a: AuditParty | undefined, b: AuditParty): boolean => a !== undefined && a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase();

/**
 * `sweep [<environment>|all]` (issue #15): reads the environments in scope and stores what a sweep would do
 * (the removals of `planSweep` and what it keeps, with why). Nothing is removed here: only `confirmSweep` by
 * another member of the security team starts it.
 */
export async function previewSweep(
  deps: StandingAccessDeps & { newId: () => string },
  scope: string,
  requestedBy: AuditParty,
  conversationId: string,
): Promise<PreviewOutcome> {
  const inventory = await takeInventory(deps, scope);
  if (inventory.kind !== 'done') return inventory;
  const items: SweepItem[] = [];
  const kept: SweepKeep[] = [];
  for (const entry of inventory.environments) {
    if (entry.status !== 'read') continue;
    const plan = planSweep(entry.holders);
    const where = { environmentId: entry.environment.id, environmentName: entry.environment.displayName, environmentUrl: entry.environment.url ?? '' };
    for (const h of plan.remove) {
      items.push({
        ...where,
        systemUserId: h.systemUserId,
        roleId: h.roleId,
        name: h.fullName,
        ...(h.aadObjectId ? { aadObjectId: h.aadObjectId } : {}),
        status: 'pending',
      });
    }
    for (const { holder, reason } of plan.keep) {
      kept.push({ environmentName: where.environmentName, name: holder.fullName, reason, ...(holder.team ? { team: holder.team.name } : {}) });
    }
  }
  if (items.length === 0) return { kind: 'empty', scope };
  const now = deps.clock.now().getTime();
  const sweep: SweepRecord = {
    id: deps.newId(),
    scope,
    requestedBy,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + PREVIEW_TTL_MS).toISOString(),
    state: 'preview',
    items,
    kept,
    card: { conversationId },
  };
  await deps.store.putDocument(sweepKey(sweep.id), sweep);
  return { kind: 'preview', sweep };
}

export type ConfirmOutcome =
  | { kind: 'confirmed'; sweep: SweepRecord }
  | { kind: 'ownConfirmation'; sweep: SweepRecord }
  | { kind: 'expired'; sweep: SweepRecord }
  | { kind: 'notPending'; sweep: SweepRecord }
  | { kind: 'notFound' };

/**
 * The second member's confirmation. The caller has checked that `confirmer` is in the security group (from the
 * Teams activity, never card data); here: never the member who asked, only a preview that has not lapsed, and
 * once (compare-and-swap: two members tapping at once confirm it once).
 */
export async function confirmSweep(
  deps: StandingAccessDeps,
  id: string,
  confirmer: AuditParty,
  /** The tapped card (its conversation and message): the progress is shown there. */
  tapped: { conversationId: string; activityId?: string },
): Promise<ConfirmOutcome> {
  const current = await loadSweep(deps, id);
  if (!current) return { kind: 'notFound' };
  const now = deps.clock.now();
  let outcome = { kind: 'notPending', sweep: current } as ConfirmOutcome;
  const result = await swapSweep(deps, id, (sweep) => {
    if (sweep.state !== 'preview') return void (outcome = { kind: 'notPending', sweep });
    if (sameParty(sweep.requestedBy, confirmer)) return void (outcome = { kind: 'ownConfirmation', sweep });
    if (Date.parse(sweep.expiresAt) <= now.getTime()) return void (outcome = { kind: 'expired', sweep });
    const card = tapped.activityId ? { conversationId: tapped.conversationId, activityId: tapped.activityId } : sweep.card;
    return { ...sweep, state: 'running', confirmedBy: confirmer, confirmedAt: now.toISOString(), ...(card ? { card } : {}) };
  });
  if (result.kind === 'updated') {
    const sweep = result.value.value;
    // Durable before any run starts: if no process ever claims it (this one dies now), another instance will.
    await scheduleSweepWatchdog(deps, id);
    await markRunning(deps, id, true);
    await audit(deps, 'sweepConfirmed', {
      actor: confirmer,
      subject: sweep.requestedBy,
      details: { sweepId: id, scope: sweep.scope, removals: sweep.items.length },
    });
    return { kind: 'confirmed', sweep };
  }
  if (outcome.kind === 'ownConfirmation') {
    await audit(deps, 'refusedTap', {
      actor: confirmer,
      details: { action: 'sweep confirm', sweepId: id, reason: 'the requester cannot confirm their own sweep' },
    });
  }
  return outcome;
}

/** Cancels a preview (any member of the security group, the requester too); a running sweep is not stopped here. */
export async function cancelSweep(deps: StandingAccessDeps, id: string, by: AuditParty): Promise<ConfirmOutcome | { kind: 'cancelled'; sweep: SweepRecord }> {
  const current = await loadSweep(deps, id);
  if (!current) return { kind: 'notFound' };
  const result = await swapSweep(deps, id, (sweep) => (sweep.state === 'preview' ? { ...sweep, state: 'cancelled', cancelledBy: by } : undefined));
  if (result.kind === 'updated') return { kind: 'cancelled', sweep: result.value.value };
  return { kind: 'notPending', sweep: result.value?.value ?? current };
}
