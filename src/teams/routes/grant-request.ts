import type { GrantCommand } from '../../domain/grant-command.js';
import { grantChoices, scopeTextOfKey, type GrantChoices } from '../../use-cases/grants/grant-choices.js';
import type { GrantRefusal } from '../../use-cases/grants/request-grant.js';
import { submitGrantCard, type GrantCardSubmission } from '../../use-cases/grants/submit-grant-card.js';
import { grantCard } from '../cards/grant-cards.js';
import { renderGrantRequestCard } from '../cards/grant-request-card.js';
import { renderMessageCard } from '../cards/message-card.js';
import type { AdaptiveCard } from '../cards/render.js';
import { VERBS } from '../cards/verbs.js';
import { textsFor, type Texts } from '../locale/texts.js';
import type { TeamsServices } from '../services.js';
import { turnUser, type Turn } from '../turn.js';
import { needsSignIn, text, type CardData, type VerbHandler } from './card-action-support.js';
import { refusalText } from './grant-refusals.js';

/** Refusals the requester can fix on the card (duration, justification, ticket, the pair chosen). */
const FIXABLE: ReadonlySet<GrantRefusal> = new Set([
  'tooLong',
  'justificationMissing',
  'ticketMissing',
  'noRule',
  'tenantOwnerForbidden',
  'noOtherApprover',
  'alreadyOpen',
]);

export function askOnCard(reason: GrantRefusal): boolean {
  return reason === 'tooLong' || reason === 'justificationMissing' || reason === 'ticketMissing';
}

/** The card's words for a refusal: the catalogue's where it has them (no typed-command syntax on a card). */
export function refusalOnCard(reason: GrantRefusal, detail: string | undefined, texts: Texts): string {
  if (reason === 'justificationMissing') return texts.c.request.justificationError;
  if (reason === 'ticketMissing') return texts.c.request.ticketError;
  return refusalText(reason, detail, texts);
}

interface Prefill {
  draftId?: string;
  duration?: string;
  justification?: string;
  ticketNumber?: string;
  error?: string;
}

/**
 * The grant request card for what was typed (or submitted): only the roles and scopes the Elevate
 * policy lets this requester ask for; a clear answer instead when there is nothing to offer.
 */
export async function grantRequestCard(
  services: TeamsServices,
  turn: Turn,
  user: { aadObjectId: string; name: string },
  command: Pick<GrantCommand, 'role' | 'scope' | 'target'> & Partial<Pick<GrantCommand, 'duration' | 'justification' | 'tickets'>>,
  error?: string,
  prefill: Prefill = {},
): Promise<AdaptiveCard> {
  const texts = textsFor(turn.chat);
  const outcome = await grantChoices(services.grants, {
    requester: user,
    command,
    userToken: services.elevation.tokens.forUser(user.aadObjectId, 'powerPlatform'),
  });
  if (outcome.kind === 'refused') {
    const options = 'options' in outcome ? outcome.options : [];
    return renderMessageCard({ title: texts.c.grant.notGranted, text: refusalText(outcome.reason, undefined, texts), items: options, tone: 'attention' });
  }
  const choices = outcome.choices;
  const duration = prefill.duration ?? (command.duration ? `PT${command.duration.minutes}M` : undefined);
  const justification = prefill.justification ?? command.justification;
  const ticketNumber = prefill.ticketNumber ?? command.tickets?.[0];
  return renderGrantRequestCard(
    {
      draftId: prefill.draftId ?? services.grants!.newId(),
      requester: user,
      principal: choices.principal,
      roles: choices.roles,
      scopes: choices.scopes,
      maximumMinutes: choices.maximumMinutes,
      ticket: choices.ticket,
      minJustificationLength: services.grants!.settings.minJustificationLength,
      ...(choices.roleId ? { roleId: choices.roleId } : {}),
      ...(choices.scopeKey ? { scopeKey: choices.scopeKey } : {}),
      ...(duration ? { duration } : {}),
      ...(justification ? { justification } : {}),
      ...(ticketNumber ? { ticketNumber } : {}),
      ...withError(error ?? prefill.error ?? typedProblem(choices, texts)),
    },
    texts,
  );
}

function withError(error: string | undefined): { error?: string } {
  return error ? { error } : {};
}

function typedProblem(choices: GrantChoices, texts: Texts): string | undefined {
  if (choices.refusedPair) return refusalText(choices.refusedPair, undefined, texts);
  if (choices.unmatched === 'role') return texts.c.grantRequest.unmatchedRole;
  if (choices.unmatched === 'scope') return texts.c.grantRequest.unmatchedScope;
  return undefined;
}

function submissionOf(data: CardData): GrantCardSubmission {
  const app = text(data.app)?.trim();
  const optional = (key: string) => (text(data[key]) !== undefined ? { [key]: text(data[key]) } : {});
  return {
    draftId: text(data.draftId) ?? '',
    target: app ? { kind: 'app', app: app.slice(0, 200) } : { kind: 'me' },
    ...optional('roleId'),
    ...optional('scope'),
    ...optional('duration'),
    ...optional('justification'),
    ...optional('ticketNumber'),
  };
}

function onlyRequester(turn: Turn, data: CardData): AdaptiveCard | undefined {
  const user = turnUser(turn);
  const texts = textsFor(turn.chat);
  if (user && (text(data.requesterId) ?? '').toLowerCase() === user.aadObjectId.toLowerCase()) return undefined;
  return renderMessageCard({ title: texts.c.chat.refused, text: texts.c.grantRequest.onlyRequester, tone: 'attention' });
}

const MISSING = { role: 'missingRole', scope: 'missingScope', duration: 'missingDuration', ticket: 'badTicket' } as const;

/** **Request** on the grant request card: the tapper (from the activity) asks, everything is checked again by the use case. */
export const submitGrantTap: VerbHandler = async (services, turn, data) => {
  const refused = onlyRequester(turn, data);
  if (refused) return refused;
  const user = turnUser(turn)!;
  const submission = submissionOf(data);
  const signInCard = await needsSignIn(services, turn, submission.target.kind === 'app' ? `grant to app ${submission.target.app}` : 'grant me');
  if (signInCard) return signInCard;
  const texts = textsFor(turn.chat);
  const outcome = await submitGrantCard(services.grants, {
    requester: { aadObjectId: user.aadObjectId, name: user.name, tenantId: user.tenantId },
    submission,
    userToken: services.elevation.tokens.forUser(user.aadObjectId, 'powerPlatform'),
    conversationId: turn.chat.conversationId,
    ...(turn.replyToId ? { cardActivityId: turn.replyToId } : {}),
  });
  if (outcome.kind === 'requested' || outcome.kind === 'alreadyRequested') return grantCard(outcome.grant, texts);
  if (outcome.kind === 'refused' && !FIXABLE.has(outcome.reason)) {
    return renderMessageCard({
      title: texts.c.grant.notGranted,
      text: refusalText(outcome.reason, outcome.detail, texts),
      items: outcome.options ?? [],
      tone: 'attention',
    });
  }
  const error = outcome.kind === 'incomplete' ? texts.c.grantRequest[MISSING[outcome.field]] : refusalOnCard(outcome.reason, outcome.detail, texts);
  const scope = scopeTextOfKey(submission.scope ?? '');
  return grantRequestCard(
    services,
    turn,
    user,
    { target: submission.target, ...(submission.roleId ? { role: submission.roleId } : {}), ...(scope ? { scope } : {}) },
    error,
    {
      draftId: submission.draftId,
      ...(submission.duration ? { duration: submission.duration } : {}),
      ...(submission.justification ? { justification: submission.justification } : {}),
      ...(submission.ticketNumber ? { ticketNumber: submission.ticketNumber } : {}),
    },
  );
};

/** **Cancel** on the grant request card: nothing was stored, so nothing is undone. */
export const cancelGrantTap: VerbHandler = async (_services, turn, data) => {
  const refused = onlyRequester(turn, data);
  if (refused) return refused;
  const { c } = textsFor(turn.chat);
  return renderMessageCard({ title: c.grantRequest.cancelledTitle, text: c.grantRequest.cancelledText });
};

export const GRANT_REQUEST_ACTIONS: Readonly<Record<string, VerbHandler>> = {
  [VERBS.grantSubmit]: submitGrantTap,
  [VERBS.grantCancel]: cancelGrantTap,
};
