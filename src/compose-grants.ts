import type { Logger } from 'pino';
import { GraphServicePrincipals } from './adapters/graph/service-principals.js';
import type { HttpClient } from './adapters/http/http-client.js';
import { msalClientCredential } from './adapters/identity/app-credential.js';
import { MsalTokenBroker, POWER_PLATFORM_RESOURCE } from './adapters/identity/msal-token-broker.js';
import type { LoadedPolicy } from './adapters/policy/policy-file.js';
import { PowerPlatformClient } from './adapters/power-platform/power-platform-client.js';
import { PowerPlatformRbacClient } from './adapters/power-platform/rbac-client.js';
import { TenantEnvironmentGroups } from './adapters/power-platform/tenant-environment-groups.js';
import type { Config } from './config.js';
import type { ElevationStore } from './ports/elevation-store.js';
import { GRANT_APPROVAL_POST_HOOK, TeamsGrantNotices } from './teams/outbound/teams-grant-notices.js';
import type { ConversationDirectory } from './teams/channels/conversations.js';
import type { Courier, PostedMessage } from './teams/chat.js';
import type { ElevationDeps } from './use-cases/deps.js';
import type { GrantDeps } from './use-cases/grants/grant-deps.js';

/**
 * The Power Platform RBAC grants (issue #14), wired for `main.ts` (the composition root, which alone
 * reads the environment): only when the separate RBAC identity is configured. Its token broker holds
 * the RBAC identity's credential and asks only for Power Platform API app tokens.
 */
export function composeGrants(
  config: Config,
  policy: LoadedPolicy,
  shared: {
    http: HttpClient;
    store: ElevationStore;
    courier: Courier;
    /** The outbox's delivery hooks (registered before the timer scheduler starts). */
    hooks: { register(hook: string, run: (posted: PostedMessage, data: Record<string, string>) => Promise<void>): void };
    conversations: ConversationDirectory;
    elevation: ElevationDeps;
    logger: Logger;
  },
): GrantDeps | undefined {
  if (!config.rbac) return undefined;
  const { http, store, elevation } = shared;
  const rbacTokens = new MsalTokenBroker({
    clientId: config.rbac.clientId,
    credential: msalClientCredential(config.rbac.credential),
    tenantId: config.aad.tenantId,
    authorityHost: config.aad.authorityHost,
    logger: shared.logger.child({ component: 'rbac-identity' }),
    http,
  });
  const graphApp = elevation.tokens.forApp(config.graphResource);
  const notices = new TeamsGrantNotices({
    courier: shared.courier,
    store,
    conversations: shared.conversations,
    tenantId: config.aad.tenantId,
    logger: shared.logger.child({ component: 'grants' }),
  });
  // Delivered approval cards are remembered, so every later step of the grant updates them in place.
  shared.hooks.register(GRANT_APPROVAL_POST_HOOK, (posted, data) => notices.recordPost(posted, data));
  return {
    rbac: new PowerPlatformRbacClient({
      baseUrl: config.powerPlatformApiUrl,
      http,
      token: rbacTokens.forApp(POWER_PLATFORM_RESOURCE),
      tenantId: config.aad.tenantId,
    }),
    servicePrincipals: new GraphServicePrincipals({ baseUrl: config.graphBaseUrl, http, appToken: graphApp }),
    environments: elevation.environments,
    // Listed with Elevate's own identity, as the tenant's environments are (its management-application registration).
    environmentGroups: new TenantEnvironmentGroups({
      powerPlatform: new PowerPlatformClient({ baseUrl: config.powerPlatformApiUrl, http }),
      appToken: elevation.tokens.forApp(POWER_PLATFORM_RESOURCE),
      ...(policy.rbac?.environmentGroups?.length ? { configured: policy.rbac.environmentGroups } : {}),
      logger: shared.logger.child({ component: 'environment-groups' }),
    }),
    memberOf: (userId, groupIds) => elevation.pim.checkMemberGroups(graphApp, userId, [...groupIds]),
    groupUserIds: (groupId, max) => elevation.pim.listGroupUserIds(graphApp, groupId, max),
    store,
    timers: elevation.timers,
    audit: elevation.audit,
    clock: elevation.clock,
    notices,
    settings: {
      policy: policy.rbac,
      tenantId: config.aad.tenantId,
      ownAppIds: [config.aad.clientId, config.bot.id, config.rbac.clientId].filter((id) => id !== ''),
      minJustificationLength: config.minJustificationLength,
      reminderMinutes: config.reminderMinutes,
      removalAlertAfterAttempts: 3,
      maxAssignAttempts: config.rbacAssignAttempts,
    },
    newId: elevation.newId,
    logger: shared.logger.child({ component: 'grants' }),
  };
}
