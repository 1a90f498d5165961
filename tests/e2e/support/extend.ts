import assert from 'node:assert/strict';
import { ROLES, USERS, cardOf, cardText, type RecordedActivity, type RecordedRequest, type Simulator, type TeamsClient } from '../../harness/index.js';
import { SYSTEM_ADMINISTRATOR_TEMPLATE_ID } from '../../simulator/tenant/seed.js';
import type { AssignmentInstance, TenantModel } from '../../simulator/tenant/model.js';
import { JUSTIFICATION, SUBMIT, openRequestCard } from './flow.js';

/** Helpers of tests/e2e/extend.test.ts: Adele's PIM activations and System Administrator as the simulator has them. */
export const EXTEND = 'elevate.extend';
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;
const SUCCESS = /System Administrator until|Elevated in/;

/** Adele elevates through the request card and waits for the success card; the request id. */
export async function elevate(adele: TeamsClient, environment = 'Contoso Prod', duration = 'PT1H'): Promise<{ card: RecordedActivity; requestId: string }> {
  const card = await openRequestCard(adele, `elevate me in ${environment}`);
  const tap = await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration, justification: JUSTIFICATION });
  assert.equal(tap.status, 200);
  const requestId = JSON.stringify(cardOf(card)).match(/"requestId":"([^"]+)"/)?.[1];
  assert.ok(requestId, 'the request card carries its id');
  await adele.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 30_000, what: `elevated in ${environment}` });
  return { card, requestId };
}

/** Says `text` and waits for a new card matching `pattern`. */
export async function ask(user: TeamsClient, text: string, pattern: RegExp): Promise<RecordedActivity> {
  const before = new Set((await user.activities()).map((r) => r.id));
  assert.equal((await user.say(text)).status, 200);
  return user.waitFor((r) => !before.has(r.id) && pattern.test(cardText(cardOf(r))), {
    timeoutMs: 30_000,
    what: `the answer to "${text}": ${String(pattern)}`,
  });
}

/** ISO instants a card shows (its `when` and the like), in order. */
export function instantsOn(card: unknown): string[] {
  return [...new Set(JSON.stringify(card).match(ISO) ?? [])];
}

/**
 * Adele activated Power Platform Administrator in PIM herself six minutes ago (PIM's portal, before she asked
 * Elevate), and it ends `secondsLeft` from now: Elevate finds it active and elevates until its end. The bot
 * runs on the system clock, so this is how a test reaches an elevation's end within a minute (PIM's shortest
 * activation is five minutes).
 */
export async function seedRunningActivation(sim: Simulator, secondsLeft: number): Promise<string> {
  const end = new Date(Math.floor((Date.now() + secondsLeft * 1000) / 1000) * 1000).toISOString();
  await sim.control.updateTenant<TenantModel>((tenant) => {
    tenant.assignments.push({
      id: 'a55e0000-0000-4000-8000-0000000e0001',
      principalId: USERS.adele.id,
      roleDefinitionId: ROLES.powerPlatformAdministrator,
      directoryScopeId: '/',
      appScopeId: null,
      startDateTime: new Date(Date.now() - 6 * 60_000).toISOString(),
      endDateTime: end,
      assignmentType: 'Activated',
      memberType: 'Direct',
      roleAssignmentOriginId: 'a55e0000-0000-4000-8000-0000000e0002',
      roleAssignmentScheduleId: 'a55e0000-0000-4000-8000-0000000e0003',
    });
  });
  return end;
}

/** PIM's first five minutes have passed for Adele's running activations (PIM refuses to deactivate within them). */
export async function pastPimsFirstFiveMinutes(sim: Simulator): Promise<void> {
  const sixMinutesAgo = new Date(Date.now() - 6 * 60_000).toISOString();
  await sim.control.updateTenant<TenantModel>((tenant) => {
    for (const a of tenant.assignments.filter((a) => a.principalId === USERS.adele.id && Date.parse(a.startDateTime) <= Date.now()))
      a.startDateTime = sixMinutesAgo;
  });
}

/** Adele's PIM assignment instances of the role, as PIM has them (started or scheduled). */
export async function adelesInstances(sim: Simulator): Promise<AssignmentInstance[]> {
  return (await sim.control.getTenant<TenantModel>()).assignments.filter(
    (a) => a.principalId === USERS.adele.id && a.roleDefinitionId === ROLES.powerPlatformAdministrator,
  );
}

/** The PIM schedule requests Elevate sent (POST roleAssignmentScheduleRequests, answered 201), oldest first. */
export async function pimRequests(sim: Simulator, action?: 'selfActivate' | 'selfDeactivate'): Promise<RecordedRequest[]> {
  return (await sim.control.requests('graph')).filter(
    (r) =>
      r.method === 'POST' &&
      r.path.endsWith('/roleAssignmentScheduleRequests') &&
      r.status === 201 &&
      (action === undefined || (r.body as { action?: string }).action === action),
  );
}

export function scheduleOf(request: RecordedRequest | undefined): { startDateTime?: string; expiration?: { duration?: string } } {
  return (request?.body as { scheduleInfo?: { startDateTime?: string; expiration?: { duration?: string } } }).scheduleInfo ?? {};
}

/** Whether Adele holds System Administrator in the environment, as the simulator's Dataverse has it now. */
export async function holdsSystemAdministrator(sim: Simulator, domain = 'contosoprod'): Promise<boolean> {
  const org = (await sim.control.getTenant<TenantModel>()).dataverse[domain]!;
  const role = org.roles.find((r) => r.roletemplateid === SYSTEM_ADMINISTRATOR_TEMPLATE_ID)!;
  return org.systemusers.some((u) => u.azureactivedirectoryobjectid === USERS.adele.id && u.roleIds.includes(role.roleid));
}

export const sleepUntil = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));
