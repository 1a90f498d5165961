import type { TimerHandler } from '../../ports/timer-store.js';
import { assignGrant } from './assign-grant.js';
import type { GrantDeps } from './grant-deps.js';
import { GRANT_TIMER_KINDS } from './grant-schedule.js';
import { endGrantHandler, expireApproval, remindGrant } from './end-grant.js';

/** The handlers `main.ts` gives the scheduler when RBAC grants are on. */
export function grantTimerHandlers(deps: GrantDeps): Record<string, TimerHandler> {
  return {
    [GRANT_TIMER_KINDS.assign]: (timer) => assignGrant(deps, timer),
    [GRANT_TIMER_KINDS.expire]: endGrantHandler(deps),
    [GRANT_TIMER_KINDS.remind]: (timer) => remindGrant(deps, timer),
    [GRANT_TIMER_KINDS.approvalTimeout]: (timer) => expireApproval(deps, timer),
  };
}
