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
import { languageFromAcceptLanguage } from '../locale/accept-language.js';
import { Texts } from '../locale/texts.js';

export type { SignInPage } from './sign-in-page.js';

/**
 * `GET /auth/callback` (Entra's redirect after the interactive sign-in; `host/server.ts` serves it):
 * redeems the code, then continues what needed it (the elevation, or the command) in the
 * background; the Teams card shows the rest. Never echoes the code or any token.
 */
export async function completeInteractiveSignIn(
  services: TeamsServices,
  query: { code: string | null; state: string | null },
  acceptLanguage?: string,
): Promise<SignInPage> {
  const { code, state } = query;
  // A browser page has no Teams locale: its language is the browser's (README, Languages).
  const texts = new Texts({ locale: languageFromAcceptLanguage(acceptLanguage), timeZone: 'UTC' });
  const p = texts.c.signInPage;
  if (!code || !state) return { status: 400, lang: texts.language, title: p.noCodeTitle, text: p.noCodeText };
  try {
    const { user, continuation } = await services.stepUp.complete(code, state);
    if (continuation.kind === 'approval') return await completeFreshApproval(services, user.aadObjectId, user, continuation, texts);
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
    return { status: 200, lang: texts.language, title: p.signedInTitle, text: p.signedInText };
  } catch (error) {
    // Someone else signed in for an approver's tap: refused by the approval use case, and audited.
    if (error instanceof SignInOfAnotherUser && error.continuation.kind === 'approval')
      return completeFreshApproval(services, error.expectedObjectId, error.signedInAs, error.continuation, texts);
    services.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'interactive sign-in refused');
    return { status: 400, lang: texts.language, title: p.refusedTitle, text: p.refusedText };
  }
}
