import template from '../../../adaptive-cards/break-glass-review-card.json';
import type { BreakGlassReview, MentionTag } from '../../domain/break-glass.js';
import { parseIsoDuration } from '../../domain/duration.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import { clip, environmentFacts, roleFact, teamsTimestamp, textFact, timeFact, type FactRow } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';
import { VERBS, type Verb } from './verbs.js';
import { ENGLISH, type Texts } from '../locale/texts.js';

export interface BreakGlassCardData {
  record: ElevationRecord;
  review: BreakGlassReview;
  /** The security team's Teams tag, mentioned in the post (docs/api-contracts.md §10). */
  mentionTag?: MentionTag;
  /** 0: the first post; n: posted again after n intervals. */
  round: number;
  /** Said to the tapper only (the answer to a refused tap). */
  note?: string;
}

interface BreakGlassCardView {
  title: string;
  call: string;
  facts: FactRow[];
  isReposted: boolean;
  reposted: string;
  isOpen: boolean;
  open: string;
  isAcknowledged: boolean;
  acknowledgedBy: string;
  acknowledgedAt: string;
  hasNote: boolean;
  note: string;
  buttons: { title: string; verb: Verb; data: { requestId: string } }[];
  mentions: { id: string; name: string }[];
}

const compiled = compileCard<BreakGlassCardView>('break-glass-review-card', template);

/** `<at>` would end the mention early; Teams shows the tag's name as it is otherwise. */
const mentionName = (name: string): string => clip(name.replace(/[<>]/g, ''), 100);

/**
 * The security channel's break-glass post and review card in one: a red banner that mentions the
 * security team's tag, what was done and why, and **Acknowledge** until a member of the security team
 * other than the requester acknowledged it (then who and when, no button).
 */
export function renderBreakGlassCard(data: BreakGlassCardData, texts: Texts = ENGLISH): AdaptiveCard {
  const b = texts.c.breakGlass;
  const { record, review } = data;
  const requester = clip(record.requester.name, 200);
  const tag = data.mentionTag ? mentionName(data.mentionTag.name) : undefined;
  const acknowledged = review.acknowledged;
  const minutes = parseIsoDuration(record.duration ?? '');
  const facts = [
    textFact(texts.c.common.requester, requester),
    ...environmentFacts(record.environment, false, texts),
    ...(record.roleName ? [roleFact(record.roleName, texts)] : []),
    ...(minutes !== undefined ? [textFact(texts.c.common.duration, texts.duration(minutes))] : []),
    textFact(b.incident, clip(record.justification ?? texts.c.common.none, 500)),
    ...(record.ticketNumber ? [textFact(texts.c.common.ticket, clip(record.ticketNumber, 64))] : []),
    timeFact(b.usedAt, review.openedAt, texts),
    textFact(texts.c.common.elevateRequestId, record.id),
  ];
  return compiled.expand({
    title: texts.fill(b.reviewTitle, { requester, environment: clip(record.environment.displayName, 200) }),
    call: tag ? texts.fill(b.reviewMention, { mention: `<at>${tag}</at>`, requester }) : texts.fill(b.reviewNoMention, { requester }),
    facts,
    isReposted: data.round > 0 && !acknowledged,
    reposted: texts.fill(b.reposted, { round: data.round }),
    isOpen: !acknowledged,
    open: texts.fill(b.open, { requester }),
    isAcknowledged: acknowledged !== undefined,
    acknowledgedBy: texts.fill(b.acknowledgedBy, { name: clip(acknowledged?.name ?? acknowledged?.aadObjectId ?? '', 200) }),
    acknowledgedAt: teamsTimestamp(acknowledged?.at ?? '') ?? '',
    hasNote: Boolean(data.note),
    note: clip(data.note ?? '', 300),
    buttons: acknowledged ? [] : [{ title: b.acknowledge, verb: VERBS.breakGlassAcknowledge, data: { requestId: record.id } }],
    mentions: tag && data.mentionTag ? [{ id: data.mentionTag.id, name: tag }] : [],
  });
}
