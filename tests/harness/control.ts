import { JsonClient } from './https.js';
import { recordSecret } from './suite-record.js';

/**
 * Typed wrappers for the simulator's control API (tests/simulator/README.md, "Control API").
 * Tokens returned here stay in the test's memory; the simulator's request log holds decoded
 * claims only.
 */
export type SimulatedService = 'entra' | 'managedidentity' | 'graph' | 'powerplatform' | 'dataverse' | 'connector';

export interface SsoTokenOptions {
  expiresInSeconds?: number;
  audience?: string;
  /** Extra claims, e.g. `{ acrs: ['c1'] }` after a step-up. */
  claims?: Record<string, unknown>;
}

export interface ChannelTokenOptions {
  serviceUrl: string;
  audience?: string;
  /** Negative values mint an already expired token. */
  expiresInSeconds?: number;
  /** Seconds from now until the token is valid (`nbf`); default: valid now. */
  notBeforeSeconds?: number;
  channelId?: string;
  /** Negative tests: claims added or replaced in a genuinely signed token; `null` leaves one out. */
  claims?: Record<string, unknown>;
}

export interface RecordedRequest {
  /** Increasing per request; `requests(service, since)` reads only newer ones. */
  seq: number;
  at: string;
  service: SimulatedService;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  /** Decoded claims of the bearer token, never the token. */
  token: {
    aud?: string;
    scp?: string;
    roles?: string[];
    oid?: string;
    appid?: string;
    idtyp?: string;
    tid?: string;
    amr?: string[];
    acrs?: string[];
  } | null;
}

/** A Bot Framework activity as the bot sent it to the connector (loosely typed on purpose). */
export interface BotActivity {
  type?: string;
  id?: string;
  text?: string;
  replyToId?: string;
  conversation?: { id?: string; [key: string]: unknown };
  attachments?: { contentType: string; content?: unknown; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface RecordedActivity {
  id: string;
  conversationId: string;
  replyToId?: string | null;
  /** The latest version. */
  activity: BotActivity;
  /** Every update (PUT) in order, the latest last. */
  updates: BotActivity[];
  deleted: boolean;
}

export interface FaultSpec {
  service: SimulatedService;
  method?: string;
  pathIncludes?: string;
  /** Only paths ending so, e.g. `/v3/conversations` (new conversations, not their activities). */
  pathEndsWith?: string;
  /** Absent: delay (`delayMs`) or drop (`dropConnection`), otherwise answer normally. */
  status?: number;
  times?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  body?: unknown;
  dropConnection?: boolean;
  /** The service acts on the request; only its answer is replaced (a lost answer). */
  afterHandling?: boolean;
}

export interface SimulatorSettings {
  activationDelayMs?: number;
  propagationDelayMs?: number;
  clockOffsetMs?: number;
  /** Teams' connector rate limits with windows multiplied by this (1 = Teams, the default; 0 = off). */
  connectorRateScale?: number;
  /** Microsoft's own removal of System Administrator after a PIM activation ends; -1 = off. */
  systemAdministratorRemovalAfterPimEndMs?: number;
  /** PIM's answer to an activation starting at the current one's end (issue #16; [?], docs/api-contracts.md §2.1). */
  activationAfterCurrentEnd?: 'refuse' | 'accept';
  /** Seconds a device code client waits between polls (Entra's default 5). */
  deviceCodeIntervalSeconds?: number;
}

/** A device code sign-in waiting for its user (never the device code itself). */
export interface PendingDeviceCode {
  userCode: string;
  clientId: string;
  scope: string;
  expiresAt: string;
  status: 'pending' | 'approved' | 'declined' | 'redeemed';
}

/** The whole tenant model; its shape belongs to the simulator, so it is left open here. */
export type TenantModel = Record<string, unknown>;

/** Accepts a bare array or an object wrapping one (`value`, or the name of the collection). */
function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const list = record[key] ?? record['value'];
    if (Array.isArray(list)) return list as T[];
  }
  throw new Error(`control API: expected a list of ${key}, got ${JSON.stringify(body)?.slice(0, 200)}`);
}

function tokenOf(body: unknown, what: string): string {
  const token = (body as { token?: unknown } | undefined)?.token;
  if (typeof token !== 'string' || token === '') throw new Error(`control API: ${what} answered without a token`);
  recordSecret(token);
  return token;
}

export class ControlClient {
  readonly http: JsonClient;

  constructor(baseUrl: string, ca?: string | Buffer) {
    this.http = new JsonClient(baseUrl, ca);
  }

  async reset(): Promise<void> {
    await this.http.post('/_control/reset');
  }

  getTenant<T = TenantModel>(): Promise<T> {
    return this.http.get<T>('/_control/tenant');
  }

  async putTenant(model: unknown): Promise<void> {
    await this.http.put('/_control/tenant', model);
  }

  /** Reads the tenant, lets `change` edit it in place (or return a new one) and writes it back. */
  async updateTenant<T = TenantModel>(change: (model: T) => T | void): Promise<T> {
    const model = await this.getTenant<T>();
    const next = change(model) ?? model;
    await this.putTenant(next);
    return next;
  }

  async ssoToken(userId: string, options: SsoTokenOptions = {}): Promise<string> {
    return tokenOf(await this.http.post('/_control/sso-token', { userId, ...options }), 'sso-token');
  }

  async channelToken(options: ChannelTokenOptions): Promise<string> {
    return tokenOf(await this.http.post('/_control/channel-token', options), 'channel-token');
  }

  /** Requests the simulator received (the last 5000), oldest first; `since` leaves out those up to that `seq`. */
  async requests(service?: SimulatedService, since?: number): Promise<RecordedRequest[]> {
    const params = new URLSearchParams({ ...(service ? { service } : {}), ...(since !== undefined ? { since: String(since) } : {}) }).toString();
    return listOf<RecordedRequest>(await this.http.get(`/_control/requests${params ? `?${params}` : ''}`), 'requests');
  }

  async activities(conversationId?: string): Promise<RecordedActivity[]> {
    const query = conversationId ? `?conversationId=${encodeURIComponent(conversationId)}` : '';
    return listOf<RecordedActivity>(await this.http.get(`/_control/activities${query}`), 'activities');
  }

  async fault(spec: FaultSpec): Promise<void> {
    await this.http.post('/_control/faults', spec);
  }

  deviceCodes(): Promise<PendingDeviceCode[]> {
    return this.http.get<PendingDeviceCode[]>('/_control/device-codes');
  }

  /** Plays the person at the device login page: signs `userId` (object id, UPN or seed name, e.g. `patti`) in, or declines. */
  async decideDeviceCode(userCode: string, userId: string, options: { decline?: boolean; mfa?: boolean } = {}): Promise<void> {
    await this.http.post('/_control/device-codes', { userCode, userId, ...options });
  }

  async settings(settings: SimulatorSettings): Promise<void> {
    await this.http.put('/_control/settings', settings);
  }
}
