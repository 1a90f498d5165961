import assert from 'node:assert/strict';
import { cardOf, cardText, type RecordedActivity, type Simulator, type TeamsClient } from '../../harness/index.js';
import type { RbacAssignment } from '../../simulator/tenant/model.js';
import { ELEVATE_RBAC_APP, RBAC_ROLES } from '../../simulator/tenant/rbac-seed.js';
import { USERS } from '../../simulator/tenant/seed.js';
import { isOAuth } from './flow.js';

/**
 * The RBAC part of the bot's environment and Elevate policy for the grant tests (issue #14). Environment
 * groups are not named here: Elevate lists them from the Power Platform API.
 */
export const RBAC_ENV = {
  ELEVATE_RBAC_CLIENT_ID: ELEVATE_RBAC_APP.clientId,
  ELEVATE_RBAC_CLIENT_SECRET: ELEVATE_RBAC_APP.secret,
  ELEVATE_TIMER_POLL_SECONDS: '1',
  // Repeated failures end as "not assigned" after 0 s, 10 s and 20 s, not after minutes.
  ELEVATE_RBAC_ASSIGN_ATTEMPTS: '3',
};

export const RBAC_POLICY = `
version: 1
rbac:
  rules:
    - name: rbac-administrator-waits-a-minute
      match: { roleIds: [${RBAC_ROLES.rbacAdministrator}] }
      maximumDuration: PT1H
      approval: { required: true, approverUserIds: [${USERS.megan.id}, ${USERS.alex.id}], approvalsRequired: 1, pendingTimeoutMinutes: 1 }
    - name: owner-needs-approval
      match: { roleIds: [${RBAC_ROLES.owner}] }
      maximumDuration: PT2H
      approval: { required: true, approverUserIds: [${USERS.megan.id}, ${USERS.alex.id}], approvalsRequired: 1, pendingTimeoutMinutes: 60 }
    - name: apps-by-their-owners
      match: { principalTypes: [ApplicationUser] }
      maximumDuration: PT4H
    - name: people
      match: { principalTypes: [User] }
      maximumDuration: PT8H
`;

export async function assignments(sim: Simulator): Promise<RbacAssignment[]> {
  return (await sim.control.getTenant<{ rbacAssignments: RbacAssignment[] }>()).rbacAssignments;
}

/** Assignments of `principalId` (the RBAC identity's own standing one left out). */
export async function assignmentsOf(sim: Simulator, principalId: string): Promise<RbacAssignment[]> {
  return (await assignments(sim)).filter((a) => a.principalObjectId === principalId);
}

/** Role-assignment creates the simulator answered, and with whose token. */
export async function creates(sim: Simulator): Promise<{ status: number; appid: unknown }[]> {
  return (await sim.control.requests('powerplatform'))
    .filter((r) => r.method === 'POST' && r.path.includes('/authorization/') && r.path.endsWith('/roleAssignments'))
    .map((r) => ({ status: r.status, appid: r.token?.appid }));
}

/**
 * Says `text` (signing in with Teams SSO when asked) and waits for the first new card whose text
 * matches `pattern`; returns it.
 */
export async function sayAndWait(user: TeamsClient, text: string, pattern: RegExp, timeoutMs = 15_000): Promise<RecordedActivity> {
  const before = new Set((await user.activities()).map((r) => r.id));
  const sent = await user.say(text);
  assert.equal(sent.status, 200);
  const first = await user.waitUntil((records) => records.find((r) => !before.has(r.id)));
  if (isOAuth(first)) assert.equal((await user.signIn()).status, 200);
  return user.waitFor((r) => !before.has(r.id) && pattern.test(cardText(cardOf(r))), { timeoutMs, what: String(pattern) });
}

/** The next new card in `user`'s chat matching `pattern`, after `since` (ids seen before). */
export async function nextCard(user: TeamsClient, since: Set<string>, pattern: RegExp, timeoutMs = 15_000): Promise<RecordedActivity> {
  return user.waitFor((r) => !since.has(r.id) && pattern.test(cardText(cardOf(r))), { timeoutMs, what: String(pattern) });
}

export async function seen(user: TeamsClient): Promise<Set<string>> {
  return new Set((await user.activities()).map((r) => r.id));
}
