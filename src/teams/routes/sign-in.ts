import type { TeamsServices } from '../services.js';
import { replayTurn, type Turn } from '../turn.js';
import { tellTurnFailure } from './turn-failure.js';
import { resumeWaiting } from '../../use-cases/await-power-platform.js';
import { runCommand } from './messages.js';

/**
 * `signin/tokenExchange`: validate the Teams SSO token, answer at once, then replay the message that
 * started sign-in in the background (the invoke must be answered within seconds).
 */
export async function onTokenExchange(services: TeamsServices, turn: Turn): Promise<void> {
  await services.conversations.remember(turn.chat);
  const { user, pending } = await services.signIn.exchange(turn);
  // Elevations that waited for this user's token (a restart, another instance) go on now.
  if (user) services.background.run('resume after sign-in', () => resumeWaiting(services.elevation, user.aadObjectId));
  if (!pending || pending.text.trim() === '') return;
  const chat = await services.conversations.find(pending.conversationId);
  if (!chat) return;
  // The invoke's turn ends once it is answered: the replay answers through the messenger.
  const replay = replayTurn(services.messenger, chat, { ...turn.from }, pending.text);
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
