import { randomUUID } from 'node:crypto';
import { loadPolicyFile, PolicyFileError, type LoadedPolicy } from './adapters/policy/policy-file.js';
import { composeStanding } from './compose-standing.js';
import { ACTIVITY_EXPORT_PATH, EXPORT_PATH, activityDownload, exportDownload } from './teams/host/export-download.js';
import { sweepRunner } from './teams/routes/sweep-actions.js';
import { resumeSweep, resumeSweeps } from './use-cases/sweep-run.js';
import { SWEEP_WATCHDOG_KIND, sweepWatchdogHandler } from './use-cases/sweep-watchdog.js';
import { scheduleWatchdog, WATCHDOG_KIND, watchdogHandler } from './use-cases/standing-watchdog.js';
import { watchdogReporter } from './teams/channels/standing-watchdog-post.js';
import { DIGEST_KIND, scheduleWeeklyDigest, weeklyDigestHandler } from './use-cases/weekly-digest.js';
import { digestReporter } from './teams/channels/weekly-digest-post.js';
import type { ElevatePolicy } from './domain/elevate-policy.js';
import { freshSignInWarnings } from './domain/fresh-sign-in-policy.js';
import { composeGrants } from './compose-grants.js';
import { grantTimerHandlers } from './use-cases/grants/grant-timers.js';
import { DataverseClient } from './adapters/dataverse/dataverse-client.js';
import { GraphPimClient } from './adapters/graph/graph-pim-client.js';
import { HttpClient } from './adapters/http/http-client.js';
import { CertificateFileError, msalClientCredential, type MsalClientCredential } from './adapters/identity/app-credential.js';
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
import { Outbox, OUTBOX_KIND } from './teams/outbound/outbox.js';
import { TeamsElevationPresenter } from './teams/outbound/teams-elevation-presenter.js';
import { ConversationDirectory } from './teams/channels/conversations.js';
import { createServer } from './teams/host/server.js';
import { SignIn, simulatorDevSso } from './teams/sign-in/teams-sso.js';
import { SIGN_IN_EXPIRY_KIND, StepUpSignIn } from './teams/sign-in/step-up.js';
import { completeInteractiveSignIn } from './teams/routes/sign-in-callback.js';
import { CHANNEL_POST_KIND, TeamsNotifier } from './teams/outbound/teams-notifier.js';
import { APPROVAL_POST_HOOK, TeamsApprovalBoard } from './teams/outbound/teams-approval-board.js';
import type { TeamsServices } from './teams/services.js';
import { AUDIT_ANCHOR_KIND, auditAnchorHandler, scheduleAuditAnchors } from './use-cases/audit-anchor.js';
import { HOUSEKEEPING_KIND, housekeepingHandler, scheduleHousekeeping } from './use-cases/housekeeping.js';
import { sealUnkeyedAuditLog, type AuditIntegrityDeps } from './use-cases/audit-integrity.js';
import { CONFIG_SETTINGS, type ElevationDeps, type ElevationSettings } from './use-cases/deps.js';
import { resumeElevations } from './use-cases/resume-elevations.js';
import { lifecycleHandlers } from './use-cases/lifecycle-handlers.js';
import { BREAK_GLASS_REVIEW_KIND, postReview, type BreakGlassReviewDeps } from './use-cases/break-glass-review.js';
import { BREAK_GLASS_POST_HOOK, TeamsBreakGlassBoard } from './teams/outbound/teams-break-glass-board.js';
import { TimerScheduler } from './jobs/scheduler.js';
import { botConnectorToken } from './adapters/identity/bot-connector-client.js';
import { startLogExport } from './adapters/telemetry/log-bridge.js';
import { recordRequest } from './adapters/telemetry/instruments.js';
import { meteredAuditLog, traceBackground, traceTimerHandlers } from './adapters/telemetry/traced.js';
import type { Telemetry } from './adapters/telemetry/azure-monitor.js';
import { exitOnSignals, HostLifecycle } from './host-lifecycle/host-lifecycle.js';
import { Readiness } from './host-lifecycle/readiness.js';
import { readinessChecks } from './host-lifecycle/readiness-checks.js';
import { wakingTimerStore } from './jobs/waking-timer-store.js';

/** Elevate's app credential for msal-node; a certificate file that cannot be used is a configuration error. */
function appCredentialOf(config: Config): MsalClientCredential {
  try {
    return msalClientCredential(config.aad.credential);
  } catch (error) {
    if (error instanceof CertificateFileError) throw new ConfigError('AAD_APP_CLIENT_CERTIFICATE_PATH', error.message);
    throw error;
  }
}

/** The validated configuration, Elevate policy and app credential, or exit 2 naming what is wrong. */
function readConfiguration(): { config: Config; policy: LoadedPolicy; credential: MsalClientCredential } {
  try {
    const config = loadConfig(process.env);
    return { config, policy: loadPolicyFile(config.policyFile), credential: appCredentialOf(config) };
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
async function compose(config: Config, policy: LoadedPolicy, credential: MsalClientCredential, logger: Logger, publicUrl: () => string) {
  const store = await openStore(config.store, config.azureClientId ? { managedIdentityClientId: config.azureClientId } : {});
  // A timer scheduled for soon wakes the scheduler (built below) instead of waiting for its next poll.
  let wake: (due: Date) => void = () => undefined;
  const timers = wakingTimerStore(timerStoreOf(store, systemClock), (due) => wake(due));
  const http = new HttpClient({ logger: logger.child({ component: 'http' }) });
  const tokens = new MsalTokenBroker({
    clientId: config.aad.clientId,
    credential,
    tenantId: config.aad.tenantId,
    authorityHost: config.aad.authorityHost,
    graphScopes: graphScopes(config.graphResource),
    ssoAudience: config.aad.ssoAudiences,
    logger: logger.child({ component: 'identity' }),
    http,
  });
  const adapter = new ElevateAdapter(config);
  // Every proactive message goes through the outbox (delivered by the timer scheduler below).
  const outbox = new Outbox({
    messenger: BotMessenger.create(adapter, config.bot.id),
    store,
    timers,
    clock: systemClock,
    logger: logger.child({ component: 'outbox' }),
    limits: config.outboxRateLimits,
  });
  const notifier = new TeamsNotifier(outbox, store, systemClock, logger.child({ component: 'notifier' }));
  outbox.whenFailing((notice) => notifier.deliveryFailing(notice));
  const stepUp = new StepUpSignIn(tokens, {
    publicUrl,
    logger: logger.child({ component: 'step-up' }),
    store,
    timers,
    clock: systemClock,
    // Every instance holds the same key (ELEVATE_SIGNIN_KEY, the client secret or the audit key: config-credentials.ts); it never leaves memory.
    verifierKey: config.signInVerifierKey,
  });
  const conversations = new ConversationDirectory(store);
  const powerPlatform = new PowerPlatformClient({ baseUrl: config.powerPlatformApiUrl, http });
  const auditKeys = new HmacAuditKeys(config.audit.keys);
  const sealed = auditLogOf(store, auditKeys.sealer);
  // With telemetry, elevation outcomes and the time to elevated are counted as they are audited.
  const audit = config.applicationInsightsConnectionString ? meteredAuditLog(sealed, store) : sealed;
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
  const approvals = new TeamsApprovalBoard({
    courier: outbox,
    tenantId: config.aad.tenantId,
    store,
    conversations,
    policy,
    logger: logger.child({ component: 'approvals' }),
  });
  outbox.register(APPROVAL_POST_HOOK, (posted, data) => approvals.recordPost(posted, data));
  const breakGlassBoard = new TeamsBreakGlassBoard({
    courier: outbox,
    store,
    ...(policy.breakGlass?.mentionTag ? { mentionTag: policy.breakGlass.mentionTag } : {}),
    logger: logger.child({ component: 'break-glass' }),
  });
  outbox.register(BREAK_GLASS_POST_HOOK, (posted, data) => breakGlassBoard.recordPost(posted, data));
  const presenter = new TeamsElevationPresenter(outbox, conversations, stepUp, logger.child({ component: 'cards' }), config.approvalActivationWindowMinutes);
  const environments = new TenantEnvironments({
    powerPlatform,
    appToken: tokens.forApp(POWER_PLATFORM_RESOURCE),
    ...(policy.environments ? { configured: policy.environments } : {}),
    logger: logger.child({ component: 'environments' }),
  });
  const elevation: ElevationDeps = {
    pim: new GraphPimClient({ baseUrl: config.graphBaseUrl, http, policyCacheMs: config.pimPolicyCacheMs }),
    powerPlatform,
    environments,
    dataverse: new DataverseClient({ http, appToken: (resource) => tokens.forApp(resource) }),
    tokens,
    store,
    audit,
    timers,
    clock: systemClock,
    notifier,
    presenter,
    approvals,
    settings: elevationSettings(config, policy),
    newId: randomUUID,
    logger,
  };
  const signIn = new SignIn(tokens, {
    store,
    fallbackLink: (aadObjectId, text, conversationId) => stepUp.url(aadObjectId, { kind: 'command', text, conversationId }),
    ...(config.devSignIn ? { devSso: simulatorDevSso(config.aad.authorityHost) } : {}),
    logger: logger.child({ component: 'sign-in' }),
  });
  const background = traceBackground(new BackgroundTasks(logger));
  // Power Platform RBAC grants: only with the separate RBAC identity (ELEVATE_RBAC_CLIENT_ID).
  const grants = composeGrants(config, policy, { http, store, courier: outbox, hooks: outbox, conversations, elevation, logger });
  const breakGlass: BreakGlassReviewDeps = {
    ...elevation,
    board: breakGlassBoard,
    securityGroupId: config.securityGroupId,
    repostIntervalMs: config.breakGlassRepostIntervalMs,
  };
  const services: TeamsServices = {
    courier: outbox,
    breakGlass,
    botId: config.bot.id,
    securityGroupId: config.securityGroupId,
    tenantId: config.aad.tenantId,
    elevation,
    ...(grants ? { grants } : {}),
    auditIntegrity,
    signIn,
    stepUp,
    conversations,
    background,
    logger,
    standing: composeStanding({
      config,
      http,
      tokens,
      environments,
      elevation,
      publicUrl,
      logger: logger.child({ component: 'standing-access' }),
      ...(grants ? { grants } : {}),
    }),
    activityExportUrl: (id, format) => `${publicUrl()}/exports/elevation-activity/${id}.${format}`,
  };
  // Leases name this process, not only its instance: two processes never share an owner. Claims of an
  // earlier run of this instance (killed holding them) are given back now rather than after their lease.
  const owner = `${config.instanceId}#${elevation.settings.bootId}`;
  const released = await timers.releaseEarlierRuns(config.instanceId, owner);
  if (released > 0) logger.info({ event: 'timersReleased', count: released }, "timers held by this instance's earlier run given back");
  const scheduler = new TimerScheduler({
    timers,
    clock: systemClock,
    owner,
    // The lifecycle timers, the outbox (and entries of the old channel-post outbox), the periodic audit anchor and housekeeping.
    handlers: traceTimerHandlers(
      {
        ...lifecycleHandlers(elevation),
        [BREAK_GLASS_REVIEW_KIND]: (timer) => postReview(breakGlass, timer),
        ...(grants ? grantTimerHandlers(grants) : {}),
        [OUTBOX_KIND]: (timer) => outbox.deliver(timer),
        [CHANNEL_POST_KIND]: (timer) => notifier.deliver(timer),
        [AUDIT_ANCHOR_KIND]: auditAnchorHandler(auditIntegrity),
        [HOUSEKEEPING_KIND]: housekeepingHandler(elevation),
        [SIGN_IN_EXPIRY_KIND]: (timer) => stepUp.expire(timer),
        [WATCHDOG_KIND]: watchdogHandler(services.standing.deps, config.watchdogIntervalMs, watchdogReporter(services)),
        [DIGEST_KIND]: weeklyDigestHandler(elevation, config.digestSchedule, digestReporter(services)),
        // A running sweep whose process went silent: continued by whichever instance claims its watchdog.
        [SWEEP_WATCHDOG_KIND]: sweepWatchdogHandler(services.standing.deps, (id) => resumeSweep(services.standing.deps, id, sweepRunner(services))),
      },
      systemClock,
    ),
    logger: logger.child({ component: 'timers' }),
    pollMs: config.timerPollMs,
  });
  wake = (due) => scheduler.wakeAt(due);
  const readiness = new Readiness(
    readinessChecks({ store, appToken: tokens.forApp(config.graphResource), ...(config.bot.id ? { botToken: botConnectorToken(config.bot) } : {}) }),
  );
  return { store, services, scheduler, adapter, readiness, presenter, outbox };
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

/** Application Insights when configured, loaded on demand (src/adapters/telemetry/azure-monitor.ts). */
async function startTelemetry(config: Config, logger: Logger): Promise<Telemetry | undefined> {
  if (!config.applicationInsightsConnectionString) return undefined;
  const { startAzureMonitor } = await import('./adapters/telemetry/azure-monitor.js');
  const telemetry = await startAzureMonitor({
    connectionString: config.applicationInsightsConnectionString,
    serviceName: 'elevate',
    instanceId: config.instanceId,
  });
  startLogExport();
  logger.info({ event: 'telemetry' }, 'telemetry to Application Insights started');
  return telemetry;
}

/** The composition root: the only place that reads the environment and wires adapters to ports. */
async function main(): Promise<void> {
  const { config, policy, credential } = readConfiguration();
  const logger = createLogger(config.logLevel);
  const telemetry = await startTelemetry(config, logger);
  if (!config.publicUrl && !config.devSignIn) {
    // Allowed on loopback (tests, a local tenant simulator); behind a reverse proxy Entra cannot reach it.
    logger.warn('ELEVATE_PUBLIC_URL is not set: interactive sign-in (consent, MFA) redirects to the listening address');
  }
  logger.info(
    { event: 'policy', file: config.policyFile ?? null, rules: policy.rules.map((r) => r.name) },
    config.policyFile ? 'Elevate policy loaded' : 'no ELEVATE_POLICY_FILE: no approval, PIM limits only',
  );
  // Issue #18: card approvals of Global Administrator without a fresh strong sign-in are allowed, but said.
  for (const warning of freshSignInWarnings(policy)) logger.warn({ event: 'policyWarning', file: config.policyFile ?? null }, `Elevate policy: ${warning}`);
  // Where Entra sends the interactive sign-in back: ELEVATE_PUBLIC_URL, else the address we listen on.
  let listeningUrl = '';
  const { store, services, scheduler, adapter, readiness, presenter, outbox } = await compose(
    config,
    policy,
    credential,
    logger,
    () => config.publicUrl ?? listeningUrl,
  );
  await prepareAuditLog(services, config, logger);
  await scheduleHousekeeping(services.elevation);
  await scheduleWatchdog(services.elevation, config.watchdogIntervalMs);
  await scheduleWeeklyDigest(services.elevation, config.digestSchedule);
  const server = createServer(
    adapter,
    createApp(services, adapter),
    logger,
    (query, acceptLanguage) => completeInteractiveSignIn(services, query, acceptLanguage),
    {
      refusalLogLimit: config.refusalLogLimit,
    },
  );
  const lifecycle = new HostLifecycle({
    readiness,
    timeoutMs: config.shutdownTimeoutMs,
    logger: logger.child({ component: 'lifecycle' }),
    onRequestEnded: recordRequest,
    work: {
      stopTimers: () => scheduler.stop(),
      releaseTimers: () => scheduler.release(),
      // The work after a tap, then the card updates it queued (sent after it, never awaited by it).
      drainBackground: async () => {
        await services.background.drain();
        await presenter.settled();
        // The messages that work queued go out now (within the shutdown bound) rather than with the next instance.
        await outbox.flush(() => scheduler.runDueNow(), Date.now() + config.shutdownTimeoutMs);
      },
      close: async () => {
        server.close();
        server.flushRefusals();
        await telemetry?.shutdown();
        await store.close();
      },
    },
  });
  // Before routing: new activities are refused while draining; /readyz beside /healthz.
  server.pre(lifecycle.gate);
  server.get('/readyz', lifecycle.readyz);
  server.get(EXPORT_PATH, exportDownload(services.standing.deps));
  server.get(ACTIVITY_EXPORT_PATH, activityDownload(services.elevation));
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
    services.background.run('resume confirmed sweeps', async () => {
      const resumed = await resumeSweeps(services.standing.deps, sweepRunner(services));
      if (resumed > 0) logger.info({ event: 'sweepsResumed', count: resumed }, 'unfinished sweeps continued after start');
    });
  });
  exitOnSignals(lifecycle, logger, config.shutdownTimeoutMs);
}

main().catch((error: unknown) => {
  process.stderr.write(`Elevate failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
