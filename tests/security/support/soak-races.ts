import {
  ROLES,
  TeamsClient,
  buildExecuteValue,
  cardOf,
  cardText,
  invokeActivity,
  messageActivity,
  type RecordedActivity,
  type SendResult,
  type TeamsActivity,
  type TeamsUser,
} from '../../harness/index.js';
import { JUSTIFICATION, SUBMIT, hasVerb, isOAuth } from '../../e2e/support/flow.js';
import { TEN_APPROVERS } from '../../e2e/support/approvals.js';
import { USERS } from '../../harness/tenant.js';
import type { Random } from './fuzz-activities.js';
import { requestIdOf } from './tamper-setup.js';

/**
 * One soak race: a fresh requester asks for an elevation while Teams misbehaves the way it does
 * (the same message delivered several times, the sign-in exchange twice, double taps and redelivered
 * taps) and approvers tap at once (approve against approve, approve against deny).
 */
export type Scenario = 'doubleSubmit' | 'racingApprovers' | 'approveVersusDeny' | 'twoOfTen';
export type RaceOutcome = 'elevated' | 'denied' | 'stuck';

export interface RaceContext {
  botUrl: string;
  sim: ConstructorParameters<typeof TeamsClient>[0]['sim'];
  user: TeamsUser;
  random: Random;
  waitMs: number;
  /** Sends and records the answer (status, or no answer): the runner counts 5xx and hangs. */
  track: (sending: Promise<SendResult>) => Promise<SendResult | undefined>;
}

export interface RaceResult {
  scenario: Scenario;
  outcome: RaceOutcome;
  requestId?: string;
  /** Requests (distinct request ids on the requester's cards) and sign-in cards the requester got: one each, whatever was redelivered. */
  requests: number;
  signInCards: number;
  /** For a stuck race: what the requester's chat showed last. */
  lastSeen?: string;
}

const APPROVE = 'elevate.approve';
const DENY = 'elevate.deny';
const ACTIVATE = 'elevate.activate';
const ENVIRONMENT: Record<Scenario, string> = {
  doubleSubmit: 'Contoso Dev',
  racingApprovers: 'Contoso UAT',
  approveVersusDeny: 'Contoso UAT',
  twoOfTen: 'Contoso Prod',
};
const INPUTS = { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION };

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const execute = (verb: string, data: Record<string, unknown>) => ({ action: { type: 'Action.Execute', verb, data }, trigger: 'manual' });

export function pickScenario(random: Random): Scenario {
  const roll = random();
  return roll < 0.35 ? 'doubleSubmit' : roll < 0.65 ? 'racingApprovers' : roll < 0.8 ? 'approveVersusDeny' : 'twoOfTen';
}

/** `copies` deliveries of one activity at once; each extra copy is either the same activity (a redelivery) or a new one (a double tap). */
async function deliver(ctx: RaceContext, client: TeamsClient, make: () => TeamsActivity, copies: number): Promise<void> {
  const first = make();
  const all = [first, ...times(copies - 1, () => (ctx.random() < 0.5 ? first : make()))];
  await Promise.all(all.map((activity) => ctx.track(client.send(activity))));
}

async function openRequest(ctx: RaceContext, client: TeamsClient, environment: string): Promise<RecordedActivity> {
  const message = messageActivity(client.context, `elevate me in ${environment}`);
  await deliver(ctx, client, () => message, between(ctx.random, 1, 3));
  await client.waitUntil((records) => records.find(isOAuth), { timeoutMs: ctx.waitMs, what: 'the sign-in card' });
  const signedIn = await ctx.track(client.signIn());
  // Teams may send the same token exchange once per client endpoint.
  if (signedIn && ctx.random() < 0.5) await ctx.track(client.resend(signedIn.activity));
  return client.waitFor((r) => hasVerb(r, SUBMIT), { timeoutMs: ctx.waitMs, what: 'the request card' });
}

async function submit(ctx: RaceContext, client: TeamsClient, card: RecordedActivity): Promise<void> {
  const value = buildExecuteValue(client.visibleCard(card), SUBMIT, INPUTS);
  await deliver(ctx, client, () => invokeActivity(client.context, 'adaptiveCard/action', value, card.id), between(ctx.random, 1, 4));
}

/** Approvers tapping at once, each once or twice; `denier` denies instead. */
async function decide(ctx: RaceContext, approvers: TeamsUser[], requestId: string, denier?: TeamsUser): Promise<void> {
  await Promise.all(
    approvers.map((approver) => {
      const client = new TeamsClient({ botUrl: ctx.botUrl, sim: ctx.sim, user: approver });
      const value = approver === denier ? execute(DENY, { requestId, reason: 'Not during the release freeze' }) : execute(APPROVE, { requestId });
      return deliver(ctx, client, () => invokeActivity(client.context, 'adaptiveCard/action', value), between(ctx.random, 1, 2));
    }),
  );
}

async function waitForCard(ctx: RaceContext, client: TeamsClient, check: (record: RecordedActivity) => boolean): Promise<RecordedActivity | undefined> {
  return client.waitFor(check, { timeoutMs: ctx.waitMs, intervalMs: 100 }).catch(() => undefined);
}

async function activateAndFinish(ctx: RaceContext, client: TeamsClient, card: RecordedActivity, requestId: string): Promise<RaceOutcome> {
  const approved = await waitForCard(ctx, client, (r) => hasVerb(r, ACTIVATE) || /Denied by|denied the request/.test(cardText(cardOf(r))));
  if (!approved) return 'stuck';
  if (!hasVerb(approved, ACTIVATE)) return 'denied';
  await deliver(
    ctx,
    client,
    () => invokeActivity(client.context, 'adaptiveCard/action', execute(ACTIVATE, { requestId }), approved.id),
    between(ctx.random, 1, 3),
  );
  return (await waitForCard(ctx, client, (r) => r.id === card.id && /Elevated in/.test(cardText(cardOf(r))))) ? 'elevated' : 'stuck';
}

function approversFor(ctx: RaceContext, scenario: Scenario): { approvers: TeamsUser[]; denier?: TeamsUser } {
  if (scenario === 'twoOfTen') {
    const shuffled = [...TEN_APPROVERS].sort(() => ctx.random() - 0.5);
    return { approvers: shuffled.slice(0, between(ctx.random, 2, 5)) };
  }
  const approvers = [USERS.megan, USERS.nestor];
  return scenario === 'approveVersusDeny' ? { approvers, denier: approvers[Math.floor(ctx.random() * 2)] } : { approvers };
}

export async function runRace(ctx: RaceContext, scenario: Scenario): Promise<RaceResult> {
  const client = new TeamsClient({ botUrl: ctx.botUrl, sim: ctx.sim, user: ctx.user });
  const result: RaceResult = { scenario, outcome: 'stuck', requests: 0, signInCards: 0 };
  try {
    const card = await openRequest(ctx, client, ENVIRONMENT[scenario]);
    result.requestId = requestIdOf(card, SUBMIT);
    await submit(ctx, client, card);
    if (scenario === 'doubleSubmit') {
      const done = await waitForCard(ctx, client, (r) => r.id === card.id && /Elevated in/.test(cardText(cardOf(r))));
      result.outcome = done ? 'elevated' : 'stuck';
    } else {
      const { approvers, denier } = approversFor(ctx, scenario);
      await waitForCard(ctx, client, (r) => r.id === card.id && /Waiting for approval/.test(cardText(cardOf(r))));
      await decide(ctx, approvers, result.requestId, denier);
      result.outcome = await activateAndFinish(ctx, client, card, result.requestId);
    }
  } catch {
    result.outcome = 'stuck';
  }
  const records = await client.activities();
  result.requests = new Set(records.flatMap((r) => [...JSON.stringify(r).matchAll(/"requestId":"([^"]+)"/g)].map((m) => m[1]))).size;
  result.signInCards = records.filter(isOAuth).length;
  if (result.outcome === 'stuck') result.lastSeen = records.map((r) => cardText(cardOf(r)).replace(/\s+/g, ' ').slice(0, 160)).join(' | ');
  return result;
}
