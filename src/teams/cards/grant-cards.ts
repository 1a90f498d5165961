import { parseIsoDuration } from '../../domain/duration.js';
import type { RbacScope } from '../../domain/rbac.js';
import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import { renderMessageCard, type MessageItem, type MessageTone } from './message-card.js';
import type { AdaptiveCard } from './render.js';
import { VERBS } from './verbs.js';
import { wordsFor } from '../locale/record-words.js';
import { ENGLISH, type Texts } from '../locale/texts.js';

/**
 * Cards of Power Platform RBAC grants (issue #14), built on the shared message and approval card
 * templates: nothing in `adaptive-cards/` changes. Every word comes from the catalogue (`grant`
 * section) in the reader's language; times go through Teams' DATE()/TIME() (the reader's zone).
 * Grant ids start with `g-`, which is how the shared verbs (`elevate.approve`, `elevate.deny`,
 * `elevate.approvalRefresh`, `elevate.cancel`, `elevate.deactivate`) reach the grant handlers.
 */
export const GRANT_ID_PREFIX = 'g-';

export function isGrantId(id: string | undefined): boolean {
  return id?.startsWith(GRANT_ID_PREFIX) === true;
}

/** "the tenant", "environment group Finance", "Contoso Dev", in the reader's language. */
export function scopeText(scope: RbacScope, texts: Texts = ENGLISH): string {
  const g = texts.c.grant;
  if (scope.kind === 'tenant') return g.scopeTenant;
  return texts.fill(scope.kind === 'environmentGroup' ? g.scopeGroup : g.scopeEnvironment, { name: scope.displayName });
}

/** "Power Platform contributor on environment group Finance for Contoso Deploy Pipeline (app)". */
export function grantSubject(grant: RbacGrantRecord, texts: Texts = ENGLISH): string {
  const g = texts.c.grant;
  const params = { role: grant.role.name, scope: scopeText(grant.scope, texts), app: grant.principal.name };
  return texts.fill(grant.principal.type === 'ApplicationUser' ? g.subjectApp : g.subject, params);
}

interface StateView {
  title: string;
  text: string;
  tone: MessageTone;
  /** A time line under the text (until, ended at), in the reader's zone. */
  when?: { label: string; at: string };
}

function endingText(grant: RbacGrantRecord, texts: Texts): string {
  const g = texts.c.grant;
  const ending = grant.ending;
  const how = ending?.reason === 'deactivated' ? g.deactivated : g.expired;
  const what = grant.preExisting ? g.leftInPlace : ending?.removed ? g.removed : g.alreadyGone;
  return `${how} ${what}`;
}

/** Why a grant failed: the approver's Deny and an expired approval in the reader's words; the service's own message otherwise. */
function failureText(grant: RbacGrantRecord, texts: Texts): string {
  const g = texts.c.grant;
  const deny = grant.approval?.status === 'denied' ? grant.approval.votes.find((v) => v.decision === 'deny') : undefined;
  if (deny) return texts.fill(g.deniedText, { name: deny.approverName ?? deny.approverId, reason: deny.reason ?? '' });
  if (grant.approval?.status === 'expired') return g.approvalExpiredText;
  const failure = grant.failure;
  if (!failure) return '';
  const message = wordsFor(failure.words?.message, texts) ?? failure.message;
  const hint = wordsFor(failure.words?.hint, texts) ?? failure.hint;
  return [message, hint].filter(Boolean).join(' ');
}

function stateView(grant: RbacGrantRecord, texts: Texts): StateView {
  const g = texts.c.grant;
  const subject = { subject: grantSubject(grant, texts) };
  const until = grant.activeUntil ? { when: { label: texts.c.common.until, at: grant.activeUntil } } : {};
  switch (grant.state) {
    case 'awaitingApproval':
      return {
        title: texts.fill(g.waitingTitle, subject),
        text: texts.fill(g.waitingText, { required: grant.approval?.required ?? 1, rule: grant.policySource }),
        tone: 'default',
      };
    case 'assigning':
      return { title: texts.fill(g.assigningTitle, subject), text: g.assigningText, tone: 'default' };
    case 'active':
      return grant.preExisting
        ? { title: texts.fill(g.preExistingTitle, subject), text: g.preExistingText, tone: 'warning', ...until }
        : { title: texts.fill(g.grantedTitle, subject), text: g.grantedText, tone: 'good', ...until };
    case 'ended':
      return {
        title: texts.fill(g.endedTitle, subject),
        text: endingText(grant, texts),
        tone: 'default',
        ...(grant.ending?.at ? { when: { label: g.endedAt, at: grant.ending.at } } : {}),
      };
    case 'failed':
      return { title: texts.fill(g.notGrantedTitle, subject), text: failureText(grant, texts), tone: 'attention' };
    case 'cancelled':
      return { title: texts.fill(g.cancelledTitle, subject), text: g.cancelledText, tone: 'default' };
  }
}

function facts(grant: RbacGrantRecord, texts: Texts): string[] {
  const g = texts.c.grant;
  const minutes = parseIsoDuration(grant.duration);
  return [
    texts.fill(g.requestedBy, { name: grant.requester.name }),
    texts.fill(g.duration, { duration: minutes === undefined ? grant.duration : texts.duration(minutes) }),
    texts.fill(g.justification, { text: grant.justification }),
    ...(grant.ticketNumber ? [texts.fill(g.ticket, { ticket: grant.ticketNumber })] : []),
    ...(grant.assignmentId ? [texts.fill(g.assignment, { id: grant.assignmentId })] : []),
    ...(grant.failure?.correlationId ? [texts.fill(g.correlationId, { id: grant.failure.correlationId })] : []),
  ];
}

/** The requester's view of a grant (1:1 messages, taps); **End now** while it is active and Elevate's own, **Cancel request** while it waits. */
export function grantCard(grant: RbacGrantRecord, texts: Texts = ENGLISH): AdaptiveCard {
  const view = stateView(grant, texts);
  const endable = grant.state === 'active' && !grant.preExisting;
  const cancellable = grant.state === 'awaitingApproval';
  return renderMessageCard({
    ...view,
    items: facts(grant, texts),
    buttons: endable
      ? [{ title: texts.c.grant.endNow, verb: VERBS.deactivate, data: { requestId: grant.id } }]
      : cancellable
        ? [{ title: texts.c.common.cancelRequest, verb: VERBS.cancel, data: { requestId: grant.id } }]
        : [],
  });
}

/** The security channel's post for the grant's current step, with every vote. */
export function grantChannelCard(grant: RbacGrantRecord, texts: Texts = ENGLISH): AdaptiveCard {
  const g = texts.c.grant;
  const view = stateView(grant, texts);
  const votes = (grant.approval?.votes ?? []).map((v): MessageItem => ({
    text: texts.fill(v.decision === 'approve' ? g.voteApproved : g.voteDenied, { name: v.approverName ?? v.approverId, reason: v.reason ?? '' }),
    at: v.at,
  }));
  return renderMessageCard({
    ...view,
    title: texts.fill(g.channelTitle, { title: view.title.replace(/^[✅❌] /u, '') }),
    text: texts.fill(g.channelText, { requester: grant.requester.name, text: view.text }),
    items: [...facts(grant, texts), ...votes],
  });
}

/** A reminder before a grant ends. */
export function grantReminderCard(grant: RbacGrantRecord, minutesLeft: number, texts: Texts = ENGLISH): AdaptiveCard {
  const g = texts.c.grant;
  return renderMessageCard({
    title: texts.fill(g.reminderTitle, { subject: grantSubject(grant, texts), duration: texts.duration(minutesLeft) }),
    text: g.reminderText,
    ...(grant.activeUntil ? { when: { label: g.endsAt, at: grant.activeUntil } } : {}),
    buttons: grant.preExisting ? [] : [{ title: g.endNow, verb: VERBS.deactivate, data: { requestId: grant.id } }],
  });
}

/** `status`: the requester's grants, one line each (an active one with its end time under it). */
export function grantStatusCard(grants: readonly RbacGrantRecord[], texts: Texts = ENGLISH): AdaptiveCard {
  const g = texts.c.grant;
  return renderMessageCard({
    title: g.statusTitle,
    items: grants.map((grant): MessageItem => {
      const { title } = stateView(grant, texts);
      return grant.state === 'active' && grant.activeUntil ? { text: `${title} (${texts.c.common.until})`, at: grant.activeUntil } : { text: title };
    }),
    buttons: grants
      .filter((grant) => grant.state === 'active' && !grant.preExisting)
      .slice(0, 5)
      .map((grant) => ({
        title: texts.fill(g.statusEnd, { role: grant.role.name, scope: grant.scope.displayName }),
        verb: VERBS.deactivate,
        data: { requestId: grant.id },
      })),
  });
}
