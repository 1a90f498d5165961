import type { AuditParty } from '../domain/audit.js';
import type { KeepReason } from '../domain/sweep-plan.js';
import { compareAndSwap, documentAccess, type SwapResult } from './compare-and-swap.js';
import type { StandingAccessDeps } from './standing-access-deps.js';

/** One planned removal of a sweep and what became of it. */
export interface SweepItem {
  environmentId: string;
  environmentName: string;
  environmentUrl: string;
  systemUserId: string;
  roleId: string;
  name: string;
  aadObjectId?: string;
  status: 'pending' | 'removed' | 'alreadyGone' | 'kept' | 'failed';
  /** For `kept`: why the fresh read before removing protected the holder; for `failed`: the error. */
  note?: string;
  at?: string;
}

export interface SweepKeep {
  environmentName: string;
  name: string;
  reason: KeepReason;
  team?: string;
}

/**
 * A sweep (issue #15), stored as a document and changed only by compare-and-swap: previewed by one member of
 * the security team, confirmed by another, run under a lease, resumed after a restart.
 */
export interface SweepRecord {
  id: string;
  scope: string;
  requestedBy: AuditParty;
  createdAt: string;
  /** A preview not confirmed by then lapses. */
  expiresAt: string;
  state: 'preview' | 'running' | 'done' | 'cancelled' | 'expired';
  items: SweepItem[];
  kept: SweepKeep[];
  confirmedBy?: AuditParty;
  confirmedAt?: string;
  cancelledBy?: AuditParty;
  /** Where the sweep's card is (the conversation it was asked in), to show progress on it. */
  card?: { conversationId: string; activityId?: string };
  /** The process running it (`instanceId#bootId`) and until when its claim holds. */
  lease?: { owner: string; until: string };
  finishedAt?: string;
}

/** Sweeps confirmed and not finished: what a restart resumes. */
interface RunningIndex {
  ids: string[];
}

export const sweepKey = (id: string): string => `standingSweep:${id}`;
const RUNNING_KEY = 'standingSweeps:running';

export async function loadSweep(deps: Pick<StandingAccessDeps, 'store'>, id: string): Promise<SweepRecord | undefined> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
  return (await deps.store.getDocument<SweepRecord>(sweepKey(id)))?.value;
}

/** Changes a sweep with compare-and-swap; `modify` returns undefined to leave it as it is. */
export function swapSweep(
  deps: Pick<StandingAccessDeps, 'store'>,
  id: string,
  modify: (current: SweepRecord) => SweepRecord | undefined,
): Promise<SwapResult<SweepRecord>> {
  return compareAndSwap(documentAccess<SweepRecord>(deps.store, sweepKey(id)), (current) => (current ? modify(current.value) : undefined));
}

export async function markRunning(deps: Pick<StandingAccessDeps, 'store'>, id: string, running: boolean): Promise<void> {
  await compareAndSwap(documentAccess<RunningIndex>(deps.store, RUNNING_KEY), (current) => {
    const ids = current?.value.ids ?? [];
    const next = running ? [...new Set([...ids, id])] : ids.filter((i) => i !== id);
    return next.length === ids.length && ids.every((i, n) => next[n] === i) ? undefined : { ids: next };
  });
}

export async function runningSweepIds(deps: Pick<StandingAccessDeps, 'store'>): Promise<string[]> {
  return (await deps.store.getDocument<RunningIndex>(RUNNING_KEY))?.value.ids ?? [];
}
