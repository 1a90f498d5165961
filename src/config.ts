import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { GRAPH_COMMAND_LINE_TOOLS_CLIENT_ID } from './cli/doctor/operator-scopes.js';
import { parseRateLimits, TEAMS_RATE_LIMITS } from './domain/rate-limits.js';
import {
  appCredential,
  checkBotPassword,
  CredentialConfigProblem,
  parseSignInKey,
  signInVerifierKey,
  TOKEN_EXCHANGE_AUDIENCE,
  type BotType,
} from './config-credentials.js';
import { SELF_ELEVATION_ROLES } from './domain/roles.js';
import { parseWeeklySchedule, type WeeklySchedule } from './domain/weekly-schedule.js';
import { rbacIdentity } from './config-rbac.js';

/**
 * The only reader of the environment. `loadConfig(process.env)` runs once in `main.ts`, validates
 * everything and fails fast naming the bad variable. Secrets stay in this object and are never logged.
 */
export type { AppCredentialConfig, BotType } from './config-credentials.js';

/**
 * The validated configuration: the type is what `loadConfig` builds from the schema below, so the
 * schema, the object and its type cannot drift apart. Secrets stay in this object and are never logged.
 */
export type Config = ReturnType<typeof buildConfig>;

/** One audit key: the id recorded in the entries it seals, and its secret. */
export interface AuditKeyConfig {
  id: string;
  secret: Buffer;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const guid = z.string().trim().regex(GUID, 'must be a GUID');
const httpsUrl = z
  .string()
  .trim()
  .url('must be a URL')
  .refine((v) => v.startsWith('https://'), 'must be an https:// URL')
  .transform((v) => v.replace(/\/+$/, ''));
const positiveInt = (fallback: number) =>
  optionalText.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a non-negative integer' });
      return z.NEVER;
    }
    return n;
  });

/** `7/1s,8/2s,…` (domain/rate-limits.ts); absent: Teams' own limits. */
const rateLimits = optionalText.pipe(
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      try {
        return text === undefined ? TEAMS_RATE_LIMITS : parseRateLimits(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
);

const schema = z.object({
  HOST: optionalText.default('0.0.0.0'),
  PORT: positiveInt(3978),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BOT_ID: optionalText.pipe(guid.optional()),
  BOT_PASSWORD: optionalText,
  BOT_TENANT_ID: optionalText.pipe(guid.optional()),
  BOT_TYPE: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { errorMap: () => ({ message: 'must be MultiTenant, SingleTenant or UserAssignedMSI' }) })
    .default('MultiTenant'),
  BOT_OPENID_METADATA_URL: optionalText.default('https://login.botframework.com/v1/.well-known/openidconfiguration'),
  BOT_TOKEN_ISSUER: optionalText.default('https://api.botframework.com'),
  BOT_LOGIN_URL: optionalText.pipe(httpsUrl.optional()),
  AAD_APP_CLIENT_ID: guid,
  AAD_APP_CLIENT_SECRET: optionalText,
  AAD_APP_CLIENT_CERTIFICATE_PATH: optionalText,
  AAD_APP_FEDERATED_MSI_CLIENT_ID: optionalText.pipe(guid.optional()),
  AAD_APP_FEDERATED_AUDIENCE: optionalText.default(TOKEN_EXCHANGE_AUDIENCE),
  AAD_APP_TENANT_ID: guid,
  AAD_APP_OAUTH_AUTHORITY_HOST: optionalText.default('https://login.microsoftonline.com').pipe(httpsUrl),
  AAD_APP_ID_URI: optionalText,
  GRAPH_BASE_URL: optionalText.default('https://graph.microsoft.com').pipe(httpsUrl),
  GRAPH_RESOURCE: optionalText.default('https://graph.microsoft.com').pipe(httpsUrl),
  POWER_PLATFORM_API_URL: optionalText.default('https://api.powerplatform.com').pipe(httpsUrl),
  ELEVATE_STORE: optionalText.default('sqlite:./data/elevate.db'),
  AZURE_CLIENT_ID: optionalText.pipe(guid.optional()),
  SECURITY_GROUP_ID: guid,
  ELEVATE_ROLES: optionalText,
  ELEVATE_MIN_JUSTIFICATION_LENGTH: positiveInt(10),
  ELEVATE_ACTIVATION_TIMEOUT_SECONDS: positiveInt(300),
  ELEVATE_ACTIVATION_POLL_MS: positiveInt(2000),
  ELEVATE_PROPAGATION_WINDOW_MINUTES: positiveInt(120),
  ELEVATE_PIM_POLICY_CACHE_SECONDS: positiveInt(60),
  ELEVATE_PROPAGATION_RETRY_SECONDS: positiveInt(5),
  ELEVATE_INSTANCE_ID: optionalText,
  /** Set by App Service on each instance. */
  WEBSITE_INSTANCE_ID: optionalText,
  ELEVATE_REMINDER_MINUTES: optionalText,
  ELEVATE_POLICY_FILE: optionalText,
  ELEVATE_PUBLIC_URL: optionalText.pipe(z.string().url('must be a URL').optional()),
  ELEVATE_TIMER_POLL_SECONDS: positiveInt(15),
  ELEVATE_RBAC_ASSIGN_ATTEMPTS: positiveInt(5).refine((n) => n >= 1, 'must be 1 or more (0 would never try)'),
  ELEVATE_APPROVAL_ACTIVATION_WINDOW_MINUTES: positiveInt(60),
  ELEVATE_DEV_SIGNIN: z.enum(['true', 'false', '']).optional(),
  ELEVATE_AUDIT_KEYS: optionalText,
  ELEVATE_AUDIT_ANCHOR_MINUTES: positiveInt(60),
  ELEVATE_DOCTOR_CLIENT_ID: optionalText.pipe(guid.optional()),
  ELEVATE_REFUSAL_LOG_LIMIT: positiveInt(10),
  ELEVATE_OUTBOX_RATE_LIMITS: rateLimits,
  ELEVATE_SIGNIN_KEY: optionalText,
  ELEVATE_SHUTDOWN_TIMEOUT_SECONDS: positiveInt(25),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
  ELEVATE_RBAC_CLIENT_ID: optionalText.pipe(guid.optional()),
  ELEVATE_RBAC_CLIENT_SECRET: optionalText,
  ELEVATE_RBAC_CLIENT_CERTIFICATE_PATH: optionalText,
  ELEVATE_RBAC_FEDERATED_MSI_CLIENT_ID: optionalText.pipe(guid.optional()),
  ELEVATE_WATCHDOG_INTERVAL: optionalText,
  ELEVATE_BREAK_GLASS_REPOST_INTERVAL: optionalText,
  ELEVATE_STANDING_CONCURRENCY: positiveInt(4),
  ELEVATE_DIGEST_SCHEDULE: optionalText,
});

type Env = Record<string, string | undefined>;

const INTERVAL_UNITS_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 60 * 60_000, d: 24 * 60 * 60_000 };

/** `30s`, `15m`, `24h`, `7d`, or `0` (off); absent: `fallbackMs`. */
function parseInterval(name: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  if (value.trim() === '0') return 0;
  const match = /^(\d{1,6})\s*([smhd])$/i.exec(value.trim());
  if (!match) throw new ConfigError(name, 'must be a number and a unit (s, m, h, d), e.g. 24h; 0 turns it off');
  return Number(match[1]) * INTERVAL_UNITS_MS[match[2]!.toLowerCase()]!;
}

/** `mon 08:00` (UTC) by default; `off` (or `0`) turns the weekly digest off. */
function parseDigestSchedule(value: string | undefined): WeeklySchedule | undefined {
  if (value === undefined) return { day: 1, second: 8 * 3600 };
  if (['off', '0'].includes(value.trim().toLowerCase())) return undefined;
  const schedule = parseWeeklySchedule(value);
  if (!schedule) throw new ConfigError('ELEVATE_DIGEST_SCHEDULE', 'must be a weekday and a UTC time, e.g. "mon 08:00" (or off)');
  return schedule;
}

function firstIssue(error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  const message = issue?.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : (issue?.message ?? 'is invalid');
  return new ConfigError(variable, message.startsWith('must') || message.startsWith('is') ? message : `is invalid: ${message}`);
}

function parseRoles(value: string | undefined): string[] {
  if (value === undefined) return SELF_ELEVATION_ROLES.map((r) => r.id);
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids) {
    if (!SELF_ELEVATION_ROLES.some((r) => r.id === id)) {
      throw new ConfigError('ELEVATE_ROLES', `contains ${id}, which is not a role that grants Power Platform self-elevation`);
    }
  }
  if (ids.length === 0) throw new ConfigError('ELEVATE_ROLES', 'must list at least one role id');
  return ids;
}

function parseMinutesList(value: string | undefined): number[] {
  if (value === undefined) return [15, 5];
  const minutes = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (minutes.some((m) => !Number.isInteger(m) || m <= 0 || m > 24 * 60))
    throw new ConfigError('ELEVATE_REMINDER_MINUTES', 'must be a comma-separated list of minutes, e.g. 15,5');
  return [...new Set(minutes)].sort((a, b) => b - a);
}

const AUDIT_KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** HMAC-SHA256 keys shorter than the hash add nothing but risk (RFC 2104 section 3). */
const MIN_AUDIT_KEY_BYTES = 32;

/**
 * `ELEVATE_AUDIT_KEYS`: `keyId:base64secret[,keyId:base64secret...]`, newest first. The first key
 * seals new entries; the others only verify the entries they sealed (key rotation: put the new key
 * first, keep the old ones). Also used by `npm run audit -- --verify`.
 */
export function parseAuditKeys(value: string, variable = 'ELEVATE_AUDIT_KEYS'): AuditKeyConfig[] {
  const keys: AuditKeyConfig[] = [];
  for (const item of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = item.indexOf(':');
    const id = item.slice(0, Math.max(0, colon));
    const encoded = item.slice(colon + 1);
    if (!AUDIT_KEY_ID.test(id)) throw new ConfigError(variable, 'must list keyId:base64secret pairs; a key id is 1-32 letters, digits, ".", "_" or "-"');
    if (!BASE64.test(encoded)) throw new ConfigError(variable, `has a secret for key "${id}" that is not base64`);
    // Node's base64 decoder also takes the URL-safe alphabet (nodejs.org/api/buffer.html, "base64").
    const secret = Buffer.from(encoded, 'base64');
    if (secret.length < MIN_AUDIT_KEY_BYTES) throw new ConfigError(variable, `has a secret for key "${id}" shorter than ${MIN_AUDIT_KEY_BYTES} bytes`);
    if (keys.some((k) => k.id === id)) throw new ConfigError(variable, `lists key "${id}" twice`);
    keys.push({ id, secret });
  }
  if (keys.length === 0) throw new ConfigError(variable, 'must list at least one keyId:base64secret');
  return keys;
}

/**
 * The development audit key (id `dev`) when ELEVATE_AUDIT_KEYS is not set on a loopback host:
 * derived from the app's client secret, so it is not in the store, but it changes with that
 * secret. Deployments must set ELEVATE_AUDIT_KEYS.
 */
export function developmentAuditKey(clientSecret: string): AuditKeyConfig {
  return { id: 'dev', secret: createHash('sha256').update(`elevate audit development key\u0000${clientSecret}`).digest() };
}

/**
 * The keys `npm run audit -- --verify` checks with: ELEVATE_AUDIT_KEYS, else the development key
 * when AAD_APP_CLIENT_SECRET is set (a developer's shell). Throws ConfigError naming the variable.
 */
export function verificationAuditKeys(env: Env): { keys: AuditKeyConfig[]; developmentKey: boolean } {
  const listed = env.ELEVATE_AUDIT_KEYS?.trim();
  if (listed) return { keys: parseAuditKeys(listed), developmentKey: false };
  const secret = env.AAD_APP_CLIENT_SECRET;
  if (!secret)
    throw new ConfigError('ELEVATE_AUDIT_KEYS', 'is required to verify: the keys the bot seals the audit log with (keyId:base64secret, newest first)');
  return { keys: [developmentAuditKey(secret)], developmentKey: true };
}

/** The audit keys (newest, the one that seals, first; never in the store) and the anchor interval. */
export interface AuditSettings {
  keys: AuditKeyConfig[];
  /** True when no ELEVATE_AUDIT_KEYS was given and the development key was derived (loopback only). */
  developmentKey: boolean;
  /** Minutes between anchors posted to the security channel; 0: only on demand. */
  anchorMinutes: number;
}

function auditSettings(env: z.infer<typeof schema>): AuditSettings {
  const anchorMinutes = env.ELEVATE_AUDIT_ANCHOR_MINUTES;
  if (anchorMinutes > 7 * 24 * 60) throw new ConfigError('ELEVATE_AUDIT_ANCHOR_MINUTES', 'must be at most 10080 (a week); 0 turns periodic anchors off');
  if (env.ELEVATE_AUDIT_KEYS) return { keys: parseAuditKeys(env.ELEVATE_AUDIT_KEYS), developmentKey: false, anchorMinutes };
  if (!LOOPBACK.has(env.HOST)) {
    throw new ConfigError('ELEVATE_AUDIT_KEYS', `is required when HOST is ${env.HOST}: keyId:base64secret (32 random bytes), the key that seals the audit log`);
  }
  if (!env.AAD_APP_CLIENT_SECRET) {
    throw new ConfigError('ELEVATE_AUDIT_KEYS', 'is required when Elevate has no client secret (the development key is derived from it)');
  }
  return { keys: [developmentAuditKey(env.AAD_APP_CLIENT_SECRET)], developmentKey: true, anchorMinutes };
}

function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Entra redirects the interactive sign-in (consent, MFA, authentication context) to
 * `<ELEVATE_PUBLIC_URL>/auth/callback`. Listening beyond loopback means a deployment: the listening
 * address is not what Entra can reach, so the public URL is required, and must be https (Entra
 * accepts http redirect URIs for localhost only).
 */
function checkPublicUrl(env: z.infer<typeof schema>): void {
  if (LOOPBACK.has(env.HOST)) return;
  if (!env.ELEVATE_PUBLIC_URL)
    throw new ConfigError('ELEVATE_PUBLIC_URL', `is required when HOST is ${env.HOST} (the https address Entra redirects sign-ins to)`);
  if (!env.ELEVATE_PUBLIC_URL.startsWith('https://')) throw new ConfigError('ELEVATE_PUBLIC_URL', 'must be an https URL');
}

/** Refuses the development sign-in anywhere but against a loopback simulator with inbound auth off. */
function checkDevSignIn(env: z.infer<typeof schema>): boolean {
  if (env.ELEVATE_DEV_SIGNIN !== 'true') {
    if (!env.BOT_ID) throw new ConfigError('BOT_ID', 'is required (inbound JWT validation cannot be turned off outside development sign-in)');
    checkBotPassword(env.BOT_TYPE, env.BOT_PASSWORD);
    return false;
  }
  if (env.BOT_ID) throw new ConfigError('ELEVATE_DEV_SIGNIN', 'is only allowed with an empty BOT_ID (Agents Playground, no Bot Framework auth)');
  if (!isLoopbackUrl(env.AAD_APP_OAUTH_AUTHORITY_HOST)) {
    throw new ConfigError('ELEVATE_DEV_SIGNIN', 'is only allowed when AAD_APP_OAUTH_AUTHORITY_HOST is a loopback tenant simulator');
  }
  if (!LOOPBACK.has(env.HOST)) throw new ConfigError('ELEVATE_DEV_SIGNIN', 'is only allowed when HOST is a loopback address');
  return true;
}

export function loadConfig(env: Env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw firstIssue(parsed.error);
  const e = parsed.data;
  try {
    const devSignIn = checkDevSignIn(e);
    checkPublicUrl(e);
    if (e.BOT_TYPE === 'SingleTenant' && !e.BOT_TENANT_ID) throw new ConfigError('BOT_TENANT_ID', 'is required when BOT_TYPE is SingleTenant');
    return buildConfig(e, devSignIn);
  } catch (error) {
    if (error instanceof CredentialConfigProblem) throw new ConfigError(error.variable, error.problem);
    throw error;
  }
}

/** Elevate's app credential and the interactive sign-in's PKCE verifier key (config-credentials.ts). */
function credentials(e: z.infer<typeof schema>, audit: AuditSettings) {
  const credential = appCredential(e);
  const verifierKey = signInVerifierKey({
    ...(e.ELEVATE_SIGNIN_KEY ? { signInKey: parseSignInKey(e.ELEVATE_SIGNIN_KEY) } : {}),
    ...(credential.kind === 'secret' ? { clientSecret: credential.secret } : {}),
    sealingAuditKey: audit.keys[0]!.secret,
  });
  return { credential, verifierKey };
}

function buildConfig(e: z.infer<typeof schema>, devSignIn: boolean) {
  const audit = auditSettings(e);
  const { credential, verifierKey } = credentials(e, audit);
  const botId = e.BOT_ID ?? '';
  const botTenant = e.BOT_TENANT_ID ?? e.AAD_APP_TENANT_ID;
  const defaultLogin = `https://login.microsoftonline.com/${e.BOT_TYPE === 'MultiTenant' ? 'botframework.com' : botTenant}`;
  return {
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    bot: {
      id: botId,
      password: e.BOT_PASSWORD ?? '',
      tenantId: botTenant,
      /** Bot Framework app types Elevate supports; `UserAssignedMSI`: `id` is the managed identity's client id. */
      type: e.BOT_TYPE as BotType,
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
      tokenIssuer: e.BOT_TOKEN_ISSUER,
      loginUrl: e.BOT_LOGIN_URL ?? defaultLogin,
    },
    aad: {
      clientId: e.AAD_APP_CLIENT_ID,
      /** A client secret (development), a certificate file, or a managed identity's federated token. */
      credential,
      tenantId: e.AAD_APP_TENANT_ID,
      authorityHost: e.AAD_APP_OAUTH_AUTHORITY_HOST,
      /** Audiences accepted on Teams SSO tokens: the client id and the app id URI. */
      ssoAudiences: [e.AAD_APP_CLIENT_ID, e.AAD_APP_ID_URI ?? (botId ? `api://botid-${botId}` : `api://${e.AAD_APP_CLIENT_ID}`)],
    },
    graphBaseUrl: e.GRAPH_BASE_URL,
    /** Graph's token audience (`https://graph.microsoft.com`; another in sovereign clouds): scopes and app tokens. */
    graphResource: e.GRAPH_RESOURCE.replace(/\/+$/, ''),
    powerPlatformApiUrl: e.POWER_PLATFORM_API_URL,
    store: e.ELEVATE_STORE,
    /** Client id of the user-assigned managed identity that signs in to an `azuretables:https://…` store. */
    azureClientId: e.AZURE_CLIENT_ID as string | undefined,
    securityGroupId: e.SECURITY_GROUP_ID,
    /** Entra role ids offered for self-elevation, in display order. */
    roleIds: parseRoles(e.ELEVATE_ROLES),
    minJustificationLength: e.ELEVATE_MIN_JUSTIFICATION_LENGTH,
    activationTimeoutMs: e.ELEVATE_ACTIVATION_TIMEOUT_SECONDS * 1000,
    activationPollMs: Math.max(100, e.ELEVATE_ACTIVATION_POLL_MS),
    /** How long a PIM activation policy read is reused for request cards (adapters/graph/activation-policy-cache.ts); 0: read every time. */
    pimPolicyCacheMs: e.ELEVATE_PIM_POLICY_CACHE_SECONDS * 1000,
    /** How long "not ... admin" from Power Platform after a successful activation is retried. */
    propagationWindowMs: e.ELEVATE_PROPAGATION_WINDOW_MINUTES * 60_000,
    /** First wait before asking Power Platform again (doubles up to ten minutes). */
    propagationRetryMs: Math.max(1, e.ELEVATE_PROPAGATION_RETRY_SECONDS) * 1000,
    /**
     * Identifies this instance across its restarts (resumes its own unfinished work, gives back its
     * earlier runs' timer claims): App Service names each instance (WEBSITE_INSTANCE_ID), else the host name.
     */
    instanceId: e.ELEVATE_INSTANCE_ID ?? e.WEBSITE_INSTANCE_ID ?? hostname(),
    /** Elevate policy file (YAML or JSON); absent: no approval, no ticket, PIM's own limits. */
    policyFile: e.ELEVATE_POLICY_FILE as string | undefined,
    /** Public https base URL of the bot (interactive sign-in redirect); default: the listening address. */
    publicUrl: e.ELEVATE_PUBLIC_URL?.replace(/\/+$/, ''),
    /** Reminder lead times before expiry, in minutes. */
    reminderMinutes: parseMinutesList(e.ELEVATE_REMINDER_MINUTES),
    /** How often durable timers are looked at. */
    timerPollMs: Math.max(1, e.ELEVATE_TIMER_POLL_SECONDS) * 1000,
    /** How long an approved request may wait for its requester's Activate tap. */
    approvalActivationWindowMinutes: e.ELEVATE_APPROVAL_ACTIVATION_WINDOW_MINUTES,
    /** Development sign-in for the Agents Playground (loopback simulator only, inbound auth off). */
    devSignIn,
    audit,
    /** Hex key the interactive sign-in's PKCE verifiers are derived from: the same on every instance, never stored. */
    signInVerifierKey: verifierKey,
    /** How long SIGTERM waits for work in flight before releasing what is left and exiting. */
    shutdownTimeoutMs: e.ELEVATE_SHUTDOWN_TIMEOUT_SECONDS * 1000,
    /** Application Insights (OpenTelemetry through @azure/monitor-opentelemetry); absent: no telemetry is loaded. */
    applicationInsightsConnectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING as string | undefined,
    /** `npm run doctor` only: the public client of the operator's device code sign-in. */
    doctorClientId: e.ELEVATE_DOCTOR_CLIENT_ID ?? GRAPH_COMMAND_LINE_TOOLS_CLIENT_ID,
    /** Refused requests (bad tokens, malformed activities) logged per remote address per minute. */
    refusalLogLimit: e.ELEVATE_REFUSAL_LOG_LIMIT,
    /** Proactive messages per conversation, for all instances together (Teams' limits per bot and conversation by default). */
    outboxRateLimits: e.ELEVATE_OUTBOX_RATE_LIMITS,
    /** Power Platform RBAC grants (config-rbac.ts): the separate RBAC application identity, or undefined (off). */
    rbac: rbacIdentity(e),
    /** Tries (10 s, 20 s, 40 s … apart) to create and confirm a grant's role assignment before it is given up as "not assigned". */
    rbacAssignAttempts: e.ELEVATE_RBAC_ASSIGN_ATTEMPTS,
    /** Standing access watchdog (issue #15): how often the inventory runs and changes go to the security channel; 0 = off. */
    watchdogIntervalMs: parseInterval('ELEVATE_WATCHDOG_INTERVAL', e.ELEVATE_WATCHDOG_INTERVAL, 24 * 60 * 60_000),
    /** Break glass (issue #16): how often an unacknowledged review is posted again in the security channel; 0 = never. */
    breakGlassRepostIntervalMs: parseInterval('ELEVATE_BREAK_GLASS_REPOST_INTERVAL', e.ELEVATE_BREAK_GLASS_REPOST_INTERVAL, 24 * 60 * 60_000),
    /** Environments the inventory, the sweep and the watchdog read at the same time (at least 1). */
    standingConcurrency: Math.max(1, e.ELEVATE_STANDING_CONCURRENCY),
    /** The weekly digest in the security channel (issue #16): weekday and UTC time, undefined = off. */
    digestSchedule: parseDigestSchedule(e.ELEVATE_DIGEST_SCHEDULE),
  };
}
