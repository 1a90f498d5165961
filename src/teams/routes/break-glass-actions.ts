import { acknowledgeReview } from '../../use-cases/break-glass-review.js';
import { renderBreakGlassCard } from '../cards/break-glass-card.js';
import { renderMessageCard } from '../cards/message-card.js';
import { VERBS } from '../cards/verbs.js';
import { textsFor } from '../locale/texts.js';
import { text, type VerbHandler } from './card-action-support.js';

/**
 * **Acknowledge** on a break-glass review card: who tapped is the Teams activity's Entra object id
 * (never card data), checked by the use case (security group, not the requester, compare-and-swap).
 * The answer is the card as it now is; a refused tap sees why, and nothing changes for the others.
 */
const acknowledge: VerbHandler = async (services, turn, data) => {
  const texts = textsFor(turn.chat);
  const b = texts.c.breakGlass;
  const aadObjectId = turn.from.aadObjectId;
  if (!aadObjectId) return renderMessageCard({ title: b.onlySecurity, tone: 'attention' });
  const tapper = { aadObjectId, ...(turn.from.name ? { name: turn.from.name } : {}) };
  const outcome = await acknowledgeReview(services.breakGlass, text(data['requestId']) ?? '', tapper);
  if (outcome.kind === 'notFound') return renderMessageCard({ title: b.reviewGone });
  const mentionTag = services.elevation.settings.policy.breakGlass?.mentionTag;
  const note = outcome.kind === 'refused' ? (outcome.reason === 'ownUse' ? b.ownUse : b.onlySecurity) : undefined;
  return renderBreakGlassCard(
    { record: outcome.record, review: outcome.review, round: 0, ...(mentionTag ? { mentionTag } : {}), ...(note ? { note } : {}) },
    texts,
  );
};

export const BREAK_GLASS_HANDLERS: Readonly<Record<string, VerbHandler>> = { [VERBS.breakGlassAcknowledge]: acknowledge };
