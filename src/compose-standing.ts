import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { RoleHoldersClient } from './adapters/dataverse/role-holders-client.js';
import type { HttpClient } from './adapters/http/http-client.js';
import type { TenantEnvironments } from './adapters/power-platform/tenant-environments.js';
import type { Config } from './config.js';
import type { TokenBroker } from './ports/token-broker.js';
import type { StandingAccessServices } from './teams/services.js';
import type { ElevationDeps } from './use-cases/deps.js';
import type { GrantDeps } from './use-cases/grants/grant-deps.js';
import type { RbacReader } from './use-cases/standing-rbac.js';

/** Standing access (issue #15): the Dataverse reads with Elevate's identity and the export links, for `main.ts`. */
export function composeStanding(options: {
  config: Config;
  http: HttpClient;
  tokens: TokenBroker;
  environments: TenantEnvironments;
  elevation: ElevationDeps;
  publicUrl: () => string;
  logger: Logger;
  /** Power Platform RBAC grants (issue #14), when its RBAC identity is configured: the inventory reads RBAC roles with it. */
  grants?: GrantDeps;
}): StandingAccessServices {
  const { config, http, tokens, environments, elevation, grants } = options;
  return {
    deps: {
      store: elevation.store,
      audit: elevation.audit,
      clock: elevation.clock,
      timers: elevation.timers,
      settings: elevation.settings,
      tokens: elevation.tokens,
      pim: elevation.pim,
      logger: options.logger,
      holders: new RoleHoldersClient({ http, appToken: (resource) => tokens.forApp(resource) }),
      allEnvironments: () => environments.allEnvironments(),
      concurrency: config.standingConcurrency,
      ...(grants ? { rbac: rbacReader(grants) } : {}),
    },
    newExportId: () => randomBytes(16).toString('base64url'),
    exportUrl: (id, format) => `${options.publicUrl()}/exports/standing-access/${id}.${format}`,
  };
}

/** Read-only use of the grants' Authorization API client; Elevate's own service principals are looked up once. */
function rbacReader(grants: GrantDeps): RbacReader {
  let own: Promise<string[]> | undefined;
  const lookUp = async () => {
    const found = await Promise.all(grants.settings.ownAppIds.map((appId) => grants.servicePrincipals.find(appId)));
    return found.flat().map((sp) => sp.id.toLowerCase());
  };
  return {
    api: grants.rbac,
    environmentGroups: () => grants.environmentGroups.environmentGroups(),
    ownPrincipalIds: () => {
      own ??= lookUp().catch((error: unknown) => {
        own = undefined;
        throw error;
      });
      return own;
    },
  };
}
