import { formatAnchor } from '../../domain/audit.js';
import { approvalCount } from '../../domain/approval.js';
import type { ElevationRecord } from '../../domain/elevation.js';
import type { AuditAlert, AuditAnchorNotice, ElevationAlert } from '../../ports/notifier.js';
import { renderMessageCard } from '../cards/message-card.js';
import type { AdaptiveCard } from '../cards/render.js';
import type { Texts } from '../locale/texts.js';

/**
 * The security channel's own notices, in the channel's language (`textsFor(channel.chat)`: the
 * locale of the member who said `notify here` there, else English; README, Languages). Each is a
 * card and the notification summary Teams shows.
 */
export interface ChannelNotice {
  card: AdaptiveCard;
  summary: string;
}

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The outbox could not deliver a message to one conversation after several tries. */
export function deliveryFailingNotice(notice: { op: string; status: number | undefined; attempts: number }, texts: Texts): ChannelNotice {
  const s = texts.c.security;
  const answer = notice.status ? texts.fill(s.teamsAnswered, { status: notice.status }) : s.noAnswer;
  const what = texts.fill(notice.op === 'replace' ? s.deliveryFailingUpdate : s.deliveryFailingMessage, { attempts: notice.attempts, answer });
  return {
    card: renderMessageCard({ title: s.deliveryFailingTitle, text: `${what} ${s.deliveryFailingText}`, tone: 'attention' }),
    summary: s.deliveryFailingSummary,
  };
}

/** Something about an elevation needs a human (clean-up keeps failing). */
export function elevationAlertNotice(record: ElevationRecord, alert: ElevationAlert, texts: Texts): ChannelNotice {
  const s = texts.c.security;
  const who = { requester: record.requester.name, environment: record.environment.displayName, role: record.roleName ?? record.roleId ?? '' };
  const text =
    alert.kind === 'cleanupFailing'
      ? texts.fill(s.cleanupFailing, { ...who, attempts: alert.attempts, error: alert.error })
      : alert.kind === 'pimRoleLost'
        ? texts.fill(s.pimRoleLost, { ...who, detail: alert.detail })
        : texts.fill(s.extensionNotSaved, { ...who, until: texts.time(alert.until) });
  return {
    card: renderMessageCard({ title: s.alertTitle, text, tone: 'attention' }),
    summary: texts.fill(s.alertSummary, { environment: record.environment.displayName }),
  };
}

/** The verified head of the audit log, with the command that checks the log against it later. */
export function auditAnchorNotice(anchor: AuditAnchorNotice, texts: Texts): ChannelNotice {
  const s = texts.c.security;
  const value = formatAnchor(anchor);
  const parts = [
    texts.fill(anchor.count === 1 ? s.anchorVerifiedOne : s.anchorVerifiedMany, {
      count: anchor.count,
      seq: anchor.seq,
      sealed: anchor.keyId ? texts.fill(s.anchorSealedWith, { keyId: anchor.keyId }) : '',
    }),
    anchor.requestedBy ? texts.fill(s.anchorRequestedBy, { name: anchor.requestedBy.name ?? anchor.requestedBy.aadObjectId }) : '',
    texts.fill(s.anchorKeep, { seq: anchor.seq }),
  ];
  return {
    card: renderMessageCard({
      title: texts.fill(s.anchorTitle, { seq: anchor.seq }),
      text: parts.filter(Boolean).join(' '),
      command: `npm run audit -- --verify --anchor ${value}`,
      tone: 'good',
    }),
    summary: texts.fill(s.anchorSummary, { value }),
  };
}

/** The audit log failed verification, or entries written before audit keys were sealed. */
export function auditAlertNotice(alert: AuditAlert, texts: Texts): ChannelNotice {
  const s = texts.c.security;
  let title: string;
  let text: string;
  if (alert.kind === 'verifyFailed') {
    title = s.auditBrokenTitle;
    text = texts.fill(s.auditBrokenText, { seq: alert.seq, reason: alert.reason });
  } else {
    const chain = alert.brokenAt ? texts.fill(s.chainBroken, { seq: alert.brokenAt.seq, reason: alert.brokenAt.reason }) : s.chainIntact;
    title = s.auditSealedTitle;
    text = texts.fill(s.auditSealedText, { count: alert.unkeyed, chain, keyId: alert.keyId, seq: alert.seq });
  }
  return { card: renderMessageCard({ title, text, tone: 'attention' }), summary: texts.fill(s.auditAlertSummary, { title }) };
}

/** A PIM approver decided from Teams. */
export function pimDecisionNotice(record: ElevationRecord, texts: Texts): ChannelNotice {
  const s = texts.c.security;
  const pim = record.pimDecision!;
  const params = {
    approver: pim.name,
    requester: record.requester.name,
    role: record.roleName ?? s.aRole,
    environment: record.environment.displayName,
    reason: pim.reason ?? '',
  };
  return {
    card: renderMessageCard({
      title: texts.fill(s.pimApprovalTitle, params),
      text: texts.fill(pim.decision === 'approve' ? s.pimApproved : s.pimDenied, params),
      tone: pim.decision === 'approve' ? 'good' : 'default',
    }),
    summary: texts.fill(s.pimApprovalSummary, params),
  };
}

/** One step of Elevate's approval: a vote, or the outcome. */
export function approvalStepNotice(record: ElevationRecord, texts: Texts): ChannelNotice {
  const s = texts.c.security;
  const approval = record.approval!;
  const last = approval.votes[approval.votes.length - 1];
  const what = texts.fill(s.approvalWhat, {
    requester: record.requester.name,
    role: record.roleName ?? s.aRole,
    environment: record.environment.displayName,
  });
  const params = { what, approver: last?.approverName ?? texts.c.common.anApprover, approvals: approvalCount(approval), required: approval.required };
  const template =
    approval.status === 'approved'
      ? s.approvalApproved
      : approval.status === 'pending'
        ? last
          ? s.approvalVote
          : s.approvalWaits
        : { denied: s.approvalDenied, expired: s.approvalExpired, lapsed: s.approvalLapsed }[approval.status];
  const where = { requester: record.requester.name, environment: record.environment.displayName };
  return {
    card: renderMessageCard({
      title: texts.fill(s.approvalTitle, where),
      text: sentence(texts.fill(template, params)),
      tone: approval.status === 'approved' ? 'good' : 'default',
    }),
    summary: texts.fill(s.approvalSummary, where),
  };
}
