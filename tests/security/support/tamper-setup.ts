import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ENVIRONMENTS,
  ROLES,
  TeamsClient,
  USERS,
  cardOf,
  cardText,
  findAction,
  invokeActivity,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
  type TeamsActivity,
  type TeamsUser,
} from '../../harness/index.js';
import { JUSTIFICATION, SUBMIT, hasVerb, openRequestCard, sayAndSignIn, startSimulatorAndBot, stopBotAndSimulator } from '../../e2e/support/flow.js';

/**
 * The stage for tampered card actions: Contoso UAT needs one of Megan and Nestor to approve, Contoso
 * Dev needs nobody. Adele has a draft in Contoso Dev (valid inputs would activate PIM at once) and a
 * request waiting for approval in Contoso UAT; Alex has a draft of his own; Megan signed in 1:1.
 */
export const APPROVE = 'elevate.approve';
const POLICY = `
version: 1
defaults:
  approval:
    required: false
rules:
  - name: uat-one-of-two
    match:
      environmentIds: [${ENVIRONMENTS.contosoUat.id}]
    approval:
      required: true
      approverUserIds: [${USERS.megan.id}, ${USERS.nestor.id}]
      approvalsRequired: 1
      pendingTimeoutMinutes: 60
`;

export type Actor = 'adele' | 'alex' | 'lee' | 'megan' | 'nestor';

export interface Stage {
  sim: Simulator;
  bot: BotProcess;
  clients: Record<Actor, TeamsClient>;
  /** Adele's draft in Contoso Dev and its card. */
  draft: string;
  draftCard: RecordedActivity;
  /** Adele's request in Contoso UAT, waiting for approval, and Megan's approval card. */
  pending: string;
  approvalCard: RecordedActivity;
  alexDraft: string;
  stop(): Promise<void>;
}

export const VALID_INPUTS = { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION };

export function requestIdOf(record: RecordedActivity, verb: string): string {
  const data = findAction(cardOf(record)!, verb)?.['data'] as { requestId?: string } | undefined;
  assert.ok(data?.requestId, `the card has ${verb} with a request id`);
  return data.requestId;
}

export async function setUpStage(): Promise<Stage> {
  const dir = mkdtempSync(path.join(tmpdir(), 'elevate-tamper-'));
  const policyFile = path.join(dir, 'policy.yaml');
  writeFileSync(policyFile, POLICY);
  const { sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_POLICY_FILE: policyFile });
  const client = (user: TeamsUser) => new TeamsClient({ botUrl: bot.url, sim, user });
  const clients = { adele: client(USERS.adele), alex: client(USERS.alex), lee: client(USERS.lee), megan: client(USERS.megan), nestor: client(USERS.nestor) };

  const draftCard = await openRequestCard(clients.adele, 'elevate me in Contoso Dev');
  const alexCard = await openRequestCard(clients.alex, 'elevate me in Contoso Dev');
  const uatCard = await openRequestCard(clients.adele, 'elevate me in Contoso UAT');
  const pending = requestIdOf(uatCard, SUBMIT);
  const submitted = await clients.adele.tap(uatCard, SUBMIT, VALID_INPUTS);
  assert.match(cardText(submitted.card), /Waiting for approval/);
  const approvalCard = await clients.megan.waitFor((r) => hasVerb(r, APPROVE) && requestIdOf(r, APPROVE) === pending, { what: "Megan's approval card" });
  // After her approval card arrived (sayAndSignIn takes the next message as the answer): her session binds her Teams user id.
  await sayAndSignIn(clients.megan, 'status');
  return {
    sim,
    bot,
    clients,
    draft: requestIdOf(draftCard, SUBMIT),
    draftCard,
    pending,
    approvalCard,
    alexDraft: requestIdOf(alexCard, SUBMIT),
    stop: async () => {
      await stopBotAndSimulator(bot, sim);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `adaptiveCard/action` invoke a Teams client sends, with any value (tampered ones too). */
export function cardActionActivity(client: TeamsClient, value: unknown, replyToId?: string): TeamsActivity {
  return invokeActivity(client.context, 'adaptiveCard/action', value, replyToId);
}
