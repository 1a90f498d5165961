/**
 * `npm run bench` (second part): how fast approvals go against the tenant simulator, end to end
 * through the Teams-client harness, with a 2-of-10 Elevate policy on Contoso Prod. Prints
 * p50/p95/max of
 * - fan-out: from the requester's Submit to the approval card in all ten approvers' chats,
 * - approve tap: each of ten approvers tapping Approve at once, until their card answer,
 * - requester told: from the taps to the requester's "Approved … Activate" card.
 * Needs `npm run build` first. Not a test: numbers depend on the machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cardOf, findAction, ROLES, TeamsClient, USERS, startBot, startSimulator, type RecordedActivity } from '../tests/harness/index.js';
import { JUSTIFICATION, SUBMIT, hasVerb, openRequestCard } from '../tests/e2e/support/flow.js';
import { ACTIVATE, APPROVE, EXTRA_APPROVERS, TEN_APPROVERS, twoOfTenRule } from '../tests/e2e/support/approvals.js';
import { summary } from './bench-summary.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? (process.argv.includes('--quick') ? 3 : 10));
const requestIdOf = (record: RecordedActivity): string | undefined =>
  (findAction(cardOf(record)!, APPROVE)?.['data'] as { requestId?: string } | undefined)?.requestId;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'elevate-bench-'));
  const policyFile = path.join(dir, 'policy.yaml');
  writeFileSync(policyFile, `version: 1\ndefaults: {}\nrules:\n${twoOfTenRule()}`);
  const sim = await startSimulator();
  const bot = await startBot({ sim, env: { ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_POLICY_FILE: policyFile } });
  try {
    const fanOut: number[] = [];
    const taps: number[] = [];
    const told: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await sim.control.reset();
      await sim.control.updateTenant<{ users: unknown[] }>((tenant) => void tenant.users.push(...EXTRA_APPROVERS.map((u) => ({ ...u }))));
      const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id: `a:1-bench-approvals-${round}` } });
      const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
      const requestId = (findAction(cardOf(card)!, SUBMIT)!['data'] as { requestId: string }).requestId;
      const approvers = TEN_APPROVERS.map((user) => new TeamsClient({ botUrl: bot.url, sim, user }));
      const submitted = performance.now();
      await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
      const cards = await Promise.all(
        approvers.map((a) => a.waitFor((r) => hasVerb(r, APPROVE) && requestIdOf(r) === requestId, { timeoutMs: 30_000, intervalMs: 20 })),
      );
      fanOut.push(performance.now() - submitted);
      const tapped = performance.now();
      await Promise.all(
        approvers.map(async (a, i) => {
          const started = performance.now();
          await a.tap(cards[i]!, APPROVE);
          taps.push(performance.now() - started);
        }),
      );
      await adele.waitFor((r) => hasVerb(r, ACTIVATE), { timeoutMs: 30_000, intervalMs: 20 });
      told.push(performance.now() - tapped);
    }
    console.log(summary('approval fan-out', fanOut));
    console.log(summary('approve tap', taps));
    console.log(summary('requester told', told));
  } finally {
    await bot.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
