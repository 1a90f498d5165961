import { resumeWaiting } from '../../use-cases/await-power-platform.js';
import { resumeScheduled } from '../../use-cases/scheduled-start.js';
import { retryElevation } from '../../use-cases/retry-elevation.js';
import { runElevation } from '../../use-cases/run-elevation.js';
import type { TeamsServices } from '../services.js';
import { replayTurn } from '../turn.js';
import { tellTurnFailure } from './turn-failure.js';
import { runCommand } from './messages.js';
import { SignInOfAnotherUser } from '../sign-in/step-up.js';
import { completeFreshApproval } from './fresh-approval-callback.js';

import type { SignInPage } from './sign-in-page.js';

export type { SignInPage } from './sign-in-page.js';

/**
 * `GET /auth/callback` (Entra's redirect after the interactive sign-in; `host/server.ts` serves it):
 * redeems the code, then continues what needed it (the elevation, or the command) in the
 * background; the Teams card shows the rest. Never echoes the code or any token.
 */
export async function completeInteractiveSignIn(services: TeamsServices, query: { code: string | null; state: string | null }): Promise<SignInPage> {
  const { code, state } = query;
  if (!code || !state) {
    return { status: 400, title: 'Sign-in did not complete', text: 'Entra ID did not return a sign-in code. Close this window and try again from Teams.' };
  }
  try {
    const { user, continuation } = await services.stepUp.complete(code, state);
    if (continuation.kind === 'approval') return await completeFreshApproval(services, user.aadObjectId, user, continuation);
    services.background.run('resume after interactive sign-in', () => resumeWaiting(services.elevation, user.aadObjectId));
    services.background.run('scheduled start after interactive sign-in', () => resumeScheduled(services.elevation, user.aadObjectId));
    if (continuation.kind === 'elevation') {
      const outcome = await retryElevation(services.elevation, user.aadObjectId, continuation.elevationId);
      if (outcome.kind === 'restarted')
        services.background.run(`elevation ${continuation.elevationId}`, () => runElevation(services.elevation, continuation.elevationId));
    } else {
      const chat = await services.conversations.find(continuation.conversationId);
      if (chat) {
        const replay = replayTurn(
          services.courier,
          chat,
          { id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, name: user.name ?? user.aadObjectId },
          continuation.text,
        );
        services.background.run('replay after interactive sign-in', () =>
          runCommand(services, replay, continuation.text).catch((error: unknown) => tellTurnFailure(services, replay, error)),
        );
      }
    }
    return { status: 200, title: 'Signed in', text: 'You are signed in. Close this window and return to Teams: Elevate continues where it stopped.' };
  } catch (error) {
    // Someone else signed in for an approver's tap: refused by the approval use case, and audited.
    if (error instanceof SignInOfAnotherUser && error.continuation.kind === 'approval')
      return completeFreshApproval(services, error.expectedObjectId, error.signedInAs, error.continuation);
    services.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'interactive sign-in refused');
    return { status: 400, title: 'Sign-in could not be used', text: 'Close this window and start again from Teams.' };
  }
}
