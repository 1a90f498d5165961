import { transition } from '../domain/elevation.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';
import { runElevation } from './run-elevation.js';

/**
 * At start: every elevation left in `activating` or `elevating` by a previous run of this instance
 * is either finished (when the requester's session is still usable) or marked failed with what to
 * do. Nothing stays stuck silently. Tokens live in memory only, so after a restart the requester
 * must be present: **Try again** continues where the elevation stopped without activating twice.
 */
export async function resumeElevations(deps: ElevationDeps, instanceId: string): Promise<number> {
  const unfinished = await deps.store.listElevationsInStates(['activating', 'elevating']);
  let handled = 0;
  for (const current of unfinished) {
    const owner = current.value.worker;
    if (owner !== undefined && owner !== instanceId) continue;
    handled++;
    if (deps.tokens.hasSession(current.value.requester.aadObjectId)) {
      await runElevation(deps, current.value.id);
      continue;
    }
    const failure = {
      code: 'Interrupted',
      message:
        current.value.state === 'elevating'
          ? 'Elevate restarted while making you System Administrator. Your PIM role is active.'
          : 'Elevate restarted while activating your PIM role; it may already be active.',
      hint: 'Tap Try again (or say `retry`): Elevate continues where it stopped and does not activate the role twice.',
    };
    const saved = await deps.store.updateElevation(transition(current.value, 'failed', deps.clock.now(), { failure }, 'interrupted by restart'), current.version);
    if (saved) {
      await audit(deps, 'failed', { record: saved.value });
      await deps.presenter.show(saved.value);
      await deps.notifier.elevationChanged(saved.value);
    }
  }
  return handled;
}
