import { randomUUID } from 'node:crypto';
import type { Subject } from '../entra/tokens.js';
import type { ServiceName } from './http.js';
import type { KeySet } from './keys.js';
import { seedTenant } from '../tenant/seed.js';
import type { TenantModel } from '../tenant/model.js';

export interface Settings {
  /** How long after a selfActivate the assignment instance appears (PIM provisioning). */
  activationDelayMs: number;
  /** How long after activation Power Platform honours the role (applyAdminRole). */
  propagationDelayMs: number;
  /** Added to real time for every time the simulator reads or writes. */
  clockOffsetMs: number;
  /**
   * Teams' rate limits on the connector, per bot per conversation (7 per 1 s, 8 per 2 s, 60 per 30 s,
   * 1,800 per hour) and per app (50 per second), with every window multiplied by this: 1 (the default)
   * is Teams, 0.05 a test's twentyfold faster Teams, 0 no limits.
   */
  connectorRateScale: number;
  /**
   * "Microsoft removes your System Administrator role when role assignment expires in Privileged
   * Identity Management, usually after a short duration" (manage-high-privileged-admin-roles, docs/api-contracts.md §8):
   * this long after a user's last admin-role activation ended, the System Administrator role that
   * applyAdminRole gave them is removed. The delay is not documented [?]; -1 (the default) turns it off.
   */
  systemAdministratorRemovalAfterPimEndMs: number;
  /** The device code flow's `interval`: seconds a client waits between polls (Entra's example answers 5). */
  deviceCodeIntervalSeconds: number;
  /**
   * Dataverse service protection limit on the number of requests (learn.microsoft.com/power-apps/developer/
   * data-platform/api-limits): 6,000 requests per user (here: per caller and environment) in a sliding 300-second
   * window, then 429 with `Retry-After`. 0 turns it off; tests lower it to see throttling quickly.
   */
  dataverseRequestsPerWindow: number;
  dataverseWindowMs: number;
  /**
   * A `selfActivate` whose `scheduleInfo.startDateTime` is at or after the end of the user's running activation
   * of the same role (issue #16's extension). PIM documents a custom start time ("The Microsoft Entra role would be
   * activated after the selected time", pim-how-to-activate-role [D]) and `RoleAssignmentExists` for a role already
   * active, but not whether a start after the current end counts as "exists" [?, docs/api-contracts.md §2.1]:
   * `refuse` (the default) answers RoleAssignmentExists, `accept` schedules it.
   */
  activationAfterCurrentEnd: 'refuse' | 'accept';
}

export const DEFAULT_SETTINGS: Settings = {
  activationDelayMs: 0,
  propagationDelayMs: 0,
  clockOffsetMs: 0,
  connectorRateScale: 1,
  systemAdministratorRemovalAfterPimEndMs: -1,
  deviceCodeIntervalSeconds: 5,
  dataverseRequestsPerWindow: 6000,
  dataverseWindowMs: 300_000,
  activationAfterCurrentEnd: 'refuse',
};

export interface TokenSummary {
  aud?: unknown;
  scp?: unknown;
  roles?: unknown;
  oid?: unknown;
  appid?: unknown;
  idtyp?: unknown;
  tid?: unknown;
  amr?: unknown;
  acrs?: unknown;
}

export interface RecordedRequest {
  /** 1, 2, 3…: `GET /_control/requests?since=<seq>` reads only newer entries (the log keeps the last 5000). */
  seq: number;
  at: string;
  service: ServiceName;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  token: TokenSummary | null;
}

export interface Fault {
  service: ServiceName;
  method?: string;
  pathIncludes?: string;
  pathEndsWith?: string;
  /** Absent with `delayMs`: delay, then answer normally. */
  status?: number;
  times: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  body?: unknown;
  dropConnection?: boolean;
  /** The request is handled first; only its answer is replaced by the fault. */
  afterHandling?: boolean;
}

export interface RecordedActivity {
  id: string;
  conversationId: string;
  replyToId: string | null;
  activity: Record<string, unknown>;
  updates: Record<string, unknown>[];
  deleted: boolean;
}

/** What an on-behalf-of refresh token stands for (never the token itself in the tenant model). */
export interface RefreshGrant {
  clientId: string;
  tenantId: string;
  subject: Subject;
  expiresAt: number;
}

/** What an authorization code of the interactive sign-in stands for (tests/simulator/entra/authorize.ts). */
export interface AuthorizationCodeGrant {
  clientId: string;
  tenantId: string;
  redirectUri: string;
  scope: string;
  /** The user and what the sign-in satisfied (`amr` with `mfa`, `acrs`). */
  subject: Subject;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
}

/** A device code sign-in (tests/simulator/entra/device-code.ts), until it is redeemed or expires. */
export interface DeviceCodeGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  tenantId: string;
  /** The `scope` of the device code request: the token is issued for it. */
  scope: string;
  expiresAt: number;
  status: 'pending' | 'approved' | 'declined' | 'redeemed';
  /** Who approved it (set with `approved`). */
  subject?: Subject;
}

/** Everything mutable: the tenant plus the simulator's own records. */
export class SimulatorState {
  tenant!: TenantModel;
  settings: Settings = { ...DEFAULT_SETTINGS };
  requests: RecordedRequest[] = [];
  requestSeq = 0;
  faults: Fault[] = [];
  activities: RecordedActivity[] = [];
  refreshTokens = new Map<string, RefreshGrant>();
  authorizationCodes = new Map<string, AuthorizationCodeGrant>();
  deviceCodes = new Map<string, DeviceCodeGrant>();
  /** Connector post times per conversation (rate limit). */
  /** Connector calls that count against the rate limits: per conversation, and under '' for the whole app. */
  postTimes = new Map<string, number[]>();
  /** When a user's admin-role activation was deactivated (selfDeactivate removes the instance). */
  adminRoleEndedAt = new Map<string, number>();
  /** Dataverse request times per environment and caller (service protection limits). */
  dataverseCalls = new Map<string, number[]>();
  private lastMessageId = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.tenant = seedTenant();
    this.settings = { ...DEFAULT_SETTINGS };
    this.requests = [];
    this.faults = [];
    this.activities = [];
    this.refreshTokens.clear();
    this.authorizationCodes.clear();
    this.deviceCodes.clear();
    this.postTimes.clear();
    this.adminRoleEndedAt.clear();
    this.dataverseCalls.clear();
  }

  now(): number {
    return Date.now() + this.settings.clockOffsetMs;
  }

  nowIso(offsetMs = 0): string {
    return new Date(this.now() + offsetMs).toISOString();
  }

  /** Teams message ids: epoch milliseconds as text, unique and increasing. */
  nextMessageId(): string {
    this.lastMessageId = Math.max(this.now(), this.lastMessageId + 1);
    return String(this.lastMessageId);
  }
}

/** What every handler gets. */
export interface SimContext {
  state: SimulatorState;
  keys: KeySet;
  /** `https://127.0.0.1:PORT`, no trailing slash. */
  baseUrl: string;
}

export function newId(): string {
  return randomUUID();
}
