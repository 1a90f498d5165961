import { parseIsoDuration } from '../../domain/duration.js';
import { ticketsIn, type CompleteGrantCommand, type GrantCommand } from '../../domain/grant-command.js';
import { removeInvisible, ticketId } from '../../domain/text.js';
import type { TokenSource } from '../../ports/token-broker.js';
import { scopeTextOfKey } from './grant-choices.js';
import type { GrantDeps } from './grant-deps.js';
import { requestGrant, type GrantRequestOutcome } from './request-grant.js';

/** What a grant request card sends back. Untrusted: only shapes are read here, everything else is `requestGrant`'s. */
export interface GrantCardSubmission {
  draftId: string;
  target: GrantCommand['target'];
  roleId?: string;
  scope?: string;
  duration?: string;
  justification?: string;
  ticketNumber?: string;
}

export type GrantCardOutcome = GrantRequestOutcome | { kind: 'incomplete'; field: 'role' | 'scope' | 'duration' | 'ticket' };

const DRAFT_ID = /^[A-Za-z0-9-]{8,64}$/;

/**
 * **Request** on the grant request card: the inputs become a typed command and go through
 * `requestGrant` as if typed, for the tapper (never for whoever the card names): role by id,
 * scope by id, principal and owners, the Elevate policy's rule, its maximum duration, the
 * justification and ticket are all checked again. The draft id makes double taps one grant.
 */
export async function submitGrantCard(
  deps: GrantDeps | undefined,
  input: {
    requester: { aadObjectId: string; name: string; tenantId: string };
    submission: GrantCardSubmission;
    userToken: TokenSource;
    conversationId: string;
    cardActivityId?: string;
  },
): Promise<GrantCardOutcome> {
  const command = commandOf(input.submission);
  if ('field' in command) return command;
  return requestGrant(deps, {
    requester: input.requester,
    command,
    userToken: input.userToken,
    ...(input.cardActivityId ? { activityId: input.cardActivityId, cardMessageId: input.cardActivityId } : {}),
    ...(DRAFT_ID.test(input.submission.draftId) ? { requestKey: input.submission.draftId } : {}),
    conversationId: input.conversationId,
  });
}

function commandOf(submission: GrantCardSubmission): CompleteGrantCommand | { kind: 'incomplete'; field: 'role' | 'scope' | 'duration' | 'ticket' } {
  const role = cleanFreeText(submission.roleId).slice(0, 200);
  const scope = scopeTextOfKey(submission.scope ?? '');
  const minutes = parseIsoDuration(submission.duration ?? '');
  if (!role) return { kind: 'incomplete', field: 'role' };
  if (!scope) return { kind: 'incomplete', field: 'scope' };
  if (minutes === undefined || minutes <= 0) return { kind: 'incomplete', field: 'duration' };
  const justification = cleanFreeText(submission.justification).slice(0, 500);
  const typedTicket = cleanFreeText(submission.ticketNumber).replace(/\s+/g, '').slice(0, 64);
  const ticket = typedTicket ? ticketId(typedTicket.toUpperCase()) : undefined;
  if (typedTicket && !ticket) return { kind: 'incomplete', field: 'ticket' };
  const tickets = [...new Set([...(ticket ? [ticket] : []), ...ticketsIn(justification)])];
  return {
    kind: 'grant',
    role,
    target: submission.target,
    scope,
    duration: { minutes, source: submission.duration ?? '' },
    ...(justification ? { justification } : {}),
    tickets,
  };
}

function cleanFreeText(text: unknown): string {
  return removeInvisible((typeof text === 'string' ? text : '').normalize('NFC')).trim();
}
