/**
 * `npm run bench`: how fast Elevate answers against the tenant simulator, measured end to end through
 * the Teams-client harness (real HTTP, signed activities, real token exchanges). Prints p50/p95/max of
 * - the request card: from the typed command to the card (SSO session already in place),
 * - the elevation: from the Elevate tap to the success card (PIM activation + Power Platform).
 * Needs `npm run build` first. Not a test: numbers depend on the machine.
 */
import { performance } from 'node:perf_hooks';
import { ROLES, TeamsClient, USERS, cardOf, cardText, startBot, startSimulator } from '../tests/harness/index.js';
import { JUSTIFICATION, SUBMIT, openRequestCard } from '../tests/e2e/support/flow.js';
import { summary } from './bench-summary.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? (process.argv.includes('--quick') ? 5 : 20));

async function main(): Promise<void> {
  const sim = await startSimulator();
  const bot = await startBot({ sim, env: { ELEVATE_ACTIVATION_POLL_MS: '200' } });
  try {
    const cards: number[] = [];
    const elevations: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await sim.control.reset();
      const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele, conversation: { id: `a:1-bench-${round}` } });
      const started = performance.now();
      const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
      cards.push(performance.now() - started);
      const tapped = performance.now();
      await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
      await adele.waitFor((r) => r.id === card.id && /Elevated in/.test(cardText(cardOf(r))), { timeoutMs: 30_000, intervalMs: 20 });
      elevations.push(performance.now() - tapped);
    }
    console.log(summary('request card', cards));
    console.log(summary('elevation', elevations));
  } finally {
    await bot.stop();
    await sim.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
