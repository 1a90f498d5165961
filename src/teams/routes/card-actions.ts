import { sameId } from '../../domain/approval.js';
import { elevationById } from '../../use-cases/requester-status.js';
import { SignInRequiredError, StepUpRequiredError } from '../../domain/errors.js';
import { runElevation } from '../../use-cases/run-elevation.js';
import { continueWaiting } from '../../use-cases/await-power-platform.js';
import { deactivateElevation, deactivateLater } from '../../use-cases/deactivate-elevation.js';
import { retryElevation } from '../../use-cases/retry-elevation.js';
import { submitRequest } from '../../use-cases/submit-request.js';
import { VERBS } from '../cards/verbs.js';
import { deactivationCard } from '../cards/deactivation-card.js';
import { elevationCard, messageCard, type AdaptiveCard } from '../cards/elevation-cards.js';
import { requesterCard } from '../outbound/teams-elevation-presenter.js';
import { requestCard } from './request-flow.js';
import { turnUser } from '../turn.js';
import { APPROVAL_HANDLERS } from './approval-actions.js';
import { SWEEP_HANDLERS } from './sweep-actions.js';
import { BREAK_GLASS_HANDLERS } from './break-glass-actions.js';
import { expiredRequestCard, needsSignIn, recordCard, refuseNotYours, tappedCardUpdater, text, type VerbHandler } from './card-action-support.js';
import { cancelRequest } from '../../use-cases/approved-activation.js';
import { textsFor } from '../locale/texts.js';
import { submissionText } from '../locale/submission-words.js';
import { publishApproval } from '../../use-cases/request-approval.js';
import { isGrantId } from '../cards/grant-cards.js';
import { cancelGrantRequestTap, deactivateGrantTap } from './grant-actions.js';
import { GRANT_REQUEST_ACTIONS } from './grant-request.js';
import { extendTap } from './extend-command.js';
import { SCHEDULE_HANDLERS } from './schedule-actions.js';

const submit: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  const requestId = text(data.requestId) ?? '';
  if (!user) return messageCard({ title: textsFor(turn.chat).c.chat.refused, text: textsFor(turn.chat).c.chat.whoAreYou });
  const existing = await elevationById(services.elevation, requestId);
  if (!existing) return expiredRequestCard(data, textsFor(turn.chat));
  if (existing.requester.aadObjectId !== user.aadObjectId) return refuseNotYours(services, user.aadObjectId, requestId, textsFor(turn.chat));
  const signInCard = await needsSignIn(services, turn, `elevate me in ${existing.environment.id}`);
  if (signInCard) return signInCard;
  const outcome = await submitRequest(
    services.elevation,
    user.aadObjectId,
    { requestId, roleId: text(data.roleId), duration: text(data.duration), justification: text(data.justification), ticketNumber: text(data.ticketNumber) },
    { conversationId: turn.chat.conversationId, activityId: turn.replyToId ?? '' },
  );
  switch (outcome.kind) {
    case 'started':
      services.background.run(`elevation ${outcome.record.id}`, () => runElevation(services.elevation, outcome.record.id));
      return recordCard(services, outcome.record, textsFor(turn.chat));
    case 'scheduled':
      return recordCard(services, outcome.record, textsFor(turn.chat));
    case 'awaitingApproval':
      // Answer the tap first; the approval cards (channel, 1:1 to approvers) go out right after.
      services.background.run(`approval cards ${outcome.record.id}`, () => publishApproval(services.elevation, outcome.record));
      return recordCard(services, outcome.record, textsFor(turn.chat));
    case 'invalid': {
      const texts = textsFor(turn.chat);
      return elevationCard(outcome.record, {
        activationWindowMinutes: services.elevation.settings.approvalActivationWindowMinutes,
        error: outcome.words ? submissionText(outcome.words, texts) : outcome.message,
        texts,
      });
    }
    case 'alreadyHandled':
      return recordCard(services, outcome.record, textsFor(turn.chat));
    case 'notFound':
      return expiredRequestCard(data, textsFor(turn.chat));
    case 'notYours':
      return refuseNotYours(services, user.aadObjectId, requestId, textsFor(turn.chat));
    case 'notOnCall': {
      const { breakGlass: b } = textsFor(turn.chat).c;
      return messageCard({ title: b.notOnCall, text: b.notOnCallText, tone: 'attention' });
    }
  }
};

const cancel: VerbHandler = async (services, turn, data) => {
  // **Cancel request** of a Power Platform RBAC grant (ids `g-…`) shares the verb.
  if (isGrantId(text(data.requestId))) return cancelGrantRequestTap(services, turn, data);
  const user = turnUser(turn);
  const outcome = user ? await cancelRequest(services.elevation, user.aadObjectId, text(data.requestId) ?? '') : { kind: 'notYours' as const };
  switch (outcome.kind) {
    case 'cancelled':
    case 'notCancellable':
      return recordCard(services, outcome.record, textsFor(turn.chat));
    case 'notFound':
      return expiredRequestCard(data, textsFor(turn.chat));
    case 'notYours':
      return messageCard({ title: textsFor(turn.chat).c.chat.refused, text: textsFor(turn.chat).c.chat.onlyStarterCancel });
  }
};

/** A new request for the same environment (after a failure, or from a suggestion button). */
const restart: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  if (!user) return messageCard({ title: textsFor(turn.chat).c.chat.refused, text: textsFor(turn.chat).c.chat.whoAreYou });
  const previous = text(data.requestId) ? await elevationById(services.elevation, text(data.requestId) ?? '') : undefined;
  if (previous && previous.requester.aadObjectId !== user.aadObjectId) {
    return messageCard({ title: textsFor(turn.chat).c.chat.refused, text: textsFor(turn.chat).c.chat.onlyStarterRetry });
  }
  const environment = previous?.environment.id ?? text(data.environmentId);
  if (!environment) return messageCard({ title: textsFor(turn.chat).c.chat.whichEnvironment, text: textsFor(turn.chat).c.chat.typeElevateMeIn });
  const signInCard = await needsSignIn(services, turn, `elevate me in ${environment}`);
  if (signInCard) return signInCard;
  const minutes = Number(data.durationMinutes);
  return requestCard(
    services,
    user,
    {
      environment,
      ...((text(data.roleId) ?? previous?.roleId) ? { roleId: (text(data.roleId) ?? previous?.roleId)! } : {}),
      ...(Number.isFinite(minutes) && minutes > 0 ? { durationMinutes: minutes } : {}),
      ...((text(data.justification) ?? previous?.justification) ? { justification: (text(data.justification) ?? previous?.justification)! } : {}),
    },
    textsFor(turn.chat),
  );
};

const NEW_REQUEST_NEEDED: ReadonlySet<string> = new Set(['needs approval', 'approval used up']);

/** **Try again** on a failure card: continue the same elevation when it can be, else a fresh request card. */
const retry: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  const current = await elevationById(services.elevation, text(data.requestId) ?? '');
  if (!user || !current || current.state !== 'failed' || !current.roleId) return restart(services, turn, data);
  if (current.requester.aadObjectId !== user.aadObjectId) return refuseNotYours(services, user.aadObjectId, current.id, textsFor(turn.chat));
  const signInCard = await needsSignIn(services, turn, 'retry');
  if (signInCard) return signInCard;
  const outcome = await retryElevation(services.elevation, user.aadObjectId, current.id);
  if (outcome.kind === 'stillPending') {
    return messageCard({
      title: textsFor(turn.chat).fill(textsFor(turn.chat).c.chat.stillPendingIn, { environment: outcome.record.environment.displayName }),
      text: textsFor(turn.chat).c.chat.stillPendingTap,
      buttons: [{ title: textsFor(turn.chat).c.common.tryAgain, verb: VERBS.retry, data: { requestId: outcome.record.id } }],
      tone: 'warning',
    });
  }
  // An approval that no longer covers a retry: a fresh request card (which asks the approvers again).
  if (outcome.kind === 'notRetryable' && NEW_REQUEST_NEEDED.has(outcome.reason)) return restart(services, turn, data);
  if (outcome.kind !== 'restarted')
    return outcome.kind === 'notRetryable' ? recordCard(services, outcome.record, textsFor(turn.chat)) : restart(services, turn, data);
  services.background.run(`elevation ${outcome.record.id}`, () => runElevation(services.elevation, outcome.record.id));
  return recordCard(services, outcome.record, textsFor(turn.chat));
};

/** **Deactivate now** on a reminder: the requester's own selfDeactivate, then clean-up. */
const deactivate: VerbHandler = async (services, turn, data) => {
  // **End now** of a Power Platform RBAC grant (ids `g-…`) shares the verb.
  if (isGrantId(text(data.requestId))) return deactivateGrantTap(services, turn, data);
  const user = turnUser(turn);
  const current = await elevationById(services.elevation, text(data.requestId) ?? '');
  if (!user || !current)
    return messageCard({ title: textsFor(turn.chat).c.elevation.nothingToDeactivate, text: textsFor(turn.chat).c.elevation.noLongerExists });
  if (!sameId(current.requester.aadObjectId, user.aadObjectId)) return refuseNotYours(services, user.aadObjectId, current.id, textsFor(turn.chat));
  // Already over (another tap, the expiry): say so at once, nothing runs.
  if (current.state !== 'active') return deactivationCard(services, { kind: 'notActive', record: current }, textsFor(turn.chat));
  const signInCard = await needsSignIn(services, turn, 'deactivate');
  if (signInCard) return signInCard;
  // PIM deactivation, confirmation and the Dataverse clean-up take several calls: answer the tap at
  // once and put the outcome on the same card when it is known.
  const update = tappedCardUpdater(services, turn);
  services.background.run(`deactivation ${current.id}`, async () => {
    let sessionProblem = false;
    const outcome = await deactivateElevation(services.elevation, user.aadObjectId, current.id).catch((error: unknown) => {
      sessionProblem = error instanceof SignInRequiredError || error instanceof StepUpRequiredError;
      if (sessionProblem) services.elevation.tokens.forget(user.aadObjectId);
      services.logger.error({ err: error, elevationId: current.id }, 'deactivation failed');
      return undefined;
    });
    await update(
      outcome
        ? deactivationCard(services, outcome, textsFor(turn.chat))
        : messageCard({
            title: sessionProblem ? textsFor(turn.chat).c.chat.signInAgain : textsFor(turn.chat).c.chat.deactivationFailed,
            text: sessionProblem ? textsFor(turn.chat).c.chat.deactivationSignIn : textsFor(turn.chat).c.chat.deactivationFailedText,
            tone: 'attention',
          }),
    );
  });
  return messageCard({
    title: textsFor(turn.chat).fill(textsFor(turn.chat).c.chat.deactivating, { environment: current.environment.displayName }),
    text: textsFor(turn.chat).c.chat.deactivatingText,
  });
};

/** "Deactivate when possible": a durable timer does it once PIM allows. */
const deactivateWhenPossible: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  const current = await elevationById(services.elevation, text(data.requestId) ?? '');
  if (!user || !current || current.state !== 'active')
    return messageCard({ title: textsFor(turn.chat).c.elevation.nothingToDeactivate, text: textsFor(turn.chat).c.chat.notActiveElevation });
  if (current.requester.aadObjectId !== user.aadObjectId) return refuseNotYours(services, user.aadObjectId, current.id, textsFor(turn.chat));
  const at = new Date(services.elevation.clock.now().getTime() + 5 * 60_000);
  await deactivateLater(services.elevation, current, at);
  return messageCard({
    title: textsFor(turn.chat).c.chat.deactivationScheduled,
    text: textsFor(turn.chat).c.chat.deactivationScheduledText,
    when: { label: textsFor(turn.chat).c.chat.by, at: at.toISOString() },
  });
};

/** The requester card's automatic refresh: the card for the elevation's current state (read-only). */
const refreshCard: VerbHandler = async (services, turn, data) => {
  const current = await elevationById(services.elevation, text(data.requestId) ?? '');
  if (!current) return messageCard({ title: textsFor(turn.chat).c.chat.requestNotFound, text: textsFor(turn.chat).c.chat.requestGone });
  const user = turnUser(turn);
  if (!user || !sameId(user.aadObjectId, current.requester.aadObjectId))
    return refuseNotYours(services, user?.aadObjectId ?? '', current.id, textsFor(turn.chat));
  // A live card that became a failure needing a sign-in gets its Sign in link, as the pushed update has.
  return requesterCard(services.stepUp, current, services.elevation.settings.approvalActivationWindowMinutes, undefined, textsFor(turn.chat));
};

/** **Continue** after Elevate lost the requester's token: resume the wait for Power Platform (signing in first if needed). */
const continueWait: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  const outcome = await continueWaiting(services.elevation, user?.aadObjectId ?? '', text(data.requestId) ?? '');
  switch (outcome.kind) {
    case 'notFound':
      return messageCard({ title: textsFor(turn.chat).c.chat.requestNotFound, text: textsFor(turn.chat).c.chat.requestGone });
    case 'notYours':
      return refuseNotYours(services, user?.aadObjectId ?? '', outcome.record.id, textsFor(turn.chat));
    case 'notWaiting':
      return recordCard(services, outcome.record, textsFor(turn.chat));
    case 'signInNeeded':
      // After the token exchange the sign-in route resumes every wait of this user by itself.
      return (
        (await needsSignIn(services, turn, '')) ??
        messageCard({ title: textsFor(turn.chat).c.chat.continuing, text: textsFor(turn.chat).c.chat.continuingText })
      );
    case 'resumed':
      return messageCard({
        title: textsFor(turn.chat).fill(textsFor(turn.chat).c.chat.continuingIn, { environment: outcome.record.environment.displayName }),
        text: textsFor(turn.chat).c.chat.continuingInText,
      });
  }
};

/** Universal Actions (`Action.Execute`): one handler per verb; each re-validates on the server. */
export const CARD_ACTIONS: Readonly<Record<string, VerbHandler>> = {
  [VERBS.refreshCard]: refreshCard,
  [VERBS.continue]: continueWait,
  ...APPROVAL_HANDLERS,
  ...SWEEP_HANDLERS,
  ...BREAK_GLASS_HANDLERS,
  ...SCHEDULE_HANDLERS,
  [VERBS.deactivate]: deactivate,
  [VERBS.deactivateLater]: deactivateWhenPossible,
  [VERBS.extend]: extendTap,
  [VERBS.submit]: submit,
  [VERBS.cancel]: cancel,
  [VERBS.retry]: retry,
  [VERBS.start]: restart,
  ...GRANT_REQUEST_ACTIONS,
};

/** Verbs of cards many people see (approval cards in channels and chats). */
export const SHARED_CARD_VERBS: ReadonlySet<string> = new Set([
  VERBS.approve,
  VERBS.deny,
  VERBS.approvalRefresh,
  VERBS.pimApprove,
  VERBS.pimDeny,
  VERBS.sweepConfirm,
  VERBS.sweepCancel,
]);

/**
 * An answer on a shared card is this user's view, so it never carries `refresh`. teams-ai 1.7
 * (`AdaptiveCards.actionExecute`) turns an answer with `refresh` into "replace for all": it
 * overwrites the shared message for everyone with this user's view (a channel approval card would
 * show one approver's "You approved this" to all), and keeps doing so for every later answer to
 * that verb. Shared cards get their `refresh` from Elevate's own proactive updates instead.
 */
export function withoutRefresh(card: AdaptiveCard): AdaptiveCard {
  const { refresh: _viewerOnly, ...rest } = card;
  return rest as AdaptiveCard;
}
