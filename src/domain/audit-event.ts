/**
 * The audit log's events, their canonical stored form and the values stores filter them by.
 * Pure; see audit-seal.ts for how entries are chained and sealed, audit-verifier.ts for the check.
 */
export const AUDIT_EVENT_TYPES = [
  'requested',
  'decided',
  'cancelled',
  'activated',
  'elevated',
  'failed',
  'reminded',
  'deactivated',
  'expired',
  'cleanedUp',
  /** A clean-up at expiry (or after a deactivation) failed; Elevate retries with backoff (issue #16's weekly digest counts these). */
  'cleanupFailed',
  'refusedTap',
  'channelConfigured',
  'signInRefused',
  /** Standing access (issue #15): a sweep confirmed by a second security-team member, and each System Administrator it removed. */
  'sweepConfirmed',
  'standingAccessRemoved',
  /**
   * Break glass (issue #16): an on-call member's use (at submit), a refused attempt (not on call, or no
   * on-call group in the policy), the security team's acknowledgement, and each daily re-post of a review
   * nobody acknowledged. Every event of a break-glass elevation also carries `breakGlass: true`.
   */
  'breakGlassUsed',
  'breakGlassRefused',
  'breakGlassAcknowledged',
  'breakGlassReposted',
  /**
   * Extend (issue #16): an extension applied to an elevation (minutes, old and new end, how PIM was
   * lengthened, the count and total so far), and System Administrator given back with applyAdminRole
   * after Microsoft removed it when one PIM activation ended while the extension covered the time;
   * `extensionCancelled`: an early deactivation cancelled an extension's PIM activation that had not started.
   */
  'extended',
  'systemAdminReapplied',
  'extensionCancelled',
  /**
   * Extend (issue #16): something that must not happen did (`anomaly`): `pimRoleLost`, the fallback
   * deactivated the PIM role and neither activation went through; `leaseLost`, PIM was lengthened but
   * the record's `extending` lease was no longer this extension's, so it was not saved.
   */
  'extensionAnomaly',
  /** Scheduled elevations (issue #16): a new start before the old one came, and the start itself (the activation then follows as usual). */
  'scheduleMoved',
  'scheduledStart',
  /**
   * An export link was downloaded (issues #15, #16): the standing-access inventory or an elevation's
   * Dataverse activity, the format, who asked for the link and the address it was fetched from. The link
   * works for whoever holds it for 15 minutes, so the downloader is known by address, not by name.
   */
  'exportDownloaded',
  /** The first keyed entry after entries written before audit keys existed (see sealUnkeyedAuditLog). */
  'auditSealed',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type AuditDetailValue = string | number | boolean | null;

export interface AuditParty {
  aadObjectId: string;
  name?: string;
}

export interface AuditEvent {
  type: AuditEventType;
  /** ISO 8601 instant; stored as `Date#toISOString()` so that it sorts as text. */
  at: string;
  /** Who did it (requester, approver, admin); absent for the bot's own timers. */
  actor?: AuditParty;
  /** Whose elevation it concerns, when not the actor (an approver's decision, a reminder, an expiry). */
  subject?: AuditParty;
  elevationId?: string;
  environment?: { id: string; displayName: string };
  roleName?: string;
  /** Flat facts: justification, ticket, duration, failure code, correlation id. Never a token. */
  details: Record<string, AuditDetailValue>;
}

/**
 * A chained entry. `hash` is the entry's seal: HMAC-SHA256 (or a signature) under `keyId` for
 * keyed entries, plain SHA-256 for entries written before audit keys existed (no `keyId`).
 * `prevHash` is the previous entry's `hash` (GENESIS_HASH for #1).
 */
export type AuditEntry = AuditEvent & { seq: number; prevHash: string; hash: string; keyId?: string };

/**
 * The values a store keeps beside the entry to filter `list()` by (SQLite columns, table
 * properties). Verification compares them with the sealed JSON, so a filter cannot be made to
 * select other entries than the JSON says.
 */
export interface AuditIndex {
  at: string | null;
  actorId: string | null;
  subjectId: string | null;
}

/** JSON with object keys sorted at every depth and undefined members left out; the sealed and stored form. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`Not representable in JSON: ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * The event as it will be stored: known fields only, `at` as `toISOString()`, empty optional
 * texts dropped, non-finite numbers as null and lone surrogates replaced, so that what is read
 * back from any store seals exactly as what was written. Throws RangeError for a bad `at`.
 */
export function normalizeAuditEvent(event: AuditEvent): AuditEvent {
  const at = new Date(event.at);
  if (Number.isNaN(at.getTime())) throw new RangeError(`Audit event "${event.type}" has no valid time: ${event.at}`);
  const details: Record<string, AuditDetailValue> = {};
  for (const [key, value] of Object.entries(event.details)) {
    if (value === undefined) continue;
    details[wellFormed(key)] = typeof value === 'string' ? wellFormed(value) : typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  const normalized: AuditEvent = { type: event.type, at: at.toISOString(), details };
  const actor = party(event.actor);
  const subject = party(event.subject);
  if (actor) normalized.actor = actor;
  if (subject) normalized.subject = subject;
  if (event.elevationId) normalized.elevationId = wellFormed(event.elevationId);
  if (event.environment) normalized.environment = { id: wellFormed(event.environment.id), displayName: wellFormed(event.environment.displayName) };
  if (event.roleName) normalized.roleName = wellFormed(event.roleName);
  return normalized;
}

function party(value: AuditParty | undefined): AuditParty | undefined {
  if (!value) return undefined;
  return value.name ? { aadObjectId: wellFormed(value.aadObjectId), name: wellFormed(value.name) } : { aadObjectId: wellFormed(value.aadObjectId) };
}

/** Lone UTF-16 surrogates cannot be stored as UTF-8; they would read back as U+FFFD and break the seal. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** What a store keeps as the event's text: the canonical JSON of the normalized event. */
export function storedEventText(event: AuditEvent): string {
  return canonicalJson(event);
}

/** The filter values of an event, as every store must derive them (and verification compares them). */
export function auditIndexOf(event: AuditEvent): AuditIndex {
  return { at: event.at, actorId: event.actor?.aadObjectId ?? null, subjectId: event.subject?.aadObjectId ?? null };
}

export type ParsedStoredEvent = { ok: true; event: AuditEvent } | { ok: false; problem: string };

/**
 * Reads a stored event text back, refusing anything Elevate would not have written: text that is
 * not JSON, not canonical (a duplicated key, reordered keys, spaces, other escapes: JSON readers
 * disagree on duplicated keys, so SQL filters and the seal could see different values), or not a
 * normalized event.
 */
export function parseStoredEvent(text: string): ParsedStoredEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'its event is not JSON' };
  }
  if (canonicalJson(parsed) !== text) {
    return { ok: false, problem: 'its stored JSON is not canonical (a duplicated or reordered key, or added spaces): it was edited outside Elevate' };
  }
  if (!isEventShaped(parsed)) return { ok: false, problem: 'its event is not an audit event (type, at or details missing or wrong)' };
  let normalized: string;
  try {
    normalized = canonicalJson(normalizeAuditEvent(parsed));
  } catch {
    return { ok: false, problem: 'its event is not an audit event (unreadable values)' };
  }
  if (normalized !== text)
    return { ok: false, problem: 'its event is not in the form Elevate writes (unknown fields or values): it was edited outside Elevate' };
  return { ok: true, event: parsed };
}

function isEventShaped(value: unknown): value is AuditEvent {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  const details = candidate['details'];
  return (
    (AUDIT_EVENT_TYPES as readonly unknown[]).includes(candidate['type']) &&
    typeof candidate['at'] === 'string' &&
    details !== null &&
    typeof details === 'object' &&
    !Array.isArray(details) &&
    Object.values(details).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)) &&
    [candidate['actor'], candidate['subject']].every((p) => p === undefined || isParty(p)) &&
    [candidate['elevationId'], candidate['roleName']].every((t) => t === undefined || typeof t === 'string') &&
    (candidate['environment'] === undefined || isEnvironment(candidate['environment']))
  );
}

function isParty(value: unknown): boolean {
  const p = value as Record<string, unknown> | null;
  return p !== null && typeof p === 'object' && typeof p['aadObjectId'] === 'string' && (p['name'] === undefined || typeof p['name'] === 'string');
}

function isEnvironment(value: unknown): boolean {
  const e = value as Record<string, unknown> | null;
  return e !== null && typeof e === 'object' && typeof e['id'] === 'string' && typeof e['displayName'] === 'string';
}
