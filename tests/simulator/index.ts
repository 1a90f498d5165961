import type { AddressInfo } from 'node:net';
import { botIssuerRoutes } from './connector/bot-issuer.js';
import { createTlsMaterial, writeCa } from './core/ca.js';
import { activityRoutes } from './connector/activities.js';
import { conversationRoutes } from './connector/conversations.js';
import { controlRoutes } from './core/control.js';
import { dataverseRoutes } from './dataverse/routes.js';
import { auditRoutes } from './dataverse/audits.js';
import { relationRoutes } from './dataverse/relations.js';
import { deviceLoginRoutes } from './entra/device-login.js';
import { entraRoutes } from './entra/routes.js';
import { managedIdentityRoutes } from './entra/managed-identity.js';
import { graphApplicationRoutes } from './graph/applications.js';
import { graphGroupRoutes } from './graph/groups.js';
import { graphPimApprovalRoutes } from './graph/pim-approvals.js';
import { graphPimRequestRoutes } from './graph/pim-requests.js';
import { graphPimRoutes } from './graph/pim.js';
import { createKeySet } from './core/keys.js';
import { powerPlatformRoutes } from './power-platform/routes.js';
import { rbacRoutes } from './power-platform/rbac-routes.js';
import { environmentGroupRoutes } from './power-platform/environment-groups.js';
import type { Route } from './core/router.js';
import { createHttpsServer } from './core/server.js';
import { SimulatorState, type SimContext } from './core/state.js';

/** Starts the tenant simulator in this process (tests) or for `main.ts` (its own process). */
export interface SimulatorOptions {
  /** Default 9443; 0 picks a free port. */
  port?: number;
  /** Where `ca.pem` is written. Default `./data/simulator`. */
  dataDir?: string;
}

export interface RunningSimulator {
  baseUrl: string;
  port: number;
  caPath: string;
  /** PEM of the test CA, for clients in this process (Node reads NODE_EXTRA_CA_CERTS only at start). */
  ca: string;
  state: SimulatorState;
  close(): Promise<void>;
}

// Specific routes before generic ones: Entra's `/:tenant/...` patterns come last.
const ROUTES: Route<SimContext>[] = [
  ...controlRoutes,
  ...graphPimRoutes,
  ...graphPimRequestRoutes,
  ...graphPimApprovalRoutes,
  ...graphGroupRoutes,
  ...graphApplicationRoutes,
  ...powerPlatformRoutes,
  // Authorization API: docs/api-contracts.md §3 "RBAC"; environment groups: §3 "Environment groups" (each file cites its pages).
  ...rbacRoutes,
  ...environmentGroupRoutes,
  ...dataverseRoutes,
  // Dataverse `audits` and `RetrieveAuditDetails`: docs/api-contracts.md §4.1.
  ...auditRoutes,
  ...relationRoutes,
  ...conversationRoutes,
  ...activityRoutes,
  ...botIssuerRoutes,
  ...deviceLoginRoutes,
  ...managedIdentityRoutes,
  ...entraRoutes,
];

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const tls = createTlsMaterial();
  const caPath = writeCa(options.dataDir ?? './data/simulator', tls.caPem);
  const state = new SimulatorState();
  const ctx: SimContext = { state, keys: createKeySet(), baseUrl: '' };
  const server = createHttpsServer(ctx, ROUTES, { key: tls.keyPem, cert: tls.certPem });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9443, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ctx.baseUrl = `https://127.0.0.1:${port}`;
  return {
    baseUrl: ctx.baseUrl,
    port,
    caPath,
    ca: tls.caPem,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
