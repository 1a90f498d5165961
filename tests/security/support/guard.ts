import assert from 'node:assert/strict';
import { request, type BotProcess, type HttpResponse, type Simulator } from '../../harness/index.js';
import { jsonLine } from '../../harness/child.js';

/**
 * What the security tests check after each hostile request: what reached the tenant (the calls that
 * change something: a PIM activation, Power Platform's applyAdminRole, a Dataverse role removal) and
 * what the bot logged for it.
 */
export interface TenantChanges {
  /** Writes to PIM: schedule requests (POST), approval decisions (PATCH). */
  pimPosts: number;
  applyAdminRole: number;
  dataverseDeletes: number;
}

export async function tenantChanges(sim: Simulator): Promise<TenantChanges> {
  const requests = await sim.control.requests();
  return {
    pimPosts: requests.filter((r) => r.service === 'graph' && r.method !== 'GET' && /roleManagement/i.test(r.path)).length,
    applyAdminRole: requests.filter((r) => r.service === 'powerplatform' && r.path.includes('/applyAdminRole')).length,
    dataverseDeletes: requests.filter((r) => r.service === 'dataverse' && r.method === 'DELETE').length,
  };
}

export async function assertNothingChanged(sim: Simulator, before: TenantChanges, what: string): Promise<void> {
  assert.deepEqual(await tenantChanges(sim), before, `${what}: nothing may reach PIM, Power Platform or Dataverse`);
}

/** The bot's output lines from `from` on, waiting until `count` are there, then `settleMs` more for any extra. */
export async function newBotLines(bot: BotProcess, from: number, count: number, settleMs = 150): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  while (bot.child.allLines().length < from + count && Date.now() < deadline) await pause(20);
  await pause(settleMs);
  return bot.child.allLines().slice(from);
}

/** Exactly one new log line, parsed. */
export async function oneNewLogLine(bot: BotProcess, from: number, what: string): Promise<Record<string, unknown>> {
  const lines = await newBotLines(bot, from, 1);
  assert.equal(lines.length, 1, `${what}: exactly one log line, got ${lines.length}:\n${lines.map((l) => l.slice(0, 300)).join('\n')}`);
  const entry = jsonLine(lines[0] ?? '');
  assert.ok(entry, `${what}: the line is structured (pino JSON)`);
  return entry;
}

/** POSTs `body` to the bot's `/api/messages` with exactly these headers. */
export function postActivity(bot: BotProcess, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return request(`${bot.url}/api/messages`, { method: 'POST', body, headers, timeoutMs: 20_000 });
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
