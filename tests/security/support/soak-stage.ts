import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENVIRONMENTS, ROLES, USERS, startBot, startSimulator, type BotProcess, type Simulator, type TeamsUser } from '../../harness/index.js';
import { EXTRA_APPROVERS, TEN_APPROVERS } from '../../e2e/support/approvals.js';

/**
 * The simulator and the compiled bot for the soak: Contoso Dev needs no approval, Contoso UAT one of
 * Megan and Nestor, Contoso Prod two of ten approvers; every race has a requester of its own (a
 * fresh user eligible for Power Platform Administrator), so what reached PIM and Power Platform is
 * counted per race by object id.
 */
export const POLICY = `
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
  - name: prod-two-of-ten
    match:
      environmentIds: [${ENVIRONMENTS.contosoProd.id}]
    approval:
      required: true
      approverUserIds: [${TEN_APPROVERS.map((u) => u.id).join(', ')}]
      approvalsRequired: 2
      pendingTimeoutMinutes: 60
`;

export interface SoakStage {
  sim: Simulator;
  bot: BotProcess;
  requesters: TeamsUser[];
  stop(): Promise<void>;
}

interface TenantShape {
  users: TeamsUser[];
  eligibilities: Record<string, unknown>[];
}

/** The `index`-th soak requester (deterministic ids, so a seed replays the same run). */
export function requester(index: number): TeamsUser {
  const hex = index.toString(16).padStart(12, '0');
  return { id: `50a40000-0000-4000-8000-${hex}`, name: `Soak Requester ${index}`, upn: `soak${index}@contoso.example` };
}

/** Adds `count` requesters, each eligible for Power Platform Administrator as Adele is. */
async function addRequesters(sim: Simulator, count: number): Promise<TeamsUser[]> {
  const users = Array.from({ length: count }, (_, i) => requester(i + 1));
  await sim.control.updateTenant<TenantShape>((tenant) => {
    const template = tenant.eligibilities.find((e) => e['principalId'] === USERS.adele.id && e['roleDefinitionId'] === ROLES.powerPlatformAdministrator);
    if (!template) throw new Error("the seed has no eligibility of Adele's to copy");
    tenant.users.push(...users.map((u) => ({ ...u })), ...EXTRA_APPROVERS.map((u) => ({ ...u })));
    users.forEach((user, i) => {
      const n = i.toString(16).padStart(12, '0');
      tenant.eligibilities.push({
        ...template,
        id: `e1161b1e-50a4-4000-8000-${n}`,
        roleEligibilityScheduleId: `5c4ed01e-50a4-4000-8000-${n}`,
        principalId: user.id,
      });
    });
  });
  return users;
}

export async function startSoakStage(races: number, env: Record<string, string> = {}): Promise<SoakStage> {
  const dir = mkdtempSync(path.join(tmpdir(), 'elevate-soak-'));
  const policyFile = path.join(dir, 'policy.yaml');
  writeFileSync(policyFile, POLICY);
  const sim = await startSimulator();
  const bot = await startBot({ sim, env: { ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_POLICY_FILE: policyFile, ...env } });
  const requesters = await addRequesters(sim, races);
  return {
    sim,
    bot,
    requesters,
    stop: async () => {
      await bot.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
