import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { RoleHoldersClient } from './adapters/dataverse/role-holders-client.js';
import type { HttpClient } from './adapters/http/http-client.js';
import type { TenantEnvironments } from './adapters/power-platform/tenant-environments.js';
import type { Config } from './config.js';
import type { TokenBroker } from './ports/token-broker.js';
import type { StandingAccessServices } from './teams/services.js';
import type { ElevationDeps } from './use-cases/deps.js';

/** Standing access (issue #15): the Dataverse reads with Elevate's identity and the export links, for `main.ts`. */
export function composeStanding(options: {
  config: Config;
  http: HttpClient;
  tokens: TokenBroker;
  environments: TenantEnvironments;
  elevation: ElevationDeps;
  publicUrl: () => string;
  logger: Logger;
}): StandingAccessServices {
  const { config, http, tokens, environments, elevation } = options;
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
    },
    newExportId: () => randomBytes(16).toString('base64url'),
    exportUrl: (id, format) => `${options.publicUrl()}/exports/standing-access/${id}.${format}`,
  };
}
