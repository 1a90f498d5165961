import pino from 'pino';
import { PERMISSIVE_POLICY, type ElevatePolicy } from '../../../src/domain/elevate-policy.js';
import { DataverseClient } from '../../../src/adapters/dataverse/dataverse-client.js';
import { GraphPimClient } from '../../../src/adapters/graph/graph-pim-client.js';
import { HttpClient } from '../../../src/adapters/http/http-client.js';
import { MsalTokenBroker, POWER_PLATFORM_RESOURCE } from '../../../src/adapters/identity/msal-token-broker.js';
import { TenantEnvironments } from '../../../src/adapters/power-platform/tenant-environments.js';
import { PowerPlatformClient } from '../../../src/adapters/power-platform/power-platform-client.js';
import { SqliteElevationStore } from '../../../src/adapters/store/sqlite-elevation-store.js';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { ApprovalBoard } from '../../../src/ports/approval-board.js';
import type { ElevationPresenter } from '../../../src/ports/elevation-presenter.js';
import type { Notifier } from '../../../src/ports/notifier.js';
import type { TimerStore } from '../../../src/ports/timer-store.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET, AAD_APP_ID_URI, TENANT_ID } from '../../simulator/tenant/seed.js';
import type { SimulatorFixture } from '../simulator-fixture.js';
import { trustingFetch } from './trusting-fetch.js';
import { testAuditKeys } from '../../support/audit-keys.js';

/** What the fake presenter and notifier were asked to do. */
export interface Told {
  reminders: { id: string; minutesLeft: number }[];
  ended: ElevationRecord[];
  channel: ElevationRecord[];
  alerts: string[];
  /** Records the requester was sent a new message about (approved / denied). */
  told: ElevationRecord[];
  /** Approval cards: records published to approvers, and every refresh. */
  approvalCards: { published: ElevationRecord[]; refreshed: ElevationRecord[] };
  /** Records whose requester was asked to sign in again (a wait for Power Platform without their token). */
  signInAsked: ElevationRecord[];
}

export interface InProcessOptions {
  /** SQLite file shared by several instances (a restart); default a fresh in-memory store. */
  storePath?: string;
  policy?: ElevatePolicy;
  instanceId?: string;
  /** This process's boot of the instance (a restart gets another). */
  bootId?: string;
}

/**
 * Elevate's use cases in this process on the production adapters (msal-node, Graph, Power Platform,
 * Dataverse clients, SQLite store) against the in-process simulator, with a clock that moves the
 * simulator's clock along. Only Teams is replaced, by recording fakes.
 */
export class InProcessElevate {
  readonly told: Told = { reminders: [], ended: [], channel: [], alerts: [], told: [], approvalCards: { published: [], refreshed: [] }, signInAsked: [] };
  readonly deps: ElevationDeps;
  readonly tokens: MsalTokenBroker;
  readonly timers: TimerStore;
  readonly store: SqliteElevationStore;
  private offsetMs = 0;
  /** Replaced when the clock moves: tokens msal-node cached would have expired by then. */
  private app: ReturnType<SimulatorFixture['app']>;

  constructor(
    private readonly fixture: SimulatorFixture,
    options: InProcessOptions = {},
  ) {
    const sim = fixture.sim;
    this.app = fixture.elevateApp();
    const http = new HttpClient({ fetch: trustingFetch(sim.ca), sleep: async () => undefined });
    const clock: Clock = { now: () => new Date(Date.now() + this.offsetMs), sleep: async () => undefined };
    this.tokens = new MsalTokenBroker({
      clientId: AAD_APP_CLIENT_ID,
      credential: { clientSecret: AAD_APP_CLIENT_SECRET },
      tenantId: TENANT_ID,
      authorityHost: sim.baseUrl,
      ssoAudience: [AAD_APP_CLIENT_ID, AAD_APP_ID_URI],
      http,
      confidentialClient: {
        acquireTokenOnBehalfOf: (request) => this.app.acquireTokenOnBehalfOf(request),
        acquireTokenByClientCredential: (request) => this.app.acquireTokenByClientCredential(request),
        getAuthCodeUrl: (request) => this.app.getAuthCodeUrl(request),
        acquireTokenByCode: (request) => this.app.acquireTokenByCode(request),
        clearCache: () => this.app.clearCache(),
      },
      now: () => clock.now().getTime(),
    });
    const store = SqliteElevationStore.open(options.storePath ?? ':memory:');
    this.store = store;
    const timers = store.timers(clock);
    this.timers = timers;
    const told = this.told;
    const presenter: ElevationPresenter = {
      show: async () => undefined,
      remind: async (record, minutesLeft) => void told.reminders.push({ id: record.id, minutesLeft }),
      ended: async (record) => void told.ended.push(record),
      tell: async (record) => void told.told.push(record),
      askToSignIn: async (record) => void told.signInAsked.push(record),
      scheduleNotice: async (record) => void told.told.push(record),
    };
    const approvals: ApprovalBoard = {
      publish: async (record) => void told.approvalCards.published.push(record),
      publishPim: async (record) => void told.approvalCards.published.push(record),
      refresh: async (record) => void told.approvalCards.refreshed.push(record),
    };
    const notifier: Notifier = {
      elevationChanged: async (record) => (told.channel.push(record), true),
      alert: async (_record, alert) => (
        told.alerts.push(
          alert.kind === 'cleanupFailing' ? `${alert.kind} after ${alert.attempts} attempts: ${alert.error}` : `${alert.kind} from ${alert.from}`,
        ),
        true
      ),
      approvalChanged: async (record) => (told.channel.push(record), true),
      auditAnchor: async (anchor) => (told.alerts.push(`anchor ${anchor.seq}:${anchor.hash}`), true),
      auditAlert: async (alert) => (told.alerts.push(`${alert.kind} at #${alert.seq}`), true),
      reminder: async (record) => (told.channel.push(record), true),
    };
    const powerPlatform = new PowerPlatformClient({ baseUrl: `${sim.baseUrl}/powerplatform`, http });
    this.deps = {
      pim: new GraphPimClient({ baseUrl: `${sim.baseUrl}/graph`, http }),
      powerPlatform,
      environments: new TenantEnvironments({ powerPlatform, appToken: this.tokens.forApp(POWER_PLATFORM_RESOURCE) }),
      dataverse: new DataverseClient({ http, appToken: (resource) => this.tokens.forApp(resource) }),
      tokens: this.tokens,
      store,
      audit: store.auditLog(testAuditKeys().sealer),
      timers,
      clock,
      notifier,
      presenter,
      approvals,
      settings: {
        policy: options.policy ?? PERMISSIVE_POLICY,
        roleIds: ['11648597-926c-4cf3-9c36-bcebb0ba8dcc', '44367163-eba1-44c3-98af-f5787879f96a', '62e90394-69f5-4237-9190-012177145e10'],
        minJustificationLength: 10,
        activationTimeoutMs: 60_000,
        activationPollMs: 0,
        propagationWindowMs: 60_000,
        propagationRetryMs: 1,
        instanceId: options.instanceId ?? 'test',
        bootId: options.bootId ?? 'boot-1',
        reminderMinutes: [15, 5],
        cleanupAlertAfterAttempts: 3,
        approvalActivationWindowMinutes: 60,
        graphResource: 'https://graph.microsoft.com',
      },
      newId: () => `elev-${Math.random().toString(36).slice(2, 10)}`,
      logger: pino({ level: 'silent' }),
    };
  }

  /** Moves Elevate's and the simulator's clocks forward together. */
  advance(minutes: number): void {
    this.offsetMs += minutes * 60_000;
    this.fixture.sim.state.settings.clockOffsetMs = this.offsetMs;
    this.app = this.fixture.app();
  }

  async signIn(userId: string): Promise<void> {
    await this.tokens.acceptSsoToken(await this.fixture.ssoToken(userId, { expiresInSeconds: 24 * 3600 }));
  }
}
