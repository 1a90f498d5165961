import { createHash, randomUUID } from 'node:crypto';
import { loadPolicyFile, PolicyFileError } from './adapters/policy/policy-file.js';
import type { ElevatePolicy } from './domain/elevate-policy.js';
import { DataverseClient } from './adapters/dataverse/dataverse-client.js';
import { GraphPimClient } from './adapters/graph/graph-pim-client.js';
import { HttpClient } from './adapters/http/http-client.js';
import { graphScopes, MsalTokenBroker, POWER_PLATFORM_RESOURCE } from './adapters/identity/msal-token-broker.js';
import { TenantEnvironments } from './adapters/power-platform/tenant-environments.js';
import { PowerPlatformClient } from './adapters/power-platform/power-platform-client.js';
import { HmacAuditKeys } from './adapters/crypto/hmac-audit-keys.js';
import { sha256Hex } from './adapters/store/audit-hash.js';
import { auditLogOf, openStore, timerStoreOf } from './adapters/store/open-store.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { systemClock } from './ports/clock.js';
import { createApp } from './teams/host/application.js';
import { BackgroundTasks } from './jobs/background-tasks.js';
import { ElevateAdapter } from './teams/host/adapter.js';
import { BotMessenger } from './teams/host/messenger.js';
import { TeamsElevationPresenter } from './teams/outbound/teams-elevation-presenter.js';
import { ConversationDirectory } from './teams/channels/conversations.js';
import { createServer } from './teams/host/server.js';
import { SignIn, simulatorDevSso } from './teams/sign-in/teams-sso.js';
import { StepUpSignIn } from './teams/sign-in/step-up.js';
import { completeInteractiveSignIn } from './teams/routes/sign-in-callback.js';
import { CHANNEL_POST_KIND, TeamsNotifier } from './teams/outbound/teams-notifier.js';
import { TeamsApprovalBoard } from './teams/outbound/teams-approval-board.js';
import type { TeamsServices } from './teams/services.js';
import { AUDIT_ANCHOR_KIND, auditAnchorHandler, scheduleAuditAnchors } from './use-cases/audit-anchor.js';
import { sealUnkeyedAuditLog, type AuditIntegrityDeps } from './use-cases/audit-integrity.js';
import { CONFIG_SETTINGS, type ElevationDeps, type ElevationSettings } from './use-cases/deps.js';
import { resumeElevations } from './use-cases/resume-elevations.js';
import { lifecycleHandlers } from './use-cases/lifecycle-handlers.js';
import { TimerScheduler } from './jobs/scheduler.js';
import { wakingTimerStore } from './jobs/waking-timer-store.js';

/** The validated configuration and Elevate policy, or exit 2 naming what is wrong. */
function readConfiguration(): { config: Config; policy: ElevatePolicy } {
  try {
    const config = loadConfig(process.env);
    return { config, policy: loadPolicyFile(config.policyFile) };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PolicyFileError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

function elevationSettings(config: Config, policy: ElevatePolicy): ElevationSettings {
  const picked = Object.fromEntries(CONFIG_SETTINGS.map((key) => [key, config[key]])) as Pick<Config, (typeof CONFIG_SETTINGS)[number]>;
  return { ...picked, policy, bootId: randomUUID(), cleanupAlertAfterAttempts: 3 };
}

/** Adapters wired to the ports the use cases and the Teams routes need. */
async function compose(config: Config, policy: ElevatePolicy, logger: Logger, publicUrl: () => string) {
  const store = await openStore(config.store, config.azureClientId ? { managedIdentityClientId: config.azureClientId } : {});
  // A timer scheduled for soon wakes the scheduler (built below) instead of waiting for its next poll.
  let wake: (due: Date) => void = () => undefined;
  const timers = wakingTimerStore(timerStoreOf(store, systemClock), (due) => wake(due));
  const http = new HttpClient({ logger: logger.child({ component: 'http' }) });
  const tokens = new MsalTokenBroker({
    clientId: config.aad.clientId,
    clientSecret: config.aad.clientSecret,
    tenantId: config.aad.tenantId,
    authorityHost: config.aad.authorityHost,
    graphScopes: graphScopes(config.graphResource),
    ssoAudience: config.aad.ssoAudiences,
    logger: logger.child({ component: 'identity' }),
    http,
  });
  const adapter = new ElevateAdapter(config);
  const messenger = new BotMessenger(adapter, config.bot.id);
  const notifier = new TeamsNotifier(messenger, store, timers, systemClock, logger.child({ component: 'notifier' }));
  const stepUp = new StepUpSignIn(tokens, {
    publicUrl,
    logger: logger.child({ component: 'step-up' }),
    store,
    // Every instance derives the same key from the app's secret; it never leaves memory.
    verifierKey: createHash('sha256').update(`elevate step-up pkce\u0000${config.aad.clientSecret}`).digest('hex'),
  });
  const conversations = new ConversationDirectory(store);
  const powerPlatform = new PowerPlatformClient({ baseUrl: config.powerPlatformApiUrl, http });
  const auditKeys = new HmacAuditKeys(config.audit.keys);
  const audit = auditLogOf(store, auditKeys.sealer);
  const auditIntegrity: AuditIntegrityDeps = {
    audit,
    keys: auditKeys,
    sha256: sha256Hex,
    store,
    notifier,
    timers,
    clock: systemClock,
    logger: logger.child({ component: 'audit' }),
    anchorMinutes: config.audit.anchorMinutes,
  };
  const elevation: ElevationDeps = {
    pim: new GraphPimClient({ baseUrl: config.graphBaseUrl, http }),
    powerPlatform,
    environments: new TenantEnvironments({
      powerPlatform,
      appToken: tokens.forApp(POWER_PLATFORM_RESOURCE),
      ...(policy.environments ? { configured: policy.environments } : {}),
      logger: logger.child({ component: 'environments' }),
    }),
    dataverse: new DataverseClient({ http, appToken: (resource) => tokens.forApp(resource) }),
    tokens,
    store,
    audit,
    timers,
    clock: systemClock,
    notifier,
    presenter: new TeamsElevationPresenter(messenger, conversations, stepUp, logger.child({ component: 'cards' }), config.approvalActivationWindowMinutes),
    approvals: new TeamsApprovalBoard({
      messenger,
      tenantId: config.aad.tenantId,
      store,
      conversations,
      policy,
      logger: logger.child({ component: 'approvals' }),
    }),
    settings: elevationSettings(config, policy),
    newId: randomUUID,
    logger,
  };
  const signIn = new SignIn(tokens, {
    fallbackLink: (aadObjectId, text, conversationId) => stepUp.url(aadObjectId, { kind: 'command', text, conversationId }),
    ...(config.devSignIn ? { devSso: simulatorDevSso(config.aad.authorityHost) } : {}),
    logger: logger.child({ component: 'sign-in' }),
  });
  const background = new BackgroundTasks(logger);
  const services: TeamsServices = {
    messenger,
    botId: config.bot.id,
    securityGroupId: config.securityGroupId,
    tenantId: config.aad.tenantId,
    elevation,
    auditIntegrity,
    signIn,
    stepUp,
    conversations,
    background,
    logger,
  };
  const scheduler = new TimerScheduler({
    timers,
    clock: systemClock,
    owner: config.instanceId,
    // The lifecycle timers, the outbox of security-channel posts and the periodic audit anchor.
    handlers: {
      ...lifecycleHandlers(elevation),
      [CHANNEL_POST_KIND]: (timer) => notifier.deliver(timer),
      [AUDIT_ANCHOR_KIND]: auditAnchorHandler(auditIntegrity),
    },
    logger: logger.child({ component: 'timers' }),
    pollMs: config.timerPollMs,
  });
  wake = (due) => scheduler.wakeAt(due);
  return { store, services, scheduler, adapter };
}

/** Before anything appends: seal entries written before audit keys, and keep the periodic anchor scheduled. */
async function prepareAuditLog(services: TeamsServices, config: Config, logger: Logger): Promise<void> {
  if (config.audit.developmentKey) {
    logger.warn('ELEVATE_AUDIT_KEYS is not set: the audit log is sealed with a development key derived from AAD_APP_CLIENT_SECRET (loopback only)');
  }
  const sealed = await sealUnkeyedAuditLog(services.auditIntegrity);
  if (sealed.kind === 'sealed') logger.info({ event: 'auditSealed', unkeyed: sealed.unkeyed, seq: sealed.seq }, 'unkeyed audit entries sealed');
  await scheduleAuditAnchors(services.auditIntegrity);
}

/** The composition root: the only place that reads the environment and wires adapters to ports. */
async function main(): Promise<void> {
  const { config, policy } = readConfiguration();
  const logger = createLogger(config.logLevel);
  if (!config.publicUrl && !config.devSignIn) {
    // Allowed on loopback (tests, a local tenant simulator); behind a reverse proxy Entra cannot reach it.
    logger.warn('ELEVATE_PUBLIC_URL is not set: interactive sign-in (consent, MFA) redirects to the listening address');
  }
  logger.info(
    { event: 'policy', file: config.policyFile ?? null, rules: policy.rules.map((r) => r.name) },
    config.policyFile ? 'Elevate policy loaded' : 'no ELEVATE_POLICY_FILE: no approval, PIM limits only',
  );
  // Where Entra sends the interactive sign-in back: ELEVATE_PUBLIC_URL, else the address we listen on.
  let listeningUrl = '';
  const { store, services, scheduler, adapter } = await compose(config, policy, logger, () => config.publicUrl ?? listeningUrl);
  await prepareAuditLog(services, config, logger);
  const server = createServer(adapter, createApp(services, adapter), logger, (query) => completeInteractiveSignIn(services, query), {
    refusalLogLimit: config.refusalLogLimit,
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    logger.fatal({ code: error.code }, error.code === 'EADDRINUSE' ? `port ${config.port} is in use (set PORT)` : 'the HTTP server failed');
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    listeningUrl = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    logger.info({ event: 'listening', url: listeningUrl, devSignIn: config.devSignIn }, `Elevate listening on ${listeningUrl}`);
    // Timers that fell due while the bot was down run now (catch-up), then every poll.
    scheduler.start();
    services.background.run('resume unfinished elevations', async () => {
      const resumed = await resumeElevations(services.elevation, config.instanceId);
      if (resumed > 0) logger.info({ event: 'resumed', count: resumed }, 'unfinished elevations handled after start');
    });
  });
  installShutdown(logger, async () => {
    server.close();
    await scheduler.stop();
    await Promise.race([services.background.drain(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await store.close();
  });
}

function installShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Elevate failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
