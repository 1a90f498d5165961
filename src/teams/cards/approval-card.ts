import template from '../../../adaptive-cards/approval-card.json';
import { MAX_REASON_LENGTH } from '../../domain/approval.js';
import { parseIsoDuration } from '../../domain/duration.js';
import { clip, teamsTimestamp, textFact, type FactRow, type TextColor } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { VERBS } from './verbs.js';

export interface ApprovalCardVote {
  name: string;
  decision: 'approve' | 'deny';
  reason?: string;
  /** ISO instant of the vote. */
  at: string;
  /** An Approve proved by a fresh strong sign-in: the token's issue time (ISO) and its authentication context. */
  strongSignIn?: { at: string; authenticationContext: string };
}

export interface ApprovalCardData {
  /** 'elevate': Elevate policy approval (N of M). 'pim': the PIM request's own approval (one approver decides). */
  kind: 'elevate' | 'pim';
  requestId: string;
  requester: { name: string; aadObjectId: string };
  roleName: string;
  environment: { displayName: string; type?: string };
  /** ISO 8601, e.g. PT2H. */
  duration: string;
  justification?: string;
  ticketNumber?: string;
  flags: { production: boolean; globalAdministrator: boolean };
  /** N approvals needed (elevate); 1 for pim. */
  required: number;
  votes: readonly ApprovalCardVote[];
  /** `lapsed`: approved, but the requester did not activate within the activation window. */
  status: 'pending' | 'approved' | 'denied' | 'expired' | 'lapsed' | 'cancelled' | 'closed';
  /** ISO instant a pending approval expires (shown as "Expires HH:MM UTC" while pending). */
  expiresAt?: string;
  /** Show Approve / Deny: true only for a pending request viewed by someone who may still vote. */
  canDecide: boolean;
  /** One line for this viewer, e.g. "You requested this: you cannot approve it." or "You approved this." */
  viewerNote?: string;
  /** Universal Actions refresh: users whose card Teams refreshes automatically. Only while pending; at most 60 kept (Teams' limit), duplicates removed. */
  refreshUserIds?: readonly string[];
}

interface VoteLine {
  text: string;
  color: TextColor;
  /** The vote's time, shown with Teams' DATE()/TIME() (each viewer's zone). */
  hasAt: boolean;
  at: string;
}

interface ApprovalCardView {
  t: Catalogue;
  hasRefresh: boolean;
  refreshUserIds: string[];
  requestId: string;
  /** Which approval the card shows, sent back on refresh so the viewer's card stays the same kind. */
  kind: ApprovalCardData['kind'];
  title: string;
  isProduction: boolean;
  isGlobalAdministrator: boolean;
  facts: FactRow[];
  statusText: string;
  statusColor: TextColor;
  hasExpiry: boolean;
  /** ISO instant, shown with Teams' DATE()/TIME(). */
  expiresAt: string;
  hasVotes: boolean;
  votes: VoteLine[];
  hasViewerNote: boolean;
  viewerNote: string;
  canDecide: boolean;
  approveVerb: string;
  denyVerb: string;
}

/** Teams refreshes a card automatically for at most 60 users. */
export const MAX_REFRESH_USERS = 60;
const MAX_VOTE_LINES = 20;
/** UTF-8 bytes the vote lines share, so 20 votes with 500-character reasons stay under MAX_CARD_BYTES. */
const VOTE_LINES_BYTES = 11_700;

const compiled = compileCard<ApprovalCardView>('approval-card', template);

/** `text` cut (with an ellipsis) to at most `maxChars` characters and about `maxBytes` UTF-8 bytes. */
function clipBytes(text: string, maxChars: number, maxBytes: number): string {
  const clipped = clip(text, maxChars);
  if (Buffer.byteLength(clipped, 'utf8') <= maxBytes) return clipped;
  let bytes = 3; // the ellipsis
  const kept: string[] = [];
  for (const char of clipped) {
    bytes += Buffer.byteLength(char, 'utf8');
    if (bytes > maxBytes) break;
    kept.push(char);
  }
  return `${kept.join('')}…`;
}

/** Case-insensitively distinct, non-empty ids, first spelling kept, at most MAX_REFRESH_USERS. */
function refreshUsers(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const id of ids) {
    const key = id.trim().toLowerCase();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(id.trim());
    if (kept.length === MAX_REFRESH_USERS) break;
  }
  return kept;
}

function facts(data: ApprovalCardData, texts: Texts): FactRow[] {
  const c = texts.c.common;
  const minutes = parseIsoDuration(data.duration);
  const rows = [
    textFact(c.requester, clip(data.requester.name, 200)),
    textFact(
      c.role,
      data.flags.globalAdministrator ? `${clip(data.roleName, 200)} ⚠` : clip(data.roleName, 200),
      data.flags.globalAdministrator ? 'Attention' : 'Default',
    ),
    textFact(c.environment, clip(data.environment.displayName, 200)),
  ];
  if (data.environment.type)
    rows.push(
      textFact(
        c.type,
        data.flags.production ? `${clip(data.environment.type, 60)} ⚠` : clip(data.environment.type, 60),
        data.flags.production ? 'Attention' : 'Default',
      ),
    );
  rows.push(textFact(c.duration, minutes === undefined ? clip(data.duration, 40) : texts.duration(minutes)));
  if (data.justification?.trim()) rows.push(textFact(c.justification, clip(data.justification, MAX_REASON_LENGTH)));
  if (data.ticketNumber?.trim()) rows.push(textFact(c.ticket, clip(data.ticketNumber, 64)));
  return rows;
}

function status(data: ApprovalCardData, texts: Texts): { text: string; color: TextColor } {
  const c = texts.c.approval;
  switch (data.status) {
    case 'pending': {
      if (data.kind === 'pim') return { text: c.waitingPim, color: 'Accent' };
      const required = Math.max(1, data.required);
      const approvals = data.votes.filter((v) => v.decision === 'approve').length;
      const more = required - approvals;
      return { text: texts.fill(more > 0 ? c.countMore : c.count, { approvals, required, more }), color: 'Accent' };
    }
    case 'approved':
      return { text: c.approved, color: 'Default' };
    case 'denied': {
      const denial = data.votes.find((v) => v.decision === 'deny');
      const denied = denial ? texts.fill(c.deniedBy, { name: clip(denial.name, 100) }) : c.denied;
      const reason = denial?.reason?.trim();
      return { text: reason ? texts.fill(c.deniedReason, { denied, reason: clip(reason, MAX_REASON_LENGTH) }) : denied, color: 'Attention' };
    }
    case 'expired':
      return { text: c.expired, color: 'Default' };
    case 'lapsed':
      return { text: c.lapsed, color: 'Default' };
    case 'cancelled':
      return { text: c.cancelled, color: 'Default' };
    case 'closed':
      return { text: c.closed, color: 'Default' };
  }
}

/** "✔ Megan Bowen approved", "✖ Megan Bowen denied: reason" (the time under each); a count of any not shown. */
function voteLines(votes: readonly ApprovalCardVote[], texts: Texts): VoteLine[] {
  const shown = votes.slice(0, MAX_VOTE_LINES);
  const lineBytes = Math.floor(VOTE_LINES_BYTES / Math.max(1, shown.length));
  const lines = shown.map((vote): VoteLine => {
    const strong = vote.strongSignIn;
    // A vote that needed a strong sign-in says so, with the time of that sign-in (api-contracts §9).
    const at = teamsTimestamp(strong?.at ?? vote.at);
    const verb = texts.fill(vote.decision === 'approve' ? texts.c.approval.voteApproved : texts.c.approval.voteDenied, { name: clip(vote.name, 64) });
    const head = strong ? `${verb} ${texts.fill(texts.c.approval.voteStrongSignIn, { context: clip(strong.authenticationContext, 10) })}` : verb;
    const reason = vote.reason?.trim() ?? '';
    const room = lineBytes - Buffer.byteLength(head, 'utf8') - 2;
    const text = reason ? `${head}: ${clipBytes(reason, MAX_REASON_LENGTH, room)}` : head;
    return { text, color: vote.decision === 'approve' ? 'Default' : 'Attention', hasAt: at !== undefined, at: at ?? '' };
  });
  const hidden = votes.length - shown.length;
  if (hidden > 0) lines.push({ text: texts.fill(texts.c.approval.moreVotes, { n: hidden }), color: 'Default', hasAt: false, at: '' });
  return lines;
}

/**
 * The approval card an approver (or the requester) sees: who wants which role where, the votes so
 * far, and Approve / Deny… while the viewer may still decide. While pending, `refresh` makes Teams
 * fetch each listed user's own view (verb `elevate.approvalRefresh`).
 */
export function renderApprovalCard(data: ApprovalCardData, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c.approval;
  const pending = data.status === 'pending';
  const refreshUserIds = pending ? refreshUsers(data.refreshUserIds ?? []) : [];
  const expiry = pending ? teamsTimestamp(data.expiresAt ?? '') : undefined;
  const { text: statusText, color: statusColor } = status(data, texts);
  const votes = voteLines(data.votes, texts);
  const viewerNote = clip(data.viewerNote?.trim() ?? '', 300);
  const what = texts.fill(c.what, {
    requester: clip(data.requester.name, 100),
    role: clip(data.roleName, 100),
    environment: clip(data.environment.displayName, 200),
  });
  const heading = data.kind === 'pim' ? (pending ? c.pimNeededTitle : c.pimRequestTitle) : pending ? c.neededTitle : c.requestTitle;
  const card = compiled.expand({
    t: texts.c,
    hasRefresh: refreshUserIds.length > 0,
    refreshUserIds,
    requestId: data.requestId,
    kind: data.kind,
    title: texts.fill(heading, { what }),
    isProduction: data.flags.production,
    isGlobalAdministrator: data.flags.globalAdministrator,
    facts: facts(data, texts),
    statusText,
    statusColor,
    hasExpiry: expiry !== undefined,
    expiresAt: expiry ?? '',
    hasVotes: votes.length > 0,
    votes,
    hasViewerNote: viewerNote !== '',
    viewerNote,
    canDecide: pending && data.canDecide,
    approveVerb: data.kind === 'pim' ? VERBS.pimApprove : VERBS.approve,
    denyVerb: data.kind === 'pim' ? VERBS.pimDeny : VERBS.deny,
  });
  // The templating engine leaves `"refresh": null` when its $when is false; Teams wants no key.
  if (card['refresh'] === null) delete card['refresh'];
  return card;
}
