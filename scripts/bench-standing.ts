/**
 * Standing access inventory at scale (issue #15): a generated tenant of N environments (default 200) drawn from
 * M users (default 5,000), each environment with its systemusers, direct System Administrator holders and an
 * Entra group team holding the role, read by Elevate's own code (RoleHoldersClient with the production
 * HttpClient and msal-node token broker, the inventory use case with its concurrency) from the tenant simulator
 * over HTTPS, with the simulator's service protection limit on (`--limit` requests per `--window` seconds per
 * caller and environment; default Dataverse's 6,000 per 300 s). Prints the time, the requests and the 429s.
 *
 *   tsx scripts/bench-standing.ts [--environments 200] [--users 5000] [--per-environment 500] [--page 500]
 *                                 [--concurrency 4] [--limit 6000] [--window 300] [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { RoleHoldersClient } from '../src/adapters/dataverse/role-holders-client.js';
import { HttpClient } from '../src/adapters/http/http-client.js';
import { MsalTokenBroker } from '../src/adapters/identity/msal-token-broker.js';
import { PERMISSIVE_POLICY } from '../src/domain/elevate-policy.js';
import { holderTotals } from '../src/domain/standing-access.js';
import type { StandingAccessDeps } from '../src/use-cases/standing-access-deps.js';
import { takeInventory } from '../src/use-cases/standing-inventory.js';
import { SqliteElevationStore } from '../src/adapters/store/sqlite-elevation-store.js';
import { testAuditKeys } from '../tests/support/audit-keys.js';
import { SimulatorFixture } from '../tests/integration/simulator-fixture.js';
import { trustingFetch } from '../tests/integration/support/trusting-fetch.js';
import { startSimulator } from '../tests/simulator/index.js';
import { addGeneratedEnvironments } from '../tests/simulator/tenant/generated.js';
import { AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET, TENANT_ID } from '../tests/simulator/tenant/seed.js';
import { systemClock } from '../src/ports/clock.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? Number(args[at + 1]) : fallback;
};

async function main(): Promise<void> {
  const environments = option('environments', quick ? 20 : 200);
  const users = option('users', quick ? 500 : 5000);
  const perEnvironment = option('per-environment', quick ? 100 : 500);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'elevate-bench-standing-'));
  const sim = await startSimulator({ port: 0, dataDir });
  try {
    sim.state.settings.dataverseRequestsPerWindow = option('limit', 6000);
    sim.state.settings.dataverseWindowMs = option('window', 300) * 1000;
    const added = addGeneratedEnvironments(sim.state.tenant, { environments, users, usersPerEnvironment: perEnvironment, directHolders: 10, teamMembers: 20 });
    const fixture = new SimulatorFixture();
    fixture.sim = sim;
    let throttled = 0;
    const http = new HttpClient({
      fetch: trustingFetch(sim.ca),
      maxAttempts: 6,
      totalBudgetMs: 600_000,
      onRetry: (info) => void (info.reason === 'throttled' && (throttled += 1)),
    });
    const broker = new MsalTokenBroker({
      clientId: AAD_APP_CLIENT_ID,
      credential: { clientSecret: AAD_APP_CLIENT_SECRET },
      tenantId: TENANT_ID,
      authorityHost: sim.baseUrl,
      confidentialClient: fixture.elevateApp(),
    });
    const store = SqliteElevationStore.open(':memory:');
    const settings = { policy: PERMISSIVE_POLICY } as unknown as StandingAccessDeps['settings'];
    const deps = {
      store,
      audit: store.auditLog(testAuditKeys().sealer),
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      settings,
      holders: new RoleHoldersClient({ http, appToken: (resource) => broker.forApp(resource), pageSize: option('page', 500) }),
      allEnvironments: async () => added.map((e) => ({ id: e.id, displayName: e.displayName, url: `${sim.baseUrl}/dataverse/${e.domain}` })),
      concurrency: option('concurrency', 4),
    } as unknown as StandingAccessDeps;

    const started = performance.now();
    const outcome = await takeInventory(deps, 'all');
    const seconds = (performance.now() - started) / 1000;
    if (outcome.kind !== 'done') throw new Error(`inventory: ${outcome.kind}`);
    const read = outcome.environments.filter((e) => e.status === 'read');
    const holders = read.reduce((n, e) => n + (e.status === 'read' ? e.holders.length : 0), 0);
    const unexplained = read.reduce((n, e) => n + (e.status === 'read' ? holderTotals(e.holders).unexplained : 0), 0);
    console.log(
      JSON.stringify({
        environments,
        users,
        systemusers: environments * (perEnvironment + 1),
        read: read.length,
        holders,
        unexplained,
        seconds: Math.round(seconds * 10) / 10,
        throttled429: throttled,
        limit: `${sim.state.settings.dataverseRequestsPerWindow}/${sim.state.settings.dataverseWindowMs / 1000}s`,
        concurrency: option('concurrency', 4),
      }),
    );
    await store.close();
  } finally {
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
