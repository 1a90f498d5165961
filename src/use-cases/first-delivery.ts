import type { ElevationDeps } from './deps.js';

/**
 * True the first time an activity id of a conversation is seen: Teams redelivers activities, and
 * several instances may receive the same one (a claim in the store, compare-and-swap).
 */
export async function firstDelivery(deps: Pick<ElevationDeps, 'store' | 'clock'>, conversationId: string, activityId: string | undefined): Promise<boolean> {
  if (!activityId) return true;
  return deps.store.claimOnce(`activity:${conversationId}:${activityId}`, deps.clock.now());
}
