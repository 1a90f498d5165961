import assert from 'node:assert/strict';
import {
  cardOf,
  cardText,
  findAction,
  startBot,
  startSimulator,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
  type TeamsClient,
} from '../../harness/index.js';

export const SUBMIT = 'elevate.submit';
export const RETRY = 'elevate.retry';
export const CONTINUE = 'elevate.continue';
export const JUSTIFICATION = 'Fix the broken approval flow INC0012345';
const OAUTH = 'application/vnd.microsoft.card.oauth';

export function hasVerb(record: RecordedActivity, verb: string): boolean {
  const card = cardOf(record);
  return card !== undefined && findAction(card, verb) !== undefined;
}

export function isOAuth(record: RecordedActivity): boolean {
  return (record.activity.attachments ?? []).some((a) => a.contentType === OAUTH);
}

/** Says `text` and, when the bot answers with an OAuth card first, completes Teams SSO. */
export async function sayAndSignIn(user: TeamsClient, text: string): Promise<void> {
  const before = (await user.activities()).length;
  const sent = await user.say(text);
  assert.equal(sent.status, 200);
  const reply = await user.waitUntil((records) => records[before]);
  if (isOAuth(reply)) assert.equal((await user.signIn()).status, 200);
}

export async function openRequestCard(user: TeamsClient, text: string): Promise<RecordedActivity> {
  const before = new Set((await user.activities()).map((r) => r.id));
  await sayAndSignIn(user, text);
  return user.waitFor((r) => !before.has(r.id) && hasVerb(r, SUBMIT), { what: 'the request card' });
}

/** PIM activation requests the simulator received (POST roleAssignmentScheduleRequests). */
export async function activationRequests(sim: Simulator): Promise<number> {
  return (await sim.control.requests('graph')).filter((r) => r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests') && r.status === 201)
    .length;
}

export async function applyAdminRoleCalls(sim: Simulator, status?: number): Promise<number> {
  return (await sim.control.requests('powerplatform')).filter((r) => r.path.includes('/applyAdminRole') && (status === undefined || r.status === status))
    .length;
}

/** Polls `check` until it resolves true; fails after `timeoutMs` naming `what`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * For tests that change a role's PIM policy between requests (and `reset` restores it): the bot reads
 * the policies afresh for every card instead of reusing them for a minute as in production.
 */
export const POLICY_CHANGES_AT_ONCE: Readonly<Record<string, string>> = { ELEVATE_PIM_POLICY_CACHE_SECONDS: '0' };

/** Starts the tenant simulator and the compiled bot pointed at it, for one `describe`. */
export async function startSimulatorAndBot(env: Record<string, string> = {}): Promise<{ sim: Simulator; bot: BotProcess }> {
  const sim = await startSimulator();
  return { sim, bot: await startBot({ sim, env }) };
}

export async function stopBotAndSimulator(bot: BotProcess | undefined, sim: Simulator | undefined): Promise<void> {
  await bot?.stop();
  await sim?.stop();
}

/** The update of `card` (the same activity, edited in place) whose text matches `pattern`. */
export function waitForCard(user: TeamsClient, card: RecordedActivity, pattern: RegExp, timeoutMs = 30_000): Promise<RecordedActivity> {
  return user.waitFor((r) => r.id === card.id && pattern.test(cardText(cardOf(r))), { timeoutMs, what: `card ${String(pattern)}` });
}
