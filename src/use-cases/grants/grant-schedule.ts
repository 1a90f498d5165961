import type { GrantDeps } from './grant-deps.js';

/** Durable timer kinds of Power Platform RBAC grants; every one survives a restart and runs on one instance at a time. */
export const GRANT_TIMER_KINDS = {
  assign: 'rbacAssign',
  expire: 'rbacExpire',
  remind: 'rbacReminder',
  approvalTimeout: 'rbacApprovalTimeout',
} as const;

/** The assignment runs on a timer due now: a crash (kill -9) mid-call leaves the timer, whose lease then runs out and another run reads back. */
export async function scheduleAssignment(deps: Pick<GrantDeps, 'timers'>, grantId: string, at: Date): Promise<void> {
  await deps.timers.schedule({ id: `rbac-assign:${grantId}`, kind: GRANT_TIMER_KINDS.assign, subject: grantId, dueAt: at.toISOString(), payload: {} });
}

/** Expiry and the reminders before it. */
export async function scheduleEnd(deps: Pick<GrantDeps, 'timers' | 'settings'>, grantId: string, activeUntil: Date): Promise<void> {
  await deps.timers.schedule({ id: `rbac-expire:${grantId}`, kind: GRANT_TIMER_KINDS.expire, subject: grantId, dueAt: activeUntil.toISOString(), payload: {} });
  for (const minutes of deps.settings.reminderMinutes) {
    const at = new Date(activeUntil.getTime() - minutes * 60_000);
    await deps.timers.schedule({
      id: `rbac-remind:${grantId}:${minutes}`,
      kind: GRANT_TIMER_KINDS.remind,
      subject: grantId,
      dueAt: at.toISOString(),
      payload: { minutes },
    });
  }
}
