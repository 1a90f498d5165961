import type { TeamsServices } from '../services.js';
import { replayTurn, type Turn } from '../turn.js';
import { tellTurnFailure } from './turn-failure.js';
import { resumeWaiting } from '../../use-cases/await-power-platform.js';
import { resumeScheduled } from '../../use-cases/scheduled-start.js';
import { runCommand } from './messages.js';
import { CARD_ACTIONS, SHARED_CARD_VERBS } from './card-actions.js';

/**
 * `signin/tokenExchange`: validate the Teams SSO token, answer at once, then replay the message (or
 * the card tap) that started sign-in in the background (the invoke must be answered within seconds).
 * With several instances the exchange may reach another instance than the message or the tap did.
 */
export async function onTokenExchange(services: TeamsServices, turn: Turn): Promise<void> {
  await services.conversations.remember(turn.chat);
  const { user, pending } = await services.signIn.exchange(turn);
  // Elevations that waited for this user's token (a restart, another instance) go on now.
  if (user) services.background.run('resume after sign-in', () => resumeWaiting(services.elevation, user.aadObjectId));
  // Scheduled elevations whose start came while the token was missing start now (issue #16).
  if (user) services.background.run('scheduled start after sign-in', () => resumeScheduled(services.elevation, user.aadObjectId));
  if (!pending) return;
  const chat = await services.conversations.find(pending.conversationId);
  if (!chat) return;
  const { action } = pending;
  // A tap that needed the sign-in (the instance it reached had no token for this user) is replayed
  // as that tap: its handler re-checks everything, and its answer replaces the tapped card.
  const handler = action && !SHARED_CARD_VERBS.has(action.verb) && Object.hasOwn(CARD_ACTIONS, action.verb) ? CARD_ACTIONS[action.verb] : undefined;
  if (action && handler) {
    const replay = replayTurn(services.courier, chat, { ...turn.from }, pending.text, action.replyToId);
    services.background.run('replay a tap after sign-in', async () => {
      try {
        await services.courier.replace(chat, action.replyToId, await handler(services, replay, action.data));
      } catch (error) {
        await tellTurnFailure(services, replay, error);
      }
    });
    return;
  }
  if (pending.text.trim() === '') return;
  // The invoke's turn ends once it is answered: the replay answers through the outbox.
  const replay = replayTurn(services.courier, chat, { ...turn.from }, pending.text);
  services.background.run('replay after sign-in', () =>
    runCommand(services, replay, pending.text).catch((error: unknown) => tellTurnFailure(services, replay, error)),
  );
}

/**
 * `signin/verifyState` (the fallback sign-in button) is answered so Teams does not show an error: the
 * fallback link is Elevate's own interactive sign-in, which continues the request through /auth/callback.
 */
export async function onVerifyState(turn: Turn): Promise<void> {
  await turn.respond(200);
}
