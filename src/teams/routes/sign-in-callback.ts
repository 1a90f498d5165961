import type { Request, Response } from 'restify';
import { resumeWaiting } from '../../use-cases/await-power-platform.js';
import { retryElevation } from '../../use-cases/retry-elevation.js';
import { runElevation } from '../../use-cases/run-elevation.js';
import type { TeamsServices } from '../services.js';
import { tellTurnFailure } from '../host/turn-failure.js';
import { runCommand } from './messages.js';

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;

function send(res: Response, status: number, title: string, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(page(title, text));
}

/**
 * `GET /auth/callback`: Entra's redirect after the interactive sign-in. Redeems the code, then
 * continues what needed it (the elevation, or the command) in the background; the Teams card shows
 * the rest. Never echoes the code or any token.
 */
export function signInCallback(services: TeamsServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const code = query.get('code');
    const state = query.get('state');
    if (!code || !state) {
      send(res, 400, 'Sign-in did not complete', 'Entra ID did not return a sign-in code. Close this window and try again from Teams.');
      return;
    }
    try {
      const { user, continuation } = await services.stepUp.complete(code, state);
      services.background.run('resume after interactive sign-in', () => resumeWaiting(services.elevation, user.aadObjectId));
      if (continuation.kind === 'elevation') {
        const outcome = await retryElevation(services.elevation, user.aadObjectId, continuation.elevationId);
        if (outcome.kind === 'restarted')
          services.background.run(`elevation ${continuation.elevationId}`, () => runElevation(services.elevation, continuation.elevationId));
      } else {
        const reference = await services.conversations.find(continuation.conversationId);
        if (reference) {
          const from = { id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, name: user.name ?? user.aadObjectId };
          services.background.run('replay after interactive sign-in', () =>
            services.adapter.continueConversationAsync(services.botId, reference, async (turn) => {
              turn.activity.from = from;
              await runCommand(services, turn, continuation.text).catch((error: unknown) => tellTurnFailure(services, turn, error));
            }),
          );
        }
      }
      send(res, 200, 'Signed in', 'You are signed in. Close this window and return to Teams: Elevate continues where it stopped.');
    } catch (error) {
      services.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'interactive sign-in refused');
      send(res, 400, 'Sign-in could not be used', 'Close this window and start again from Teams.');
    }
  };
}
