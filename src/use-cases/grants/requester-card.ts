import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import type { GrantDeps } from './grant-deps.js';
import { swapGrant } from './grant-store.js';

/**
 * Remembers the message that shows a typed grant request to its requester (Elevate's reply, known
 * only once Teams took it), compare-and-swap, so that every later step updates that card in place.
 * The first message remembered wins (a redelivered command's second reply is left alone). If the grant
 * moved on while the reply was being sent, the card is brought up to date at once.
 */
export async function rememberRequesterCard(deps: GrantDeps | undefined, shown: RbacGrantRecord, messageId: string): Promise<void> {
  if (!deps || messageId === '') return;
  const swap = await swapGrant(deps.store, shown.id, (g) =>
    g.card && !g.card.messageId ? { ...g, card: { ...g.card, messageId }, updatedAt: deps.clock.now().toISOString() } : undefined,
  );
  const latest = swap.value?.value;
  if (swap.kind === 'updated' && latest && latest.history.length !== shown.history.length) await deps.notices.showRequester(latest);
}
