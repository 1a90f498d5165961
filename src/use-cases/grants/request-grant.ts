import { createHash } from 'node:crypto';
import { openApproval, sameId, type ApprovalState } from '../../domain/approval.js';
import { formatDuration, toIsoDuration } from '../../domain/duration.js';
import type { CompleteGrantCommand } from '../../domain/grant-command.js';
import { sameGrant, type RbacGrantRecord } from '../../domain/rbac-grant.js';
import { decideRbacGrant, requesterGroupsNamed, type RbacPolicyRefusal } from '../../domain/rbac-policy.js';
import type { RbacPrincipal } from '../../domain/rbac.js';
import type { TokenSource } from '../../ports/token-broker.js';
import { auditGrant } from './grant-audit.js';
import type { GrantDeps } from './grant-deps.js';
import { createGrant, getGrant, grantsOf, isOpen } from './grant-store.js';
import { lookUpApp, lookUpRole, lookUpScope } from './grant-targets.js';
import { scheduleAssignment } from './grant-schedule.js';

export interface GrantRequestInput {
  requester: { aadObjectId: string; name: string; tenantId: string };
  command: CompleteGrantCommand;
  /** The requester's own Power Platform token (environment names are matched as for `elevate me`). */
  userToken: TokenSource;
  /** The Teams activity id: a redelivered message makes the same grant id, so it is stored once. */
  activityId?: string;
  /**
   * A submitted request card: its server-made draft id, so a double tap or a redelivered invoke
   * names the same grant (with the requester, so another user's id never collides). Wins over `activityId`.
   */
  requestKey?: string;
  conversationId: string;
  /** A submitted request card: that card becomes the requester's grant card (updated in place at every step). */
  cardMessageId?: string;
}

export type GrantRequestOutcome =
  | { kind: 'requested'; grant: RbacGrantRecord }
  | { kind: 'alreadyRequested'; grant: RbacGrantRecord }
  | { kind: 'refused'; reason: GrantRefusal; detail?: string; options?: string[] };

export type GrantRefusal =
  | 'off'
  | 'unknownRole'
  | 'unknownScope'
  | 'ambiguousScope'
  | 'unknownApp'
  | 'ambiguousApp'
  | 'elevatePrincipal'
  | RbacPolicyRefusal
  | 'tooLong'
  | 'justificationMissing'
  | 'ticketMissing'
  | 'alreadyOpen';

type Resolved = Pick<RbacGrantRecord, 'role' | 'scope' | 'principal'> & { ownerIds: string[] };

/**
 * `grant me …` / `grant … to app …`: resolves role, scope and principal, applies the Elevate policy
 * and stores the grant, which then waits for approval or is assigned by a durable timer (the RBAC
 * identity). Nothing is assigned here, and nothing for a refused request.
 */
export async function requestGrant(deps: GrantDeps | undefined, input: GrantRequestInput): Promise<GrantRequestOutcome> {
  if (!deps) return { kind: 'refused', reason: 'off' };
  const id = input.requestKey ? keyedGrantId(`card|${input.requester.aadObjectId.toLowerCase()}|${input.requestKey}`) : grantIdOf(input.activityId, deps.newId);
  const redelivered = await getGrant(deps.store, id);
  if (redelivered && sameId(redelivered.value.requester.aadObjectId, input.requester.aadObjectId))
    return { kind: 'alreadyRequested', grant: redelivered.value };
  if (redelivered) return { kind: 'refused', reason: 'alreadyOpen', detail: id };
  const resolved = await resolve(deps, input);
  if ('reason' in resolved) return resolved;
  const { command, requester } = input;
  const groups = requesterGroupsNamed(deps.settings.policy);
  const decision = decideRbacGrant(deps.settings.policy, {
    roleId: resolved.role.id,
    scope: resolved.scope,
    principal: resolved.principal,
    requesterId: requester.aadObjectId,
    requesterGroupIds: groups.length > 0 ? await deps.memberOf(requester.aadObjectId, groups) : [],
    requesterOwnsPrincipal: resolved.ownerIds.includes(requester.aadObjectId.toLowerCase()),
  });
  if (!decision.allowed) return { kind: 'refused', reason: decision.reason, ...(decision.source ? { detail: decision.source } : {}) };
  const minutes = command.duration?.minutes ?? Math.min(60, decision.maximumMinutes);
  if (minutes > decision.maximumMinutes) return { kind: 'refused', reason: 'tooLong', detail: formatDuration(decision.maximumMinutes) };
  const justification = command.justification?.trim() ?? '';
  if (justification.length < deps.settings.minJustificationLength) {
    return { kind: 'refused', reason: 'justificationMissing', detail: String(deps.settings.minJustificationLength) };
  }
  if (decision.ticketRequired && command.tickets.length === 0) return { kind: 'refused', reason: 'ticketMissing' };
  const open = (await grantsOf(deps.store, requester.aadObjectId)).find((g) => isOpen(g) && sameGrant(g, resolved));
  // The same card tapped twice at once: the other tap made it a moment ago.
  if (open) return open.id === id ? { kind: 'alreadyRequested', grant: open } : { kind: 'refused', reason: 'alreadyOpen', detail: open.id };

  const now = deps.clock.now();
  const approval = decision.approval.required ? await withGroupMembers(deps, openApproval(decision.approval, decision.source, now)) : undefined;
  const state = approval ? 'awaitingApproval' : 'assigning';
  const record: RbacGrantRecord = {
    id,
    state,
    requester,
    principal: resolved.principal,
    role: resolved.role,
    scope: resolved.scope,
    duration: toIsoDuration(minutes),
    justification,
    ...(command.tickets[0] ? { ticketNumber: command.tickets[0] } : {}),
    policySource: decision.source,
    ...(approval ? { approval } : {}),
    card: { conversationId: input.conversationId, activityId: input.activityId ?? '', ...(input.cardMessageId ? { messageId: input.cardMessageId } : {}) },
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    history: [{ at: now.toISOString(), state }],
  };
  const { grant, created } = await createGrant(deps.store, record);
  if (!created) return { kind: 'alreadyRequested', grant };
  await auditGrant(deps, 'requested', grant);
  await deps.notices.security(grant);
  if (grant.state === 'awaitingApproval') {
    await deps.timers.schedule({
      id: `rbac-approval-timeout:${grant.id}`,
      kind: 'rbacApprovalTimeout',
      subject: grant.id,
      dueAt: grant.approval!.expiresAt,
      payload: {},
    });
    await deps.notices.publishApproval(grant);
  } else {
    await scheduleAssignment(deps, grant.id, now);
  }
  return { kind: 'requested', grant };
}

async function resolve(deps: GrantDeps, input: GrantRequestInput): Promise<Resolved | Extract<GrantRequestOutcome, { kind: 'refused' }>> {
  const role = await lookUpRole(deps, input.command.role);
  if (role.kind !== 'found') return { kind: 'refused', reason: 'unknownRole', options: role.known };
  const scope = await lookUpScope(deps, input.command.scope, input.userToken);
  if (scope.kind === 'unknownScope') return { kind: 'refused', reason: 'unknownScope', options: scope.suggestions };
  if (scope.kind === 'ambiguousScope') return { kind: 'refused', reason: 'ambiguousScope', options: scope.candidates };
  const target = input.command.target;
  if (target.kind === 'me') {
    const principal: RbacPrincipal = { type: 'User', id: input.requester.aadObjectId.toLowerCase(), name: input.requester.name };
    return { role: { id: role.role.id, name: role.role.name }, scope: scope.scope, principal, ownerIds: [] };
  }
  const app = await lookUpApp(deps, target.app);
  if (app.kind === 'ambiguousApp') return { kind: 'refused', reason: 'ambiguousApp', options: app.candidates };
  if (app.kind !== 'found') return { kind: 'refused', reason: app.kind };
  return { role: { id: role.role.id, name: role.role.name }, scope: scope.scope, principal: app.principal, ownerIds: app.ownerIds };
}

/** Teams refreshes a card for at most 60 users (as for elevation approvals, request-approval.ts). */
const MAX_GROUP_MEMBERS = 60;

/**
 * The approver groups' users, so that each of them gets their own view of the approval card (buttons
 * only for them). Only for the card: who may decide is checked on every tap. Never blocks a request.
 */
async function withGroupMembers(deps: GrantDeps, approval: ApprovalState): Promise<ApprovalState> {
  const members = new Set<string>();
  for (const groupId of approval.approverGroupIds) {
    if (members.size >= MAX_GROUP_MEMBERS) break;
    try {
      for (const id of await deps.groupUserIds(groupId, MAX_GROUP_MEMBERS)) members.add(id.toLowerCase());
    } catch (error) {
      deps.logger.warn({ err: error, groupId }, 'could not read the approver group members for card refresh');
    }
  }
  const groupMemberIds = [...members].slice(0, MAX_GROUP_MEMBERS);
  return groupMemberIds.length > 0 ? { ...approval, groupMemberIds } : approval;
}

/** A redelivered message (same activity id) names the same grant; a message without one gets a fresh id. Always `g-…` (cards route by it). */
function grantIdOf(activityId: string | undefined, newId: () => string): string {
  if (!activityId) return `g-${newId()}`;
  return keyedGrantId(activityId);
}

function keyedGrantId(key: string): string {
  return `g-${createHash('sha256').update(`grant|${key}`).digest('hex').slice(0, 32)}`;
}
